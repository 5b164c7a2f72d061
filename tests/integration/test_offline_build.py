"""A whole offline build, into temporary folders: pages, charts, CSVs and findings.json all appear."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from generator import paths
from generator.article import PUBLISHED_AT
from generator.build import BuildConfig, build
from generator.calendars import last_visible_day
from generator.claims import all_claims

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("build")
    site_src = root / "site_src"
    shutil.copytree(paths.SITE_SRC_DIR, site_src, ignore=shutil.ignore_patterns("mkdocs.yml"))
    for generated in ("index.md", "methodology.md", "data.md", "findings.json", "claims"):
        target = site_src / "docs" / generated
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    lines: list[str] = []
    config = BuildConfig(offline=True, site_src_dir=site_src, site_dir=root / "site", log=lines.append)
    result = build(config)
    return config, result, lines


def test_offline_build_says_it_used_the_snapshot(built):
    config, result, lines = built
    assert any("offline" in line and "snapshot" in line for line in lines)
    home = (config.site_dir / "index.html").read_text(encoding="utf-8")
    assert "embedded data snapshot" in home
    assert f"Data through {result.data_date}" in home


def test_every_claim_has_a_page_and_an_entry_in_findings(built):
    config, result, _ = built
    findings = json.loads((config.site_dir / "findings.json").read_text(encoding="utf-8"))
    ids = [c["id"] for c in findings["claims"]]
    assert ids == [c.id for c in all_claims()]
    for claim in all_claims():
        page = config.site_dir / "claims" / claim.slug / "index.html"
        assert page.exists(), claim.id
        html = page.read_text(encoding="utf-8")
        assert "Data through" in html and claim.rule.text.split(";")[0][:40] in html


def test_findings_figures_match_the_snapshot(built, market):
    config, _, _ = built
    findings = json.loads((config.site_dir / "findings.json").read_text(encoding="utf-8"))
    ytd = next(c for c in findings["claims"] if c["id"] == "RUT-YTD-2026")
    close = market.close("rut")
    seen = last_visible_day("nyse", PUBLISHED_AT).isoformat()  # the last US close before publication
    assert seen == "2026-01-22"
    expected = (close[:seen].iloc[-1] / close[:"2025-12-31"].iloc[-1] - 1) * 100
    assert ytd["publication"]["figures"]["ytd_return"]["value"] == pytest.approx(expected)
    assert ytd["publication"]["figures"]["ytd_return"]["unit"] == "%"
    assert ytd["publication"]["data_date"] == seen
    assert ytd["latest"]["data_date"] == market.last_date("rut")


def test_charts_and_csvs_sit_next_to_the_pages(built):
    config, result, _ = built
    for pub, lat in result.pairs:
        if pub.claim.chart is None or lat.computation is None:
            continue  # no chart for a claim that needs live data
        svg = config.site_dir / "claims" / f"{pub.claim.slug}.svg"
        csv = config.site_dir / "claims" / f"{pub.claim.slug}.csv"
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<svg"), pub.claim.id
        shown = pd.read_csv(csv)
        evidence = lat.computation.evidence
        assert list(shown.columns) == [str(c) for c in evidence.columns], pub.claim.id
        assert len(shown) == len(evidence), pub.claim.id
        assert svg.stat().st_size < 400_000, "keep pages light: downsample the evidence"


def _generated(docs):
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*"))
            if p.is_file() and "assets" not in p.parts}


def test_the_same_inputs_give_the_same_bytes(built, tmp_path):
    config, _, _ = built
    first = _generated(config.docs_dir)
    again = BuildConfig(offline=True, site_src_dir=config.site_src_dir, site_dir=tmp_path / "site",
                        build_site=False, log=lambda _m: None)
    build(again)
    second = _generated(config.docs_dir)
    assert sorted(second) == sorted(first)
    changed = [name for name in first if first[name] != second[name]]
    assert changed == []
