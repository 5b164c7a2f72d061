"""The publish gates, each on small constructed inputs: links and anchors, verdicts, freshness, no shrink."""

from __future__ import annotations

import json
import subprocess
from datetime import date

import pytest

from generator.publish import gates

SITE_URL = "https://example.github.io/factcheck/2026-08-20/"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def site(tmp_path):
    """A tiny built site: directory URLs, an image, anchors."""
    root = tmp_path / "site"
    write(root / "index.html", '<a href="claims/a/">A</a> <a href="claims/a/#figures">A figures</a>'
                               '<img src="claims/a.png"> <a href="#top">top</a> <h1 id="top">Home</h1>')
    write(root / "claims" / "a" / "index.html", '<h2 id="figures">Figures</h2> <a href="../../">home</a>'
                                                '<a href="../../../latest/">another version</a>'
                                                '<a href="https://example.org/x">external</a>')
    (root / "claims" / "a.png").write_bytes(b"\x89PNG")
    return root


def test_a_site_whose_links_all_resolve_passes(site):
    assert gates.check_links(site, SITE_URL) == []


@pytest.mark.parametrize(("href", "problem"), [
    ("claims/b/", "does not exist"),
    ("claims/a/#nowhere", "no #nowhere"),
    ("#missing", "no #missing on broken.html"),
    ("/elsewhere/", "root-absolute"),
    (f"{SITE_URL}claims/zzz/", "does not exist"),
    ("claims/a.svg", "does not exist"),
])
def test_each_kind_of_broken_internal_link_is_reported(site, href, problem):
    write(site / "broken.html", f'<a href="{href}">x</a>')
    found = gates.check_links(site, SITE_URL)
    assert len(found) == 1 and found[0].startswith("broken.html") and problem in found[0], found


def test_links_into_the_site_by_its_absolute_address_are_checked_like_relative_ones(site):
    write(site / "ok.html", f'<link rel="canonical" href="{SITE_URL}claims/a/"><img src="{SITE_URL}claims/a.png">')
    assert gates.check_links(site, SITE_URL) == []


def test_links_gate_names_the_version(site):
    write(site / "broken.html", '<a href="nope.html">x</a>')
    result = gates.links_gate({"2026-08-20": site}, {"2026-08-20": SITE_URL})
    assert not result.ok and result.problems[0].startswith("2026-08-20/broken.html")


def evaluation(verdict, status="computed", missing=None):
    return {"verdict": verdict, "status": status, "missing": missing}


def test_every_claim_needs_a_verdict_or_an_explicit_needs_live_data_reason():
    findings = {"claims": [
        {"id": "OK", "publication": evaluation("Accurate"), "latest": evaluation("Misleading")},
        {"id": "LIVE", "publication": evaluation(None, "needs-live-data", "psct is live-only"),
         "latest": evaluation(None, "needs-live-data", "psct is live-only")},
        {"id": "SILENT", "publication": evaluation(None, "needs-live-data", ""), "latest": evaluation("Accurate")},
        {"id": "NONE", "publication": evaluation(None), "latest": evaluation(None)},
    ]}
    assert gates.missing_verdicts(findings) == [
        "SILENT (publication): no verdict and no needs-live-data reason",
        "NONE (publication): no verdict and no needs-live-data reason",
        "NONE (latest): no verdict and no needs-live-data reason",
    ]
    assert not gates.verdicts_gate({"v": findings}).ok
    assert gates.verdicts_gate({"v": {"claims": findings["claims"][:2]}}).ok


@pytest.mark.parametrize(("last", "run", "lag"), [
    ("2026-08-21", "2026-08-22", 0),   # Friday's bar, run on Saturday
    ("2026-08-21", "2026-08-24", 0),   # ... or on Monday, before Monday's bar exists
    ("2026-08-21", "2026-08-26", 2),   # Monday and Tuesday are missing
    ("2026-09-04", "2026-09-09", 1),   # Labor Day (2026-09-07) is not a trading day
    ("2026-08-21", "2026-08-21", 0),
])
def test_lag_counts_nyse_trading_days_strictly_between(last, run, lag):
    assert gates.trading_days_between(date.fromisoformat(last), date.fromisoformat(run)) == lag


def snapshot(folder, last_dates, rows=100, first="2000-01-03"):
    for series, last in last_dates.items():
        write(folder / f"{series}.manifest.json",
              json.dumps({"series": series, "rows": rows, "first_date": first, "last_date": last}))
    return folder


def test_the_data_date_is_the_last_day_every_core_series_has(tmp_path):
    folder = snapshot(tmp_path, {"rut": "2026-08-21", "btc-usd": "2026-08-20", "gspc": "2026-08-21",
                                 "ixic": "2026-08-21", "spy": "2026-02-20"})
    assert gates.last_bar(folder) == "2026-08-20"


def test_fresh_gate_boundary_at_max_lag(tmp_path):
    folder = snapshot(tmp_path, {"rut": "2026-08-21", "btc-usd": "2026-08-21", "gspc": "2026-08-21",
                                 "ixic": "2026-08-21"})
    assert gates.fresh_gate(folder, date(2026, 8, 27), max_lag=3).ok          # Mon, Tue, Wed missing: 3
    stale = gates.fresh_gate(folder, date(2026, 8, 28), max_lag=3)            # Thursday too: 4
    assert not stale.ok and "stale" in stale.detail and "4 trading days" in stale.detail


def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args], cwd=repo,
                   check=True, capture_output=True)


@pytest.fixture
def committed(tmp_path):
    repo = tmp_path / "repo"
    folder = snapshot(repo / "data" / "series", {"rut": "2026-08-21", "gspc": "2026-08-21"}, rows=100)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "snapshot")
    return repo, folder


def test_a_snapshot_that_grew_passes_the_no_shrink_gate(committed):
    repo, folder = committed
    snapshot(folder, {"rut": "2026-08-24"}, rows=101)
    result = gates.no_shrink_gate(repo, [folder])
    assert result.ok and "2 manifests" in result.detail


@pytest.mark.parametrize(("change", "expected"), [
    ({"rows": 99}, "rows 100 -> 99"),
    ({"first_date": "2001-01-02"}, "first_date 2000-01-03 -> 2001-01-02"),
    ({"last_date": "2026-08-20"}, "last_date 2026-08-21 -> 2026-08-20"),
])
def test_each_way_of_losing_data_fails_the_no_shrink_gate(committed, change, expected):
    repo, folder = committed
    path = folder / "rut.manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **change}))
    result = gates.no_shrink_gate(repo, [folder])
    assert not result.ok and result.problems == (f"series/rut.manifest.json: {expected}",)


def test_a_deleted_series_fails_the_no_shrink_gate(committed):
    repo, folder = committed
    (folder / "gspc.manifest.json").unlink()
    result = gates.no_shrink_gate(repo, [folder])
    assert not result.ok and "missing now" in result.problems[0]


def test_run_gates_runs_them_all_and_turns_an_exception_into_a_failure():
    def broken():
        raise RuntimeError("no snapshot")

    lines: list[str] = []
    results = gates.run_gates([("first", broken), ("second", lambda: gates.passed("second", "fine"))], lines.append)
    assert [(r.name, r.ok) for r in results] == [("first", False), ("second", True)]
    assert lines == ["[FAIL] first: could not run: no snapshot", "[PASS] second: fine"]


def test_a_future_last_bar_fails_the_fresh_gate_instead_of_counting_as_zero_lag(tmp_path):
    folder = snapshot(tmp_path, {s: "2027-03-01" for s in ("rut", "btc-usd", "gspc", "ixic")})
    result = gates.fresh_gate(folder, date(2026, 8, 27), max_lag=3)
    assert not result.ok and "after the run date" in result.detail


def published(name, data_date, series):
    return (name, data_date, {"data": {"data_date": data_date, "series": series}})


CORE = {"rut": {"first_date": "2000-01-03", "last_date": "2026-08-21", "rows": 100},
        "btc-usd": {"first_date": "2000-01-03", "last_date": "2026-08-21", "rows": 100},
        "gspc": {"first_date": "2000-01-03", "last_date": "2026-08-21", "rows": 100},
        "ixic": {"first_date": "2000-01-03", "last_date": "2026-08-21", "rows": 100}}


def test_a_shrunk_snapshot_that_was_committed_still_fails_against_what_was_published(tmp_path):
    # HEAD already has the shrunk snapshot (so the commit comparison passes); gh-pages shows more
    folder = snapshot(tmp_path, {s: "2026-08-21" for s in CORE}, rows=90)
    history = [published("as-published", "2026-01-23", {}), published("2026-08-21", "2026-08-21", CORE)]
    result = gates.published_gate(folder, history)
    assert not result.ok
    assert "rut: rows 100 -> 90 (against published 2026-08-21)" in result.problems


def test_latest_never_moves_to_an_older_data_date(tmp_path):
    folder = snapshot(tmp_path, {s: "2026-08-14" for s in CORE}, rows=100)
    history = [published("2026-08-21", "2026-08-21", CORE)]
    result = gates.published_gate(folder, history)
    assert not result.ok and "`latest` would move backwards" in result.problems[0]


def test_a_snapshot_with_at_least_what_was_published_passes(tmp_path):
    folder = snapshot(tmp_path, {s: "2026-08-24" for s in CORE}, rows=101)
    history = [published("2026-08-21", "2026-08-21", CORE), published("as-published", "2026-01-23", {})]
    assert gates.published_gate(folder, history).ok
    assert gates.published_gate(folder, []).ok  # nothing published yet
