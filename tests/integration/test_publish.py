"""Publishing end to end in a temporary git repository: two snapshots become two dated versions on a local
gh-pages branch (plus `as-published`), with the `latest` alias, the verdict change and its feed item; a failed
gate leaves gh-pages exactly as it was. git and mike run locally; nothing is pushed.

The two publishes are the session's shared ones (``shared_publish`` in tests/conftest.py; the browser tests read
the same gh-pages tree). Their claim set is the model claim, RUT-FIRST-BREAK and a probe whose verdict depends on
the last close, so the test does not depend on the other claims' results: its expected verdicts are derived from
the snapshot here.
"""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pandas as pd
import pytest

from generator import paths
from generator.claimkit.vocabulary import follow_up
from generator.publish import gates
from generator.publish.flow import PLAN, Plan, PublishError, deploy, publish

pytestmark = pytest.mark.integration

SITE_URL = "https://example.github.io/factcheck/"
CUT_A = "2026-06-30"
RUN_B = date.fromisoformat(gates.last_bar(paths.SNAPSHOT_DIR)) + timedelta(days=1)
"""The day after the committed data's last bar: fresh for it, and never before it (a refresh moves it)."""
GIT_ENV = {"GIT_AUTHOR_NAME": "Publisher", "GIT_AUTHOR_EMAIL": "publisher@example.invalid",
           "GIT_COMMITTER_NAME": "Publisher", "GIT_COMMITTER_EMAIL": "publisher@example.invalid"}


@pytest.fixture(scope="module")
def published(shared_publish):
    """The shared publishes; while this module's tests publish again, the build sees only their claim set."""
    assert (shared_publish["site_url"], shared_publish["cut"], shared_publish["run_date"]) == (SITE_URL, CUT_A, RUN_B)
    with pytest.MonkeyPatch.context() as mp:
        for key, value in GIT_ENV.items():
            mp.setenv(key, value)
        mp.setattr("generator.build.all_claims", lambda: list(shared_publish["claims"]))
        yield shared_publish


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def test_both_dated_versions_and_as_published_are_in_mikes_versions_list(published):
    names = [v.name for v in published["pages"].versions()]
    assert sorted(names) == sorted(["as-published", CUT_A, published["latest_name"]])
    assert [v.name for v in published["first"].versions] == ["as-published", CUT_A]
    assert [v.name for v in published["second"].versions] == [published["latest_name"]]


def test_latest_is_an_alias_of_the_newest_version_and_the_default(published):
    pages = published["pages"]
    aliases = {v.name: v.aliases for v in pages.versions()}
    assert aliases[published["latest_name"]] == ("latest",)
    assert aliases[CUT_A] == () and aliases["as-published"] == ()
    assert b'latest/' in pages.read_file("index.html")
    assert pages.read_file("latest/feed.xml") == pages.read_file(f"{published['latest_name']}/feed.xml")
    assert pages.read_file(".nojekyll") is not None


def test_as_published_is_computed_as_of_the_publication_date(published):
    doc = published["pages"].findings("as-published")
    # the bars that had closed at publication (noon Beijing time on 2026-01-23): US and UTC days to the 22nd
    assert doc["data"]["data_date"] == "2026-01-22"
    assert {c["latest"]["data_date"] for c in doc["claims"]} == {"2026-01-22"}


def test_dated_versions_name_latest_as_canonical_and_as_published_names_itself(published):
    # a dated version is copied to latest/ when published (the same bytes), so both name latest/: one address
    # per page for readers and search engines; as-published is a different site and keeps its own address
    pages, page = published["pages"], "claims/probe-last-close/"
    for version in (CUT_A, published["latest_name"], "latest"):
        html = pages.read_file(f"{version}/{page}index.html").decode()
        assert f'<link rel="canonical" href="{SITE_URL}latest/{page}">' in html, version
    html = pages.read_file(f"as-published/{page}index.html").decode()
    assert f'<link rel="canonical" href="{SITE_URL}as-published/{page}">' in html


def test_the_older_version_was_not_rewritten(published):
    repo, before = published["repo"], published["after_first"]
    assert git(repo, "rev-parse", f"gh-pages:{CUT_A}") == before["a_tree"]
    assert git(repo, "merge-base", "--is-ancestor", before["head"], "gh-pages") == ""


def expected_verdict(close: float, published) -> str:
    return "Accurate" if close >= (published["close_a"] + published["close_b"]) / 2 else "Inaccurate"


def test_what_changed_lists_the_probes_verdict_change(published):
    latest = published["latest_name"]
    before, after = expected_verdict(published["close_a"], published), expected_verdict(published["close_b"], published)
    assert before != after
    html = published["pages"].read_file(f"{latest}/changes/index.html").decode()
    section = html[html.index(f'id="v-{latest}"'):html.index(f'id="v-{CUT_A}"')]
    row = section[section.index("PROBE-LAST-CLOSE"):]
    row = row[:row.index("</tr>")]
    # the verdict on the article as published is the same in both versions; what moved is "still true?"
    probe = next(c for c in published["pages"].findings(latest)["claims"] if c["id"] == "PROBE-LAST-CLOSE")
    was, now = (follow_up(probe["publication"]["verdict"], v, False) for v in (before, after))
    assert was != now
    assert "still-true answer and headline figure" in row
    assert row.index(was) < row.index(now)


def test_the_feed_has_the_change_as_an_item(published):
    latest = published["latest_name"]
    feed = ET.fromstring(published["pages"].read_file("latest/feed.xml"))
    ns = "{http://www.w3.org/2005/Atom}"
    href = f"{SITE_URL}{latest}/claims/probe-last-close/"
    items = [e for e in feed.findall(f"{ns}entry") if e.find(f"{ns}link").get("href") == href]
    assert len(items) == 1
    assert items[0].find(f"{ns}title").text.startswith("PROBE-LAST-CLOSE: still true? ")
    assert items[0].find(f"{ns}updated").text == f"{latest}T00:00:00Z"


def test_the_same_data_again_deploys_nothing(published):
    config = published["config"](RUN_B, "stage-again")
    head = published["pages"].head()
    plan = publish(config)
    assert plan.ok and plan.versions == []
    assert published["pages"].head() == head


def test_a_failed_gate_leaves_gh_pages_untouched(published):
    repo, pages, snapshot = published["repo"], published["pages"], published["snapshot"]
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "refreshed snapshot")
    head, versions = pages.head(), pages.read_file("versions.json")
    write_snapshot = published["write_snapshot"]
    write_snapshot(snapshot, "2026-08-14")  # a refresh that lost a week: the no-shrink gate must stop it
    try:
        config = published["config"](date(2026, 8, 17), "stage-shrunk")  # fresh for its data date
        with pytest.raises(PublishError, match="gates failed .*no shrink"):
            publish(config)
        plan = Plan.load(config.stage_dir / PLAN)
        # against the last commit and against what gh-pages already shows (latest would move backwards)
        assert [g.name for g in plan.gates if not g.ok] == ["no shrink", "not older than published"]
        assert [v.name for v in plan.versions] == ["2026-08-14"], "the build ran; the deploy did not"
        with pytest.raises(PublishError):
            deploy(plan, config)
        assert pages.head() == head and pages.read_file("versions.json") == versions
        assert {v["version"]: v["aliases"] for v in json.loads(versions)}[published["latest_name"]] == ["latest"]
    finally:
        write_snapshot(snapshot, None)


def test_a_stale_snapshot_fails_the_fresh_gate_and_deploys_nothing(published):
    head = published["pages"].head()
    config = published["config"](date(2026, 11, 25), "stage-stale")
    with pytest.raises(PublishError, match="fresh"):
        publish(config)
    assert published["pages"].head() == head


def test_the_snapshot_fixture_cut_really_removed_rows(published, tmp_path):
    published["write_snapshot"](tmp_path / "cut", CUT_A)
    manifest = json.loads((tmp_path / "cut" / "rut.manifest.json").read_text())
    assert manifest["last_date"] <= CUT_A and pd.Timestamp(manifest["last_date"]) >= pd.Timestamp("2026-06-26")


def test_the_cli_needs_an_explicit_mode():
    from click.testing import CliRunner

    from generator.cli import cli

    result = CliRunner().invoke(cli, ["publish"])
    assert result.exit_code == 1 and "--dry-run" in result.output
