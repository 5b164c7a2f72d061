"""Browser tests: the built site, and the gh-pages output of a local publish, served on localhost and driven in
Debian's Chromium by Playwright (Python). axe-core comes from npm (``.ci/run`` installs all three).

Every test here is marked ``browser`` (``python -m pytest -m browser`` runs only these). Where Chromium,
Playwright or axe-core is missing they are skipped, except under CI (``CI=true``), where that is a failure.
Screenshots of the home page and two claim pages at both widths are written to ``tests/browser/artifacts/``.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import tarfile
import threading
from collections.abc import Iterator
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest

from generator import paths
from generator.build import GENERATED, BuildConfig, build

CHROMIUM = Path(os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium"))
AXE = paths.REPO_ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SITE_PREFIX = "factcheck"
"""The published tree is served under /factcheck/, as GitHub Pages serves a project site."""
GIT_ENV = {"GIT_AUTHOR_NAME": "Publisher", "GIT_AUTHOR_EMAIL": "publisher@example.invalid",
           "GIT_COMMITTER_NAME": "Publisher", "GIT_COMMITTER_EMAIL": "publisher@example.invalid"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.enable_socket)  # a localhost HTTP server; nothing else is reached


def _missing() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    if not CHROMIUM.exists():
        return f"Chromium is not at {CHROMIUM} (apt-get install chromium)"
    if not AXE.exists():
        return f"axe-core is not at {AXE} (npm install --prefix .cache/axe axe-core)"
    return ""


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run under CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


class Server:
    """A static file server on 127.0.0.1 (a free port), in a thread."""

    def __init__(self, root: Path) -> None:
        quiet = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *_a: None})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(quiet, directory=str(root)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.origin = f"http://127.0.0.1:{self.httpd.server_port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _fresh_site_src(target: Path) -> Path:
    shutil.copytree(paths.SITE_SRC_DIR, target, ignore=shutil.ignore_patterns("mkdocs.yml"))
    for name in GENERATED:
        generated = target / "docs" / name
        if generated.is_dir():
            shutil.rmtree(generated)
        elif generated.exists():
            generated.unlink()
    return target


@pytest.fixture(scope="session")
def site(tmp_path_factory, browser) -> Iterator[Server]:
    """The whole site, built offline from the committed snapshot (a local build: no site_url, no versions)."""
    root = tmp_path_factory.mktemp("browser-site")
    config = BuildConfig(offline=True, site_src_dir=_fresh_site_src(root / "site_src"), site_dir=root / "site",
                         repo_url="https://github.com/example/factcheck", log=lambda _m: None)
    build(config)
    server = Server(config.site_dir)
    server.site_dir = config.site_dir
    yield server
    server.close()


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="session")
def published(tmp_path_factory, browser) -> Iterator[tuple[Server, str, str]]:
    """A dry-run publish (two claims, to keep it short) into a temporary repository's gh-pages branch, served
    under /factcheck/: versions ``as-published`` and the data date (alias ``latest``). Yields the server, the
    dated version's name and the site's root URL."""
    from generator.claims.rut_first_break import CLAIM as FIRST_BREAK
    from generator.claims.rut_ytd_2026 import CLAIM as RUT_YTD
    from generator.publish.flow import PublishConfig, publish
    from generator.publish.gates import last_bar
    from generator.publish.versions import Pages

    root = tmp_path_factory.mktemp("browser-publish")
    repo = root / "repo"
    shutil.copytree(paths.SNAPSHOT_DIR, repo / "data" / "series")
    with pytest.MonkeyPatch.context() as mp:
        for key, value in GIT_ENV.items():
            mp.setenv(key, value)
        mp.setattr("generator.build.all_claims", lambda: [RUT_YTD, FIRST_BREAK])
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "snapshot")
        publish(PublishConfig(repo=repo, snapshot_dir=repo / "data" / "series",
                              datasets_dir=repo / "data" / "datasets", site_src_dir=_fresh_site_src(root / "src"),
                              stage_dir=root / "stage", site_url=f"https://example.github.io/{SITE_PREFIX}/",
                              run_date=date.fromisoformat(last_bar(repo / "data" / "series")), run_tests=False,
                              log=lambda _m: None))
    served = root / "served"
    archive = subprocess.run(["git", "archive", "--format=tar", "gh-pages"], cwd=repo, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(served / SITE_PREFIX, filter="data")
    dated = next(v.name for v in Pages(repo).versions() if "latest" in v.aliases)
    server = Server(served)
    yield server, dated, f"{server.origin}/{SITE_PREFIX}"
    server.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
