"""Whole builds under fault: hostile text in every manifest and reference field, and two builds at once."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator import paths
from generator.build import BuildConfig, build
from generator.claims import all_claims
from generator.integrity import write_reference_checksums

pytestmark = pytest.mark.integration

HOSTILE = '<script>alert(1)</script>[x](javascript:alert(2)){: onclick="alert(3)" }<img src=x onerror=alert(4)>'


def site_src_copy(root: Path) -> Path:
    site_src = root / "site_src"
    shutil.copytree(paths.SITE_SRC_DIR, site_src, ignore=shutil.ignore_patterns("mkdocs.yml", ".build.lock"))
    return site_src


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    snapshot, refs = root / "series", root / "reference"
    shutil.copytree(paths.SNAPSHOT_DIR, snapshot)
    shutil.copytree(paths.REFERENCE_DIR, refs)
    for path in snapshot.glob("*.manifest.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc.update(notes=[HOSTILE], source=HOSTILE, unit=HOSTILE, name=doc["name"] + HOSTILE,
                   upstream_url="javascript:alert(5)", method=HOSTILE, upstream_id=HOSTILE + "`")
        for origin in doc["origins"]:
            origin.update(location="javascript:alert(6)", role=HOSTILE, publisher=HOSTILE)
        for check in doc["cross_checks"]:
            check["against"] = HOSTILE
        path.write_text(json.dumps(doc), encoding="utf-8")
    for path in refs.glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["about"] = HOSTILE
        path.write_text(json.dumps(doc), encoding="utf-8")
    protocol = json.loads((refs / "bitcoin_protocol.json").read_text(encoding="utf-8"))
    protocol["satoshi_per_btc"]["note"] = HOSTILE
    (refs / "bitcoin_protocol.json").write_text(json.dumps(protocol), encoding="utf-8")
    moves = json.loads((refs / "confirmed_moves.json").read_text(encoding="utf-8"))
    moves["moves"][0].update(note=HOSTILE, source="https://example.org/\"><script>alert(7)</script>")
    (refs / "confirmed_moves.json").write_text(json.dumps(moves), encoding="utf-8")
    write_reference_checksums(refs)
    config = BuildConfig(offline=True, snapshot_dir=snapshot, reference_dir=refs, site_src_dir=site_src_copy(root),
                         site_dir=root / "site", site_url="https://example.org/site/", log=lambda _m: None)
    build(config)
    return config.site_dir


class Markup(HTMLParser):
    """What a page would run: event-handler attributes, script bodies, link targets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.handlers: list[str] = []
        self.links: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for key, value in attrs:
            if key.startswith("on"):
                self.handlers.append(f"{tag} {key}={value}")
            if key in ("href", "src") and value:
                self.links.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_no_hostile_text_becomes_markup_on_any_page(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > len(all_claims())
    data_page = (hostile_site / "data" / "index.html").read_text(encoding="utf-8")
    assert "alert(1)" in data_page and "alert(6)" in data_page  # the text is shown...
    for page in pages:
        parsed = Markup()
        parsed.feed(page.read_text(encoding="utf-8"))
        where = page.relative_to(hostile_site).as_posix()
        assert parsed.handlers == [], where  # ...never run
        assert not any("alert(" in body and "ClaimReview" not in body for body in parsed.scripts), where
        assert not [link for link in parsed.links if link.strip().lower().startswith(("javascript:", "data:text"))], where
        assert not [link for link in parsed.links if "alert(" in link], where
        assert "x" not in parsed.links, where  # the <img src=x> of the hostile text is not an element


def test_claimreview_stays_valid_json_with_hostile_text(hostile_site):
    for claim in all_claims():
        html = (hostile_site / "claims" / claim.slug / "index.html").read_text(encoding="utf-8")
        scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert scripts, claim.id
        for text in scripts:
            doc = json.loads(text)
            assert doc["@type"] == "ClaimReview"
            assert "<" not in text


def test_two_builds_at_once_both_finish_and_leave_one_whole_site(tmp_path):
    site_src, site = site_src_copy(tmp_path), tmp_path / "site"
    script = ("import sys; from pathlib import Path; from generator.build import BuildConfig, build; "
              "build(BuildConfig(offline=True, site_src_dir=Path(sys.argv[1]), site_dir=Path(sys.argv[2])))")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(site_src), str(site)], cwd=paths.REPO_ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=600)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert sum("another build is running here" in out for out in outputs) == 1
    assert (site / "index.html").is_file()
    for claim in all_claims():
        assert (site / "claims" / claim.slug / "index.html").is_file(), claim.id
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.") and not p.name.endswith(".lock")) == []


def test_a_warning_on_a_series_a_claim_uses_is_shown_on_that_claims_page(hostile_site):
    """The validation warnings are not only on the data page: each claim page lists those of its own series."""
    uses_rut = [c for c in all_claims() if "rut" in c.needs]
    btc_only = [c for c in all_claims() if set(c.needs) == {"btc-usd"}]
    assert uses_rut and btc_only
    for claim in uses_rut:
        text = (hostile_site / "claims" / claim.slug / "index.html").read_text(encoding="utf-8")
        assert "Data checks on the series used here" in text, claim.id
        assert "Russell 2000 index, 2020-03-16: one-day jump" in text, claim.id
    for claim in btc_only:
        text = (hostile_site / "claims" / claim.slug / "index.html").read_text(encoding="utf-8")
        assert "Russell 2000 index, 2020-03-16" not in text, claim.id
        assert "Bitcoin in US dollars, 2020-03-12: one-day jump" in text, claim.id
