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
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import paths

CHROMIUM = Path(os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium"))
AXE = paths.REPO_ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SITE_PREFIX = "factcheck"
"""The published tree is served under /factcheck/, as GitHub Pages serves a project site."""


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


@pytest.fixture(scope="session")
def site(browser, shared_site) -> Iterator[Server]:
    """The session's shared build of the whole site (tests/conftest.py: offline, from the committed snapshot, no
    versions), served under the path its site_url names, as GitHub Pages serves a project site. ``base`` is
    the site's root URL, without a trailing slash."""
    server = Server(shared_site.served_root)
    server.site_dir = shared_site.site_dir
    server.base = f"{server.origin}/{shared_site.site_dir.name}"
    yield server
    server.close()


@pytest.fixture(scope="session")
def published(browser, shared_publish) -> Iterator[tuple[Server, str, str]]:
    """The session's shared dry-run publish (tests/conftest.py): its gh-pages tree, served under /factcheck/ as
    GitHub Pages serves a project site, with versions ``as-published``, an older dated one and the newest (alias
    ``latest``). Yields the server, the newest version's name and the site's root URL."""
    from generator.publish.versions import Pages

    dated = next(v.name for v in Pages(shared_publish["repo"]).versions() if "latest" in v.aliases)
    server = Server(shared_publish["served"])
    yield server, dated, f"{server.origin}/{SITE_PREFIX}"
    server.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
