"""The built site carries nothing a reader never loads: no source maps (nor comments naming them), no search
language packs beyond the index's languages; findings.json is compact and still the same document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.build import BuildConfig, site_stage
from generator.findings import dumps
from generator.publish.slim import lunr_files_needed, slim_site

LUNR = ("tinyseg.js", "wordcut.js", "min/lunr.de.min.js", "min/lunr.ja.min.js", "min/lunr.multi.min.js",
        "min/lunr.stemmer.support.min.js")


def fake_site(root: Path, languages: list[str]) -> Path:
    js = root / "assets" / "javascripts"
    (js / "workers").mkdir(parents=True)
    (js / "bundle.min.js").write_text("var a=1;\n//# sourceMappingURL=bundle.min.js.map\n")
    (js / "bundle.min.js.map").write_text("{}")
    (js / "workers" / "search.min.js").write_text("var s=1;\n//# sourceMappingURL=search.min.js.map\n")
    (js / "workers" / "search.min.js.map").write_text("{}")
    css = root / "assets" / "stylesheets"
    css.mkdir(parents=True)
    (css / "main.min.css").write_text("a{color:red}\n/*# sourceMappingURL=main.min.css.map */\n")
    (css / "main.min.css.map").write_text("{}")
    (js / "site.js").write_text("// mentions sourceMappingURL in the middle, not as a map comment\nvar b=2;\n")
    for name in LUNR:
        (js / "lunr" / name).parent.mkdir(parents=True, exist_ok=True)
        (js / "lunr" / name).write_text("lunr")
    (root / "search").mkdir()
    (root / "search" / "search_index.json").write_text(json.dumps({"config": {"lang": languages}, "docs": []}))
    return root


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_english_site_loses_maps_their_comments_and_every_language_pack(tmp_path):
    site = fake_site(tmp_path / "site", ["en"])
    slimmed = slim_site(site)
    left = files(site)
    assert not any(p.endswith(".map") for p in left)
    assert not (site / "assets/javascripts/lunr").exists()
    for path in ("assets/javascripts/bundle.min.js", "assets/javascripts/workers/search.min.js",
                 "assets/stylesheets/main.min.css"):
        assert "sourceMappingURL" not in (site / path).read_text(), path
    assert (site / "assets/javascripts/bundle.min.js").read_text() == "var a=1;\n"
    assert (site / "assets/stylesheets/main.min.css").read_text() == "a{color:red}\n"
    assert "sourceMappingURL in the middle" in (site / "assets/javascripts/site.js").read_text()
    assert slimmed.comments_removed == 3 and len(slimmed.removed) == 3 + len(LUNR)


def test_other_languages_keep_exactly_what_the_search_worker_imports(tmp_path):
    site = fake_site(tmp_path / "site", ["en", "ja"])
    slim_site(site)
    lunr = {p.removeprefix("assets/javascripts/lunr/") for p in files(site) if "/lunr/" in p}
    assert lunr == {"tinyseg.js", "min/lunr.ja.min.js", "min/lunr.multi.min.js", "min/lunr.stemmer.support.min.js"}
    assert lunr_files_needed(["de"]) == {"min/lunr.de.min.js", "min/lunr.stemmer.support.min.js"}
    assert lunr_files_needed(["en"]) == set()


def test_slimming_is_idempotent(tmp_path):
    site = fake_site(tmp_path / "site", ["en"])
    slim_site(site)
    before = {p: (site / p).read_bytes() for p in files(site)}
    again = slim_site(site)
    assert again.removed == [] and again.comments_removed == 0
    assert {p: (site / p).read_bytes() for p in files(site)} == before


def test_a_site_without_a_search_index_keeps_its_lunr_folder(tmp_path):
    site = fake_site(tmp_path / "site", ["en"])
    (site / "search" / "search_index.json").unlink()
    slim_site(site)
    assert (site / "assets/javascripts/lunr/min/lunr.de.min.js").exists()


@pytest.mark.integration
def test_site_stage_builds_material_without_maps_or_language_packs(tmp_path):
    """A real (tiny) Material build through site_stage: what Material writes is slimmed before the swap."""
    src = tmp_path / "site_src"
    (src / "docs").mkdir(parents=True)
    (src / "docs" / "index.md").write_text("# Hello\n\nA page.\n")
    (src / "mkdocs.yml").write_text("site_name: t\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n")
    site = site_stage(BuildConfig(site_src_dir=src, site_dir=tmp_path / "site", log=lambda _m: None))
    built = files(site)
    assert "index.html" in built and "search/search_index.json" in built
    assert not [p for p in built if p.endswith(".map") or "/lunr/" in p]
    for path in built:
        if path.endswith((".js", ".css")):
            assert b"sourceMappingURL" not in (site / path).read_bytes(), path


def test_findings_json_is_compact_and_round_trips():
    doc = {"schema": "x", "claims": [{"id": "A", "value": 1.5, "name": "Café"}], "data": {}}
    text = dumps(doc)
    assert "\n" not in text.rstrip("\n") and ": " not in text and ", " not in text
    assert json.loads(text) == doc and "Café" in text
