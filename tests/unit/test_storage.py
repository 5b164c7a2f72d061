"""gh-pages storage: the retention rule at its edges, shared assets (dedupe, rewritten links at every depth and
form), the archive form (every URL, the verdicts and figures, idempotent), and many small versions deployed
one after the other into a real local git branch (the URLs of every version stay, unused assets go)."""

from __future__ import annotations

import gzip
import json
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator.publish import archive, gates, storage
from generator.publish.flow import (
    PLAN,
    Plan,
    PublishConfig,
    StagedVersion,
    deploy,
    published_history,
    store_stage,
)
from generator.publish.storage import Addresses, Retention, VersionFacts
from generator.publish.versions import Pages

ROOT = "https://example.github.io/factcheck/"


def v(name: str, verdict: str = "Accurate", still: str = "Still true") -> VersionFacts:
    return VersionFacts(name, name, (("A", "Accurate", verdict, still),))


def weekdays(start: str, count: int) -> list[str]:
    day, out = date.fromisoformat(start), []
    while len(out) < count:
        if day.weekday() < 5:
            out.append(day.isoformat())
        day += timedelta(days=1)
    return out


# --- retention -----------------------------------------------------------------------------------------------


def test_the_newest_n_dated_versions_stay_and_the_one_before_them_is_archived():
    days = weekdays("2026-03-02", 12)  # all in March: only the first is first-of-period
    versions = [v(d) for d in days]
    full = Retention(newest=5, period="month").full(versions)
    assert set(full) == {days[0], *days[-5:]}
    assert days[-6] not in full and full[days[-5]] == "one of the newest"


def test_the_first_version_of_each_period_stays_forever():
    days = ["2026-03-30", "2026-03-31", "2026-04-01", "2026-04-02", "2026-06-30", "2026-07-01"]
    months = Retention(newest=0, period="month").full([v(d) for d in days])
    assert set(months) == {"2026-03-30", "2026-04-01", "2026-06-30", "2026-07-01"}
    quarters = Retention(newest=0, period="quarter").full([v(d) for d in days])
    assert set(quarters) == {"2026-03-30", "2026-04-01", "2026-07-01"}


def test_every_verdict_or_still_true_change_and_change_back_stays_full():
    days = weekdays("2026-03-02", 8)
    versions = [v(days[0]), v(days[1]), v(days[2], "Inaccurate"), v(days[3], "Inaccurate"),
                v(days[4], "Accurate"), v(days[5]), v(days[6], still="No longer true"), v(days[7], still="No longer true")]
    full = Retention(newest=0, period="quarter", changes="all").full(versions)
    assert full == {days[0]: "first version of 2026-Q1", days[2]: "a verdict changed",
                    days[4]: "a verdict changed", days[6]: "a verdict changed"}
    assert set(Retention(newest=0, period="quarter", changes="none").full(versions)) == {days[0]}


def test_a_change_window_keeps_only_the_first_changing_version_of_each_month():
    days = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-31", "2026-04-01", "2026-04-02",
            "2026-04-03"]
    verdicts = ["Accurate", "Inaccurate", "Accurate", "Inaccurate", "Inaccurate", "Inaccurate", "Accurate",
                "Inaccurate"]
    versions = [v(d, x) for d, x in zip(days, verdicts, strict=True)]
    full = Retention(newest=0, period="quarter", changes="month").full(versions)
    # March: its first version (first of Q1) and its first change; April: its first change (2 Apr), not 3 Apr
    assert full == {"2026-03-02": "first version of 2026-Q1", "2026-03-03": "a verdict changed",
                    "2026-04-01": "first version of 2026-Q2", "2026-04-02": "a verdict changed"}
    assert len(Retention(newest=0, period="quarter", changes="all").full(versions)) == 7
    with pytest.raises(ValueError, match="retention changes"):
        Retention(changes="weekly").full(versions)


def test_non_dated_versions_always_stay_full():
    versions = [VersionFacts("as-published", "2026-01-22", ()), *[v(d) for d in weekdays("2026-03-02", 5)]]
    assert Retention(newest=1, period="quarter").full(versions)["as-published"] == "not a dated version"


def test_a_versions_status_and_nearest_full_version_never_change_as_versions_are_added():
    days = weekdays("2026-03-02", 40)
    versions = [v(d, "Inaccurate" if 10 <= i < 20 else "Accurate") for i, d in enumerate(days)]
    rule = Retention(newest=3, period="month")
    for upto in range(5, 40):
        seen = versions[:upto]
        permanent = rule.permanent(seen)
        assert {n: r for n, r in rule.permanent(versions).items() if n in {x.name for x in seen}} == permanent
        assert rule.nearest_full(days[4], seen) == days[0]
    assert rule.nearest_full(days[12], versions) == days[10]  # the change, after the month's first version


# --- shared assets -------------------------------------------------------------------------------------------

THEME = b"/* theme */ body{}\n"
SCRIPT = b"console.log(1);\n"


def page(depth: str, title: str, extra: str = "") -> bytes:
    return (f'<html><head><title>{title}</title><link rel="stylesheet" href="{depth}assets/site.css">'
            f'<script id="__config" type="application/json">{{"search": "{depth}assets/worker.js"}}</script>'
            f'</head><body>{extra}<script src="{depth}assets/worker.js"></script></body></html>').encode()


def findings_doc(day: str, verdict: str) -> dict:
    evaluation = {"verdict": verdict, "finding": f"The index closed at 2,{day[-2:]}0.",
                  "figures": {"close": {"value": 2000 + int(day[-2:]), "unit": "points", "date": day,
                                        "label": "Close"}}}
    return {"schema": "factcheck-findings/1", "data": {"data_date": day},
            "claims": [{"id": "A", "slug": "a", "title": "Claim <A> & co", "quote": "it rose",
                        "still_true": "Still true", "publication": {**evaluation, "verdict": "Accurate"},
                        "latest": evaluation}]}


def built_site(day: str, verdict: str = "Accurate", version: str | None = None) -> dict[str, bytes]:
    """A tiny built version: theme files identical every day, a chart and CSV that change with the data."""
    version = version or day
    return {
        "index.html": page("", "Home", '<a href="claims/a/">A</a>'),
        "404.html": page(f"/factcheck/{version}/", "Not found"),
        "claims/a/index.html": page("../../", "Claim A",
                                    f'<meta property="og:image" content="{ROOT}{version}/claims/a.png">'
                                    '<a href="../a.csv#rows">data</a><img src="../a.svg"><a href="../../">home</a>'),
        "assets/site.css": THEME, "assets/worker.js": SCRIPT,
        "claims/a.csv": f"date,close\n{day},1\n".encode(), "claims/a.svg": f"<svg>{day}</svg>".encode(),
        "claims/a.png": f"PNG{day}".encode(),
        "findings.json": json.dumps(findings_doc(day, verdict), separators=(",", ":")).encode() + b"\n",
        "search/search_index.json": b'{"config":{"lang":["en"]},"docs":[]}',
        "sitemap.xml": f"<urlset><url><loc>{ROOT}{version}/claims/a/</loc></url></urlset>".encode(),
        "feed.xml": b"<feed/>",
    }


def test_identical_files_are_stored_once_and_every_reference_form_is_rewritten():
    one = storage.share_assets(built_site("2026-03-02"), Addresses(ROOT))
    two = storage.share_assets(built_site("2026-03-03"), Addresses(ROOT))
    assert set(one.assets) & set(two.assets) == {storage.asset_path("site.css", THEME),
                                                storage.asset_path("worker.js", SCRIPT)}
    assert len(set(one.assets) | set(two.assets)) == 2 + 2 * 3  # css, js shared; csv, svg, png per day
    assert not [p for p in one.files if p.endswith((".css", ".js", ".csv", ".svg", ".png"))]
    css, csv = storage.asset_path("site.css", THEME), storage.asset_path("a.csv", built_site("2026-03-02")["claims/a.csv"])
    claim, home, missing = (one.files[p].decode() for p in ("claims/a/index.html", "index.html", "404.html"))
    assert f'href="../../../{css}"' in claim and f'href="../{css}"' in home
    assert f'"search": "../../../{storage.asset_path("worker.js", SCRIPT)}"' in claim
    assert f'href="../../../{csv}#rows"' in claim and csv.endswith("/a.csv")
    assert f'content="{ROOT}{storage.asset_path("a.png", b"PNG2026-03-02")}"' in claim
    assert f'href="/factcheck/{css}"' in missing
    assert 'href="../../"' in claim and 'href="claims/a/"' in home
    assert one.files["findings.json"] == built_site("2026-03-02")["findings.json"]


def test_a_stylesheet_that_loads_files_by_relative_url_stays_with_them():
    files = {"index.html": b'<link href="assets/a.css"><img src="assets/b.png">',
             "assets/a.css": b"x{background:url(b.png)}", "assets/b.png": b"png", "assets/c.js": b"1"}
    assert storage.shareable(files) == {"assets/c.js"}


def test_the_shared_layout_passes_the_links_gate(tmp_path):
    site, pages = tmp_path / "site", tmp_path / "pages"
    storage.write_tree(site, built_site("2026-03-02"))
    storage.share_site(site, pages / "2026-03-02", pages / storage.SHARED_DIR, Addresses(ROOT))
    assert gates.check_links(pages / "2026-03-02", f"{ROOT}2026-03-02/", pages, ROOT) == []
    (pages / storage.asset_path("a.csv", built_site("2026-03-02")["claims/a.csv"])).unlink()
    problems = gates.check_links(pages / "2026-03-02", f"{ROOT}2026-03-02/", pages, ROOT)
    assert len(problems) == 1 and "a.csv does not exist" in problems[0]


# --- archive form --------------------------------------------------------------------------------------------


def test_the_archive_form_keeps_every_page_the_verdicts_and_the_figures():
    full = storage.share_assets(built_site("2026-03-04", "Inaccurate"), Addresses(ROOT)).files
    archived = archive.archive_version(full, "2026-03-04", "Data through 2026-03-04", "2026-03-02")
    assert {p for p in full if p.endswith(".html")} <= set(archived)
    assert gzip.decompress(archived["findings.json.gz"]) == full["findings.json"]
    assert "findings.json" not in archived and "search/search_index.json" not in archived
    assert archived["sitemap.xml"] == full["sitemap.xml"]
    claim = archived["claims/a/index.html"].decode()
    assert "<title>Claim A</title>" in claim and "Claim &lt;A&gt; &amp; co" in claim
    assert "Inaccurate" in claim and "2,004.00 (2026-03-04)" in claim and "The index closed at 2,040." in claim
    assert 'href="../../../2026-03-02/claims/a/"' in claim and 'href="../../../latest/claims/a/"' in claim
    home = archived["index.html"].decode()
    assert 'href="claims/a/"' in home and "Inaccurate" in home and "(archived)" in home
    assert sum(len(b) for b in archived.values()) < 12_000


def test_archiving_is_deterministic_and_idempotent():
    full = built_site("2026-03-04")
    once = archive.archive_version(full, "2026-03-04", "Data through 2026-03-04", "2026-03-02")
    assert archive.archive_version(full, "2026-03-04", "Data through 2026-03-04", "2026-03-02") == once
    twice = archive.archive_version(once, "2026-03-04", archive.archived_title("Data through 2026-03-04"), "2026-03-02")
    assert twice == once


def test_archived_pages_links_resolve(tmp_path):
    archived = archive.archive_version(built_site("2026-03-04"), "2026-03-04", "Data through 2026-03-04", None)
    storage.write_tree(tmp_path / "v", archived)
    assert gates.check_links(tmp_path / "v", f"{ROOT}2026-03-04/") == []


# --- deploying many versions into a real branch -----------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    for key in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(key, "Publisher")
    for key in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(key, "publisher@example.invalid")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    return repo


def publish_fake(repo: Path, stage: Path, day: str, verdict: str, retention: Retention) -> Plan:
    """What stage + deploy do for one dated version, with a constructed site instead of a build."""
    config = PublishConfig(repo=repo, stage_dir=stage, site_url=ROOT, run_tests=False, retention=retention,
                           log=lambda _m: None)
    pages = Pages(repo)
    history = published_history(pages)
    site = stage / day / "site"
    storage.write_tree(site, built_site(day, verdict))
    doc = json.loads(built_site(day, verdict)["findings.json"])
    from generator.pages.changes import PublishedVersion

    history.append(PublishedVersion(day, f"Data through {day}", day, doc))
    plan = Plan("gh-pages", pages.head(), [StagedVersion(day, f"Data through {day}", ("latest",), str(site),
                                                         f"{ROOT}{day}/", day)], stage_dir=str(stage))
    store_stage(config, pages, plan, {day: site}, history)
    plan.gates = [gates.links_gate({n: plan.pages_dir / n for n in [day, *plan.archived]},
                                   {day: f"{ROOT}latest/"}, root=plan.pages_dir, root_url=ROOT)]
    assert plan.gates[0].ok, plan.gates[0].problems
    plan.save(stage / PLAN)  # deployed from the saved plan, as `publish --from-stage` does in the workflow
    deploy(Plan.load(stage / PLAN), config)
    return plan


def test_many_versions_keep_every_url_and_the_tree_stops_growing_with_full_copies(repo, tmp_path):
    retention = Retention(newest=3, period="month", changes="all")
    days = weekdays("2026-03-25", 14)  # across a month boundary
    verdicts = {days[6]: "Inaccurate"}
    sizes = []
    for i, day in enumerate(days):
        plan = publish_fake(repo, tmp_path / f"stage-{i}", day, verdicts.get(day, "Accurate"), retention)
        sizes.append(sum(Pages(repo).sizes().values()))
        # the size gate's estimate: all but versions.json, .nojekyll and the root redirect (written by the deploy)
        assert 0 <= sizes[-1] - plan.tree_bytes < 5_000
    pages = Pages(repo)
    tree = pages.sizes()
    names = [ver.name for ver in pages.versions()]
    assert sorted(names) == sorted(days)
    full = retention.full([storage.facts(d, pages.findings(d)) for d in days])
    assert set(full) == {days[0], days[5], days[6], days[7], *days[-3:]}  # 25 Mar; 1 Apr; change; back; newest
    for day in days:
        for page_path in ("index.html", "404.html", "claims/a/index.html", "sitemap.xml"):
            assert f"{day}/{page_path}" in tree, (day, page_path)
        archived = f"{day}/findings.json.gz" in tree
        assert archived == (day not in full), day
        assert pages.findings(day)["data"]["data_date"] == day
    title = {v["version"]: v["title"] for v in pages.versions_json()}
    assert title[days[1]] == "Data through 2026-03-26 (archived)" and title[days[-1]] == f"Data through {days[-1]}"
    refs = json.loads(pages.read_file(storage.REFS))
    assert set(refs) == set(full)
    used = {p for paths in refs.values() for p in paths}
    assert {p for p in tree if p.startswith("_assets/") and p != storage.REFS} == used
    assert pages.read_file("latest/claims/a/index.html") == pages.read_file(f"{days[-1]}/claims/a/index.html")
    assert sum(1 for p in tree if p.endswith("site.css")) == 1
    # a full version's links resolve against the branch's shared assets
    checkout = tmp_path / "checkout"
    git(repo, "worktree", "add", "-q", str(checkout), "gh-pages")
    for day in days:
        assert gates.check_links(checkout / day, f"{ROOT}{day}/", checkout, ROOT) == [], day
    assert gates.check_links(checkout / "latest", f"{ROOT}latest/", checkout, ROOT) == []
    # once the newest window is full, a new archived day adds a few KB, not a full copy
    steady = [b - a for a, b in zip(sizes[8:], sizes[9:], strict=False)]
    assert max(steady) < 12_000, steady


def test_a_second_run_over_the_same_branch_archives_nothing_again(repo, tmp_path):
    retention = Retention(newest=1, period="quarter")
    days = weekdays("2026-03-02", 4)
    for i, day in enumerate(days):
        publish_fake(repo, tmp_path / f"s{i}", day, "Accurate", retention)
    pages = Pages(repo)
    head, before = pages.head(), pages.read_dir(days[1])
    config = PublishConfig(repo=repo, stage_dir=tmp_path / "again", site_url=ROOT, run_tests=False,
                           retention=retention, log=lambda _m: None)
    plan = Plan("gh-pages", head, stage_dir=str(tmp_path / "again"))
    store_stage(config, pages, plan, {}, published_history(pages))
    assert plan.archived == {} and plan.unused_assets == []
    assert archive.archive_version(before, days[1], archive.archived_title("x"), days[0]) == \
        archive.archive_version(before, days[1], "x", days[0])
    assert pages.head() == head


def test_a_file_no_page_links_to_stays_in_the_version():
    files = {**built_site("2026-03-02"), "assets/loaded-by-script.js": b"2"}
    shared = storage.share_assets(files, Addresses(ROOT))
    assert shared.files["assets/loaded-by-script.js"] == b"2"
    assert not any(p.endswith("loaded-by-script.js") for p in shared.assets)


def test_the_projection_bounds_full_versions_by_the_rule_not_by_the_change_rate():
    rule = Retention(newest=10, period="quarter", changes="quarter")
    low, high = (storage.project(10_000_000, 100_000, 30_000_000, rate, rule) for rate in (0.01, 0.9))
    assert low.versions == high.versions == 1305
    assert low.full_versions <= high.full_versions <= 10 + 20 + 20
    assert high.total_bytes == high.full_versions * 10_000_000 + high.archived_versions * 100_000 + 30_000_000
    every = storage.project(10_000_000, 100_000, 30_000_000, 0.5, Retention(changes="all"))
    assert every.full_versions > 600 and not every.fits and high.fits


def test_the_size_gate_stops_a_tree_over_the_limit():
    assert gates.size_gate(999, 1000).ok and not gates.size_gate(1000, 1000).ok
    present = {"a/x.html": 10, "a/y/z.html": 5, "ab/x.html": 7, "_assets/1/s.css": 3}
    assert storage.tree_bytes_after(present, ["a", "_assets/1/s.css"], {"a/new.html": 2}) == 7 + 2
