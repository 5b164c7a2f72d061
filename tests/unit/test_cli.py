"""The command line: build, fetch, publish, doctor and import-snapshot, their input checks and the one-line
error handler. The library underneath is replaced where a real run would be slow or touch the checkout."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import generator.build
import generator.datasets.refresh
import generator.doctor
import generator.fetch
import generator.publish.flow as flow
from generator.catalog import spec
from generator.cli import cli
from generator.fetch import SourceOutcome
from generator.paths import REFERENCE_DIR, SNAPSHOT_DIR
from generator.publish.gates import GateResult
from generator.validate import Issue, ValidationError, ValidationReport


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def lines(result) -> list[str]:
    """The output's lines, without the "next step:" hint the CLI adds after an error."""
    return [line for line in result.output.splitlines() if line.strip() and not line.startswith("next step:")]


# --- build -------------------------------------------------------------------------------------------------

def test_build_passes_its_options_to_the_library(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.setattr(generator.build, "build", lambda config: seen.setdefault("config", config))
    result = run("build", "--offline", "--no-site", "--site-dir", str(tmp_path / "out"),
                 "--site-url", "https://example.org/site/")
    assert result.exit_code == 0, result.output
    config = seen["config"]
    assert (config.offline, config.build_site, config.site_dir, config.site_url) == (
        True, False, tmp_path / "out", "https://example.org/site/")


def test_a_validation_error_is_one_line_without_a_doubled_prefix(monkeypatch):
    report = ValidationReport("rut", 10, [Issue("rut", "2026-08-22", "calendar extras", "error", "closed day")])

    def fail(_config):
        raise ValidationError(report)
    monkeypatch.setattr(generator.build, "build", fail)
    result = run("build", "--offline")
    assert result.exit_code == 1
    assert lines(result) == ["error: rut on 2026-08-22: calendar extras: closed day"]


def test_an_unexpected_error_is_one_line_not_a_traceback(monkeypatch):
    def fail(_config):
        raise KeyError("boom")
    monkeypatch.setattr(generator.build, "build", fail)
    result = run("build", "--offline")
    assert result.exit_code == 1
    assert lines(result) == ["error: KeyError: 'boom'"] and "Traceback" not in result.output


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/", "example.org/site"])
def test_build_rejects_a_site_url_that_is_not_http(url):
    result = run("build", "--offline", "--site-url", url)
    assert result.exit_code == 2 and "is not an http:// or https:// address" in result.output


# --- fetch -------------------------------------------------------------------------------------------------

def fake_fetch(monkeypatch, statuses: list[str]) -> None:
    outcomes = [SourceOutcome(f"s{i}", "yahoo", status, 0, f"s{i}: {status}") for i, status in enumerate(statuses)]
    monkeypatch.setattr(generator.fetch, "refresh_snapshot", lambda *_a, **_k: outcomes)
    monkeypatch.setattr(generator.datasets.refresh, "refresh_datasets", lambda *_a, **_k: [])


def test_fetch_exits_non_zero_when_every_source_is_unreachable(monkeypatch):
    fake_fetch(monkeypatch, ["skipped", "skipped", "failed"])
    result = run("fetch")
    assert result.exit_code == 1
    assert lines(result)[-1].startswith("error: no source could be fetched; the snapshot was left unchanged")


def test_fetch_succeeds_when_a_source_answered(monkeypatch):
    fake_fetch(monkeypatch, ["ok", "skipped"])
    result = run("fetch")
    assert result.exit_code == 0 and "data diff: no change" in result.output


# --- publish -----------------------------------------------------------------------------------------------

def test_publish_needs_a_mode():
    result = run("publish")
    assert result.exit_code == 1 and "--dry-run" in result.output and "error: publish needs a mode" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--today", "2026/08/24"], "expected YYYY-MM-DD, e.g. 2026-08-24"),
    (["--today", "yesterday"], "expected YYYY-MM-DD"),
    (["--max-lag", "-1"], "-1 is not in the range x>=0"),
    (["--site-url", "javascript:alert(1)"], "is not an http:// or https:// address"),
])
def test_publish_checks_its_inputs(monkeypatch, args, message):
    def never(*_a, **_k):
        raise AssertionError("publish ran despite a bad option")
    monkeypatch.setattr(flow, "stage", never)
    monkeypatch.setattr(flow, "deploy", never)
    result = run("publish", "--dry-run", *args)
    assert result.exit_code == 2 and message in result.output


def plan(tmp_path: Path, ok: bool) -> flow.Plan:
    folder = tmp_path / "factcheck-publish-x"
    folder.mkdir()
    return flow.Plan("gh-pages", None, [], [GateResult("fresh", ok, "detail")], stage_dir=str(folder))


def test_stage_only_with_a_failed_gate_exits_non_zero(monkeypatch, tmp_path):
    monkeypatch.setattr(flow, "stage", lambda _config: plan(tmp_path, ok=False))
    result = run("publish", "--stage-only", "--stage-dir", str(tmp_path / "stage"))
    assert result.exit_code == 1 and lines(result) == ["error: gates failed (fresh): nothing will be deployed"]


def test_a_dry_run_deploys_and_removes_its_temporary_stage_folder(monkeypatch, tmp_path):
    staged = plan(tmp_path, ok=True)
    monkeypatch.setattr(flow, "stage", lambda _config: staged)
    monkeypatch.setattr(flow, "deploy", lambda _plan, _config, push=False: ["2026-08-21"])
    result = run("publish", "--dry-run")
    assert result.exit_code == 0 and "deployed: 2026-08-21 (local only)" in result.output
    assert not Path(staged.stage_dir).exists()


def test_a_stage_dir_given_by_the_caller_is_kept(monkeypatch, tmp_path):
    staged = plan(tmp_path, ok=True)
    monkeypatch.setattr(flow, "stage", lambda _config: staged)
    monkeypatch.setattr(flow, "deploy", lambda _plan, _config, push=False: [])
    result = run("publish", "--dry-run", "--stage-dir", staged.stage_dir)
    assert result.exit_code == 0 and Path(staged.stage_dir).exists()


# --- doctor ------------------------------------------------------------------------------------------------

@pytest.fixture
def damaged(tmp_path, monkeypatch) -> Path:
    copy = tmp_path / "series"
    shutil.copytree(SNAPSHOT_DIR, copy)
    real = generator.doctor.diagnose
    monkeypatch.setattr(generator.doctor, "diagnose",
                        lambda today=None: real(snapshot_dir=copy, datasets_dir=tmp_path / "none",
                                                reference_dir=REFERENCE_DIR, today=today))
    return copy


def test_doctor_prints_one_row_per_series_and_passes_on_an_intact_snapshot(damaged):
    result = run("doctor")
    assert result.exit_code == 0, result.output
    table = lines(result)
    assert table[0].split()[:5] == ["name", "kind", "rows", "first", "last"]
    for sid in ("rut", "btc-usd", "gspc", "psct", "dgs2"):
        assert any(line.split()[0] == sid for line in table[2:]), sid
    rut = next(line for line in table if line.startswith("rut "))
    frame_rows = len((damaged / "rut.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert f" {frame_rows} " in rut and rut.rstrip().endswith("ok")


def test_doctor_exits_non_zero_and_names_the_file_on_a_checksum_mismatch(damaged):
    path = damaged / "gspc.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # what core.autocrlf would do
    result = run("doctor")
    assert result.exit_code == 1
    assert "gspc: checksum mismatch for gspc.csv" in result.output
    assert "1 of" in result.output and "files have errors" in result.output


def test_doctor_reports_a_missing_committed_series(damaged):
    (damaged / "xlk.csv").unlink()
    result = run("doctor")
    assert result.exit_code == 1 and "data/series/xlk.csv or its manifest is missing" in result.output


def test_doctor_reports_rows_that_fail_validation(damaged):
    from generator.snapshot.store import SnapshotStore

    store = SnapshotStore(damaged)
    frame, manifest = store.read(spec("rut"))
    day = frame.index[-5]
    frame.loc[day, ["high", "low"]] = frame.loc[day, ["low", "high"]].to_numpy()
    store.write(spec("rut"), frame, manifest)
    result = run("doctor")
    assert result.exit_code == 1
    assert f"error: rut on {day:%Y-%m-%d}: OHLC consistency" in result.output


def test_doctor_counts_staleness_in_sessions(damaged):
    manifest = json.loads((damaged / "rut.manifest.json").read_text(encoding="utf-8"))
    last = manifest["last_date"]
    rows = generator.doctor.diagnose(today=generator.doctor.date.fromisoformat(last))
    assert next(r for r in rows if r.name == "rut").stale == "0"


# --- import-snapshot on a fresh clone ----------------------------------------------------------------------

def test_import_snapshot_without_the_collectors_files_says_which_folder_is_missing(tmp_path):
    missing = tmp_path / "shared" / "data" / "raw"
    result = run("import-snapshot", "--raw-dir", str(missing))
    assert result.exit_code == 1
    assert lines(result) == [f"error: no collectors' raw files at {missing}"]
    assert "python -m generator build --offline" in result.output  # the committed snapshot still builds

