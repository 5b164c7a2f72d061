"""The site swap, staging folders and build lock, with MkDocs replaced by a stand-in (fast, no real build)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import mkdocs.commands.build
import pytest
from mkdocs.exceptions import MkDocsException

from generator import build as build_module
from generator.build import BuildConfig, BuildError, BuildLock, recover_site, site_stage


@pytest.fixture
def config(tmp_path: Path) -> BuildConfig:
    site_src = tmp_path / "site_src"
    (site_src / "docs").mkdir(parents=True)
    (site_src / "mkdocs.yml").write_text("site_name: test\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old site", encoding="utf-8")
    return BuildConfig(offline=True, site_src_dir=site_src, site_dir=site, log=lambda _m: None)


def fake_mkdocs(monkeypatch, then: BaseException | None = None) -> None:
    def run(cfg, **_kw):
        out = Path(cfg["site_dir"])
        out.mkdir(parents=True, exist_ok=True)
        (out / "index.html").write_text("new site", encoding="utf-8")
        if then is not None:
            raise then
    monkeypatch.setattr(mkdocs.commands.build, "build", run)


def leftovers(config: BuildConfig) -> list[str]:
    return sorted(p.name for p in config.site_dir.parent.iterdir() if p.name.startswith(f".{config.site_dir.name}.")
                  and not p.name.endswith(".lock"))


def test_a_successful_build_swaps_the_new_site_in_and_leaves_no_staging(config, monkeypatch):
    fake_mkdocs(monkeypatch)
    site_stage(config)
    assert (config.site_dir / "index.html").read_text(encoding="utf-8") == "new site"
    assert leftovers(config) == []


def test_the_two_rename_fallback_also_swaps(config, monkeypatch):
    fake_mkdocs(monkeypatch)
    monkeypatch.setattr(build_module, "_exchange", lambda _a, _b: False)
    site_stage(config)
    assert (config.site_dir / "index.html").read_text(encoding="utf-8") == "new site"
    assert leftovers(config) == []


def test_a_failed_build_keeps_the_old_site_and_removes_its_staging(config, monkeypatch):
    fake_mkdocs(monkeypatch, MkDocsException("Aborted with 1 warnings in strict mode!"))
    with pytest.raises(BuildError, match="the previous site was kept"):
        site_stage(config)
    assert (config.site_dir / "index.html").read_text(encoding="utf-8") == "old site"
    assert leftovers(config) == []


@pytest.mark.parametrize("interruption", [KeyboardInterrupt(), OSError(28, "No space left on device")])
def test_ctrl_c_or_a_full_disk_keeps_the_old_site_and_removes_staging(config, monkeypatch, interruption):
    fake_mkdocs(monkeypatch, interruption)
    with pytest.raises(type(interruption)):
        site_stage(config)
    assert (config.site_dir / "index.html").read_text(encoding="utf-8") == "old site"
    assert leftovers(config) == []


def test_a_kill_between_the_two_renames_is_recovered_at_the_next_start(config):
    # the state a kill leaves after "site -> .site.old" and before ".site.staging -> site"
    old = config.site_dir.with_name(".site.old")
    config.site_dir.rename(old)
    staging = config.site_dir.with_name(".site.staging-abc123")
    staging.mkdir()
    (staging / "index.html").write_text("half", encoding="utf-8")
    lines: list[str] = []
    recover_site(config.site_dir, lines.append)
    assert (config.site_dir / "index.html").read_text(encoding="utf-8") == "old site"
    assert leftovers(config) == []
    assert any("restored the previous site" in line for line in lines)


def test_each_build_stages_into_its_own_folder(config, monkeypatch):
    seen: list[str] = []

    def run(cfg, **_kw):
        seen.append(cfg["site_dir"])
        Path(cfg["site_dir"]).mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(mkdocs.commands.build, "build", run)
    site_stage(config)
    site_stage(config)
    assert len(set(seen)) == 2 and all(Path(s).parent == config.site_dir.parent for s in seen)


def test_a_second_build_waits_for_the_lock_and_says_so(config):
    lines: list[str] = []
    second = BuildConfig(offline=True, site_src_dir=config.site_src_dir, site_dir=config.site_dir, log=lines.append)
    order: list[str] = []
    with BuildLock(config):
        def other() -> None:
            with BuildLock(second):
                order.append("second")
        thread = threading.Thread(target=other)
        thread.start()
        time.sleep(0.5)
        order.append("first done")
    thread.join(10)
    assert order == ["first done", "second"]
    assert len(lines) == 1 and lines[0].startswith("another build is running here (pid ")
