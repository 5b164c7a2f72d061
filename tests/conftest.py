"""Shared fixtures. Tests never touch the network: pytest-socket is on for every test (see pyproject).

Builds are the suite's cost, so a test that only reads a built site uses ``shared_site`` (one whole offline
build per session) instead of building its own; only tests that need their own inputs (faults, cutoffs, a
different claim set) build. Every build of the session, in this process and in the subprocesses it starts,
uses one content cache in a temporary folder (``FACTCHECK_CACHE_DIR``), never the developer's ``.cache``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest

TEST_CACHE_ENV = "FACTCHECK_TEST_CACHE_DIR"
"""Set by the first session: a suite started by a test (in a subprocess) reuses its parent's cache folder."""
_OWN_CACHE = not os.environ.get(TEST_CACHE_ENV)
if _OWN_CACHE:
    os.environ[TEST_CACHE_ENV] = tempfile.mkdtemp(prefix="factcheck-test-cache-")
# before any generator import: generator.cache reads it once, as the default of BuildConfig.cache_dir
os.environ["FACTCHECK_CACHE_DIR"] = os.environ[TEST_CACHE_ENV]

from generator import paths  # noqa: E402
from generator.build import GENERATED, BuildConfig, BuildResult, build  # noqa: E402
from generator.catalog import CATALOG  # noqa: E402
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Rule, Verdict  # noqa: E402
from generator.load import load_snapshot  # noqa: E402
from generator.market import MarketData  # noqa: E402
from generator.paths import SHARED_RAW_DIR, SNAPSHOT_DIR  # noqa: E402
from generator.snapshot.store import SnapshotStore  # noqa: E402

SHARED_SITE_URL = "https://example.github.io/factcheck/"
"""The shared build's site_url (canonical links, ClaimReview URLs): a project site, as GitHub Pages serves it."""
SHARED_REPO_URL = "https://github.com/example/factcheck"


def pytest_unconfigure(config: pytest.Config) -> None:
    if _OWN_CACHE:
        shutil.rmtree(os.environ[TEST_CACHE_ENV], ignore_errors=True)


SHARED_GROUP = "shared-builds"
"""The xdist group of every test that reads ``shared_site`` or ``shared_publish``: all run in one worker, so the
session builds the site and the publish once, not once per worker."""


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if {"shared_site", "shared_publish"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group(SHARED_GROUP))


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (pyproject's addopts) starts one worker per core, except for a run of tests named by id
    (``python -m pytest tests/x.py::test_y``): that runs here, at once, without starting workers."""
    if config.args and all("::" in arg for arg in config.args):
        return 0
    return None  # xdist's own count


@pytest.fixture(scope="session")
def market() -> MarketData:
    """The committed embedded snapshot, validated, as the build sees it."""
    return load_snapshot(SnapshotStore(SNAPSHOT_DIR)).data


@pytest.fixture(scope="session")
def shared_raw():
    """The raw collectors' files, for cross-checks; tests using it skip on a clone without ../shared."""
    if not SHARED_RAW_DIR.exists():
        pytest.skip("needs ../shared/data/raw, the collectors' raw files kept next to the repository "
                    "(absent on a fresh clone; the embedded snapshot in data/ does not need it)")
    return SHARED_RAW_DIR


class NetworkBlocked(RuntimeError):
    """Raised when a test reaches for the network through libcurl."""


@pytest.fixture(autouse=True)
def _no_curl_network(monkeypatch):
    """pytest-socket cannot see libcurl's own sockets (yfinance and our HTTP sources use curl_cffi), so the
    one call that sends a request, ``Curl.perform``, fails in every test. Fakes answer before reaching it."""
    import curl_cffi.curl

    def blocked(*_args, **_kwargs):
        raise NetworkBlocked("network access is disabled in tests (curl_cffi)")

    monkeypatch.setattr(curl_cffi.curl.Curl, "perform", blocked)


@pytest.fixture(autouse=True)
def _fresh_probes():
    """Each test starts a new "run": no host has been probed or reported yet."""
    from generator.sources.net import PROBES

    PROBES.clear()
    yield
    PROBES.clear()


def fresh_site_src(target: Path) -> Path:
    """A copy of the committed MkDocs project at ``target``, without anything a build generated."""
    shutil.copytree(paths.SITE_SRC_DIR, target, ignore=shutil.ignore_patterns("mkdocs.yml", ".build.lock"))
    for name in GENERATED:
        generated = target / "docs" / name
        if generated.is_dir():
            shutil.rmtree(generated)
        elif generated.exists():
            generated.unlink()
    return target


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass
class SharedSite:
    """One whole offline build of the committed snapshot, and what it logged."""

    config: BuildConfig
    result: BuildResult
    lines: list[str] = field(default_factory=list)

    @property
    def site_dir(self) -> Path:
        return self.config.site_dir

    @property
    def served_root(self) -> Path:
        """The folder to serve so that the site sits at the path its site_url names (/factcheck/)."""
        return self.config.site_dir.parent


@pytest.fixture(scope="session")
def shared_site(tmp_path_factory) -> SharedSite:
    """The whole site, built once per session, for every test that only reads it (files, pages in a browser).

    Built with a site_url and a repository address, as a published site is; no release, so no version selector.
    A test must not change it: at the end of the session its files are compared with what the build wrote."""
    root = tmp_path_factory.mktemp("shared-site")
    lines: list[str] = []
    config = BuildConfig(offline=True, site_src_dir=fresh_site_src(root / "site_src"),
                         site_dir=root / "www" / "factcheck", site_url=SHARED_SITE_URL,
                         repo_url=SHARED_REPO_URL, log=lines.append)
    shared = SharedSite(config, build(config), lines)
    before = {"site": _digest(config.site_dir), "docs": _digest(config.docs_dir)}
    yield shared
    after = {"site": _digest(config.site_dir), "docs": _digest(config.docs_dir)}
    changed = {part: sorted(set(before[part].items()) ^ set(after[part].items())) for part in before}
    assert changed == {"site": [], "docs": []}, "a test changed the shared site; copy it instead"


# --- one dry-run publish, shared by tests/integration/test_publish.py and the browser tests ----------------------

PUBLISH_SITE_URL = "https://example.github.io/factcheck/"
PUBLISH_CUT = "2026-06-30"
"""The first publish's snapshot ends here; the second publishes the whole committed snapshot."""
GIT_ENV = {"GIT_AUTHOR_NAME": "Publisher", "GIT_AUTHOR_EMAIL": "publisher@example.invalid",
           "GIT_COMMITTER_NAME": "Publisher", "GIT_COMMITTER_EMAIL": "publisher@example.invalid"}


def publish_run_date() -> date:
    """The day after the committed data's last bar: fresh for it, and never before it (a refresh moves it)."""
    from generator.publish import gates

    return date.fromisoformat(gates.last_bar(paths.SNAPSHOT_DIR)) + timedelta(days=1)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def write_snapshot(folder: Path, cut: str | None) -> None:
    """The committed snapshot, optionally with every row after ``cut`` removed (manifests rewritten to match)."""
    if folder.exists():
        shutil.rmtree(folder)
    if cut is None:
        shutil.copytree(paths.SNAPSHOT_DIR, folder)
        return
    source, target = SnapshotStore(paths.SNAPSHOT_DIR), SnapshotStore(folder)
    for spec in CATALOG:
        if source.has(spec.id):
            frame, manifest = source.read(spec)
            target.write(spec, frame.loc[:cut], manifest)


def probe_claim(threshold: float) -> Claim:
    """A claim that is Accurate exactly when the last Russell 2000 close is at or above ``threshold``."""

    def compute(data: MarketData) -> Computation:
        close = data.close("rut")
        fig = Figure("close", "Last close", float(close.iloc[-1]), "points", close.index[-1].strftime("%Y-%m-%d"))
        return Computation([Reading("last", "Last close", (fig,), "close", matches_article=True)], "last")

    def apply(comp: Computation) -> Verdict:
        value = float(comp.figure("close").value)
        return Verdict("Accurate" if value >= threshold else "Inaccurate", f"last close {value:.2f} vs {threshold:.2f}")

    return Claim(id="PROBE-LAST-CLOSE", order=99, title="Probe: the index is above a level", section="Opening",
                 quote="above the level", paraphrase="The Russell 2000 closes above a level.",
                 article=(ArticleFigure("level", "Level", threshold, "points", "above the level"),),
                 needs=("rut",), method="The last close.", compute=compute,
                 finding=lambda comp: f"The last close was {comp.number('close'):,.2f}.",
                 rule=Rule(f"Accurate if the last close is at least {threshold:.2f}, else Inaccurate.", apply))


@pytest.fixture(scope="session")
def shared_publish(tmp_path_factory, market) -> dict:
    """Two dry-run publishes into a temporary repository's gh-pages branch (git and mike run locally; nothing is
    pushed): a snapshot cut at ``PUBLISH_CUT`` (versions ``as-published`` and the cut's date), then the whole
    committed snapshot (its data date, alias ``latest``).

    The claim set (``claims``) is the model claim RUT-YTD-2026, RUT-FIRST-BREAK (its page has a chart) and a
    probe whose verdict depends on the last close, so the tests do not depend on the other claims' results.
    While a test publishes again with this repository, it patches ``generator.build.all_claims`` to ``claims``.
    ``served`` is the gh-pages tree as the second publish left it, under ``factcheck/`` (as GitHub Pages serves
    a project site). Tests may publish into ``repo`` (gh-pages must stay as it is); ``served`` is read-only."""
    from generator.claims.rut_first_break import CLAIM as FIRST_BREAK
    from generator.claims.rut_ytd_2026 import CLAIM as RUT_YTD
    from generator.publish.flow import PublishConfig, publish
    from generator.publish.versions import Pages

    closes = market.close("rut")
    close_a, close_b = float(closes[:PUBLISH_CUT].iloc[-1]), float(closes.iloc[-1])
    assert close_a != close_b
    claims = (RUT_YTD, FIRST_BREAK, probe_claim((close_a + close_b) / 2))
    root = tmp_path_factory.mktemp("publish")
    repo = root / "repo"
    snapshot = repo / "data" / "series"
    site_src = fresh_site_src(root / "site_src")
    write_snapshot(snapshot, PUBLISH_CUT)

    def config(run_date: date, stage: str) -> PublishConfig:
        return PublishConfig(repo=repo, snapshot_dir=snapshot, datasets_dir=repo / "data" / "datasets",
                             site_src_dir=site_src, stage_dir=root / stage, site_url=PUBLISH_SITE_URL,
                             run_date=run_date, run_tests=False, log=lambda _m: None)

    with pytest.MonkeyPatch.context() as mp:
        for key, value in GIT_ENV.items():
            mp.setenv(key, value)
        mp.setattr("generator.build.all_claims", lambda: list(claims))
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"snapshot through {PUBLISH_CUT}")
        first = publish(config(date(2026, 7, 1), "stage-1"))
        pages = Pages(repo)
        after_first = {"head": pages.head(), "a_tree": git(repo, "rev-parse", f"gh-pages:{PUBLISH_CUT}")}
        write_snapshot(snapshot, None)  # the refreshed snapshot, as the fetch step leaves it (not committed)
        second = publish(config(publish_run_date(), "stage-2"))
    served = root / "served"
    archive = subprocess.run(["git", "archive", "--format=tar", "gh-pages"], cwd=repo, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(served / "factcheck", filter="data")
    return {"repo": repo, "pages": pages, "first": first, "second": second, "config": config,
            "snapshot": snapshot, "after_first": after_first, "close_a": close_a, "close_b": close_b,
            "latest_name": market.last_date("btc-usd"), "claims": claims, "served": served,
            "site_url": PUBLISH_SITE_URL, "cut": PUBLISH_CUT, "run_date": publish_run_date(),
            "write_snapshot": write_snapshot}
