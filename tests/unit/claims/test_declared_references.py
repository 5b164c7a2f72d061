"""Every claim declares the reference files it reads (``Claim.references``): the claim results cache keys a
claim on the bytes of what it declares, so an undeclared read would let a changed file go unnoticed.

Reads are recorded at the file boundary (``Path.read_text`` / ``read_bytes`` under data/reference/), with the
in-memory copies of reference files forgotten first so that each claim's reads happen again.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from generator.article import PUBLISHED_AT
from generator.claimkit.evaluate import evaluate
from generator.claims import all_claims, get
from generator.paths import REFERENCE_DIR


def forget_loaded_files() -> None:
    """Clear every memoised function of the generator package (reference files are loaded once and kept)."""
    for name, module in list(sys.modules.items()):
        if name != "generator" and not name.startswith("generator."):
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", "") == name \
                    and value is not all_claims:
                value.cache_clear()


@pytest.fixture
def reads(monkeypatch):
    """Names of the reference files read since the fixture started."""
    seen: set[str] = set()
    root = REFERENCE_DIR.resolve()
    for method in ("read_text", "read_bytes"):
        real = getattr(Path, method)

        def recording(self, *args, _real=real, **kwargs):
            path = Path(self).resolve()
            if path.parent == root:
                seen.add(path.name)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(Path, method, recording)
    forget_loaded_files()
    yield seen
    forget_loaded_files()


@pytest.mark.parametrize("claim", all_claims(), ids=lambda c: c.id)
def test_a_claim_reads_only_the_reference_files_it_declares(market, claim, reads):
    evaluate(claim, market, "publication", PUBLISHED_AT)
    evaluate(claim, market, "latest")
    undeclared = reads - set(claim.references)
    assert not undeclared, f"{claim.id} reads reference files it does not declare: {sorted(undeclared)}"


def test_the_recording_sees_a_reference_read(market, reads):
    evaluate(get("RISK-CURVE"), market, "latest")
    assert "fomc_easing_cycles.json" in reads
