"""The site stamp: MkDocs is skipped only when neither its inputs nor the built site changed."""

from __future__ import annotations

import os
from pathlib import Path

from generator.stamp import SiteStamp


def _project(tmp_path: Path) -> tuple[Path, Path]:
    src, site = tmp_path / "site_src", tmp_path / "site"
    (src / "docs").mkdir(parents=True)
    (src / "mkdocs.yml").write_text("site_name: x\n")
    (src / "docs" / "index.md").write_text("# Hello\n")
    site.mkdir()
    (site / "index.html").write_text("<h1>Hello</h1>")
    return src, site


def test_current_only_after_save_with_same_inputs(tmp_path: Path) -> None:
    src, site = _project(tmp_path)
    stamp = SiteStamp(tmp_path / "cache", src, site)
    assert not stamp.current()
    stamp.save()
    assert SiteStamp(tmp_path / "cache", src, site).current()


def test_changed_page_or_config_is_not_current(tmp_path: Path) -> None:
    src, site = _project(tmp_path)
    SiteStamp(tmp_path / "cache", src, site).save()
    (src / "docs" / "index.md").write_text("# Hello!\n")
    assert not SiteStamp(tmp_path / "cache", src, site).current()
    (src / "docs" / "index.md").write_text("# Hello\n")
    assert SiteStamp(tmp_path / "cache", src, site).current()
    (src / "docs" / "new.md").write_text("new page")
    assert not SiteStamp(tmp_path / "cache", src, site).current()


def test_edited_or_missing_site_is_not_current(tmp_path: Path) -> None:
    src, site = _project(tmp_path)
    SiteStamp(tmp_path / "cache", src, site).save()
    page = site / "index.html"
    info = page.stat()
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    assert not SiteStamp(tmp_path / "cache", src, site).current()
    SiteStamp(tmp_path / "cache", src, site).save()
    page.unlink()
    assert not SiteStamp(tmp_path / "cache", src, site).current()


def test_build_lock_file_is_not_an_input(tmp_path: Path) -> None:
    src, site = _project(tmp_path)
    SiteStamp(tmp_path / "cache", src, site).save()
    (src / ".build.lock").write_text("pid 1")
    assert SiteStamp(tmp_path / "cache", src, site).current()


def test_no_cache_never_skips(tmp_path: Path) -> None:
    src, site = _project(tmp_path)
    stamp = SiteStamp(None, src, site)
    stamp.save()
    assert not stamp.current()
