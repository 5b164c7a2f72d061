"""Cards still being drawn when MkDocs starts are finished while it runs and reach the site and the docs folder;
the one card a page shows (the example on "How to read this site") is there before MkDocs starts."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import pytest

from generator import build as build_module
from generator.build import BuildConfig, BuildError, build
from generator.charts.drawing import DrawingError, Pending
from generator.pages.reader import EXAMPLE
from tests.conftest import fresh_site_src


def held_cards(monkeypatch, docs, release: str = "result") -> dict:
    """Cards whose drawing ends only when MkDocs has built the site (``slim_site`` runs on its output): with
    ``release="error"`` they fail instead."""
    state: dict = {"held": [], "docs_at_mkdocs": None}
    real_start, real_slim = build_module.start_cards, build_module.slim_site

    def start(*args, **kwargs):
        started = real_start(*args, **kwargs)
        out = []
        for i, (path, pending) in enumerate(started):
            if i == EXAMPLE:
                out.append((path, pending))
                continue
            future: Future = Future()
            state["held"].append((future, pending))
            out.append((path, Pending(future)))
        return out

    def release_all() -> None:
        for future, pending in state["held"]:
            if future.done():
                continue
            if release == "error":
                future.set_exception(DrawingError("could not draw the preview card of X: broken"))
            else:
                future.set_result(pending.result())

    def slim(staging):
        state["docs_at_mkdocs"] = sorted(p.name for p in (docs / "claims").glob("*.png"))
        release_all()
        return real_slim(staging)

    # a build that waited for every card before MkDocs would wait for ever: released after a minute, it fails
    # the assertions instead
    timer = threading.Timer(60, release_all)
    timer.daemon = True
    timer.start()
    state["timer"] = timer

    monkeypatch.setattr(build_module, "start_cards", start)
    monkeypatch.setattr(build_module, "slim_site", slim)
    return state


def test_cards_drawn_while_mkdocs_runs_reach_the_site_and_the_docs(tmp_path, monkeypatch):
    config = BuildConfig(offline=True, site_src_dir=fresh_site_src(tmp_path / "src"), site_dir=tmp_path / "site",
                         log=lambda _m: None)
    state = held_cards(monkeypatch, config.docs_dir)
    result = build(config)
    slugs = [pub.claim.slug for pub, _ in result.pairs]
    assert state["held"] and state["docs_at_mkdocs"] == [f"{slugs[EXAMPLE]}.png"]  # only the example before MkDocs
    for slug in slugs:
        for folder in (config.site_dir, config.docs_dir):
            assert (folder / "claims" / f"{slug}.png").read_bytes().startswith(b"\x89PNG"), (folder, slug)


def test_a_card_that_fails_while_mkdocs_runs_fails_the_build_and_keeps_the_old_site(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    config = BuildConfig(offline=True, site_src_dir=fresh_site_src(tmp_path / "src"), site_dir=site,
                         log=lambda _m: None)
    held_cards(monkeypatch, config.docs_dir, release="error")
    with pytest.raises(BuildError, match="^cards: could not draw the preview card of X: broken$"):
        build(config)
    assert (site / "index.html").read_text(encoding="utf-8") == "old"
