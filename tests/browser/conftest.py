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


AXE_PATH = "/__axe__/axe.min.js"
"""Where every test server also serves axe-core: a page loads it as a script from its own origin, so Chromium
compiles it once and reuses the compiled code (inlined into each page, it was compiled again on every page)."""


class Server:
    """A static file server on 127.0.0.1 (a free port), in a thread; it also serves axe-core at ``AXE_PATH``."""

    def __init__(self, root: Path) -> None:
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                pass

            def translate_path(self, path: str) -> str:
                return str(AXE) if path == AXE_PATH else super().translate_path(path)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.origin = f"http://127.0.0.1:{self.httpd.server_port}"
        self.axe_url = self.origin + AXE_PATH

    def tab(self, context) -> Tab:
        """A new tab in ``context`` that reports requests leaving this server's origin."""
        return Tab(context, self.origin)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Tab:
    """One page that visits URL after URL. Opening a new page for every URL started a renderer each time and
    took about as long again as the visit itself. A navigation replaces the document (its DOM, scripts and
    focus) as a new page would; storage and the HTTP cache belong to the context either way, except
    sessionStorage, which stays with the tab (the local site's pages do not use it).

    For the current visit, ``seen`` collects console errors, uncaught exceptions, requests that leave ``origin``
    and 404s (other than the visited URL itself)."""

    def __init__(self, context, origin: str) -> None:
        self.page = context.new_page()
        self.origin = origin
        self.url = ""
        self.seen: dict[str, list[str]] = {"errors": [], "outside": [], "missing": []}
        page = self.page
        page.on("console", lambda m: self.seen["errors"].append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.seen["errors"].append(str(e)))
        page.on("request", lambda r: self.seen["outside"].append(r.url)
                if not r.url.startswith(origin) and not r.url.startswith(("data:", "blob:")) else None)
        page.on("response", lambda r: self.seen["missing"].append(r.url)
                if r.status == 404 and r.url != self.url else None)

    def visit(self, url: str, wait: str = "load"):
        """Go to ``url`` (waiting for ``wait``: the load event runs every script of the site, which set up the
        charts, tables and theme at DOMContentLoaded); returns the page and a fresh ``seen``."""
        self.seen = {"errors": [], "outside": [], "missing": []}
        self.url = url
        self.page.goto(url, wait_until=wait)
        return self.page, self.seen


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
def tabs(browser, site) -> Iterator[dict[int, Tab]]:
    """One tab on the shared site per width (390 and 1280 px wide, 900 high), for the tests that read one page
    at a time; each test visits its page afresh. Tests that need their own settings (no JavaScript, a colour
    scheme, a published tree) open their own context."""
    contexts = {width: browser.new_context(viewport={"width": width, "height": 900}) for width in (390, 1280)}
    yield {width: site.tab(context) for width, context in contexts.items()}
    for context in contexts.values():
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
