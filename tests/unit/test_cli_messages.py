"""Every failure a newcomer meets names its next step, and --help is complete (summaries, defaults, examples)."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from generator import paths
from generator.build import BuildConfig, BuildError, load_stage
from generator.cli import cli, next_step, publish_next_step
from generator.publish import gates
from generator.snapshot.store import SnapshotError


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_command_summaries_are_whole_and_examples_are_given():
    listing = invoke("--help").output.split("Commands:")[1]
    assert "..." not in listing  # click cuts long docstrings to "compute every..."
    for command in ("build", "fetch", "serve", "publish", "import-snapshot"):
        assert command in listing
    for command in ("build", "fetch", "serve", "publish"):
        assert "Examples:" in invoke(command, "--help").output, command
    assert "[default: (site/ in the repository)]" in " ".join(invoke("build", "--help").output.split())


def test_import_snapshot_explains_the_shared_folder_and_what_to_do_without_it(tmp_path):
    assert "../shared/data/raw" in invoke("import-snapshot", "--help").output
    result = invoke("import-snapshot", "--raw-dir", str(tmp_path / "absent"))
    assert result.exit_code == 1
    assert f"error: no collectors' raw files at {tmp_path / 'absent'}" in result.output
    assert "next step: you do not need this command to build" in result.output
    assert "--raw-dir DIR" in result.output and "python -m generator build --offline" in result.output


def test_publish_without_a_mode_names_the_flags():
    result = invoke("publish")
    assert result.exit_code == 1
    assert "next step: add --dry-run" in result.output


def test_a_stale_publish_says_fetch_or_today():
    step = publish_next_step("gates failed (fresh): nothing deployed; gh-pages is unchanged")
    assert "python -m generator fetch" in step and "--today" in step


@pytest.mark.parametrize(("gate", "words"), [
    ("tests", "python -m pytest"), ("links", "python -m generator build --offline"),
    ("strict build", "python -m generator build --offline"), ("verdicts", "verdict"),
    ("no shrink", "git checkout -- data/"),
])
def test_each_failed_gate_names_its_fix(gate, words):
    assert words in publish_next_step(f"gates failed ({gate}): nothing deployed")


def test_a_snapshot_error_names_the_restore_and_fetch_commands():
    step = next_step(SnapshotError("gspc: checksum mismatch for gspc.csv"))
    assert "git checkout -- data/series" in step and "python -m generator fetch" in step


def test_a_missing_series_stops_the_build_with_the_command_that_restores_it(tmp_path):
    snapshot = tmp_path / "series"
    shutil.copytree(paths.SNAPSHOT_DIR, snapshot)
    for path in snapshot.glob("rut.*"):
        path.unlink()
    with pytest.raises(BuildError, match=r"lacks rut \(Russell 2000.*git checkout -- data/series.*generator fetch"):
        load_stage(BuildConfig(offline=True, snapshot_dir=snapshot, datasets_dir=tmp_path / "none",
                               log=lambda _m: None))


def test_the_links_gate_never_passes_silently_on_nothing(tmp_path):
    nothing = gates.links_gate({})
    assert nothing.ok and "no new version was built" in nothing.detail
    (tmp_path / "v1").mkdir()
    empty = gates.links_gate({"v1": tmp_path / "v1"})
    assert not empty.ok and "hold no HTML page" in empty.detail


def test_the_failed_fresh_gate_line_itself_says_fetch_or_today(tmp_path):
    snapshot = tmp_path / "series"
    shutil.copytree(paths.SNAPSHOT_DIR, snapshot)
    last = gates.last_bar(snapshot)
    result = gates.fresh_gate(snapshot, date.fromisoformat(last) + timedelta(days=60), max_lag=3)
    assert not result.ok
    assert result.line().endswith(f"run `python -m generator fetch` first, or pass --today {last} for a dry run")


def test_fetch_without_network_says_one_line_per_source_and_what_to_do(monkeypatch):
    """Every request is blocked in tests (conftest), as on a machine without network; nothing is written."""
    monkeypatch.setenv("CI", "true")
    before = {p.name: p.read_bytes() for p in paths.SNAPSHOT_DIR.iterdir()}
    result = invoke("fetch")
    assert result.exit_code == 1
    unreachable = [line for line in result.output.splitlines() if " unreachable; " in line]
    assert [line.split(" unreachable; ")[0] for line in unreachable] == [
        "Yahoo Finance", "FRED (Federal Reserve Bank of St. Louis)", "iShares"]
    assert "next step: check the network and try again" in result.output
    assert {p.name: p.read_bytes() for p in paths.SNAPSHOT_DIR.iterdir()} == before


@pytest.mark.enable_socket
def test_serve_on_a_busy_address_names_another_one():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = invoke("serve", "--offline", "--dev-addr", f"127.0.0.1:{port}")
    assert result.exit_code == 1
    assert f"error: cannot serve on 127.0.0.1:{port}" in result.output
    assert "next step: pick another address" in result.output


def test_serve_rejects_an_address_without_a_port():
    result = invoke("serve", "--dev-addr", "localhost")
    assert result.exit_code == 2 and "is not HOST:PORT (for example 127.0.0.1:8000)" in result.output
