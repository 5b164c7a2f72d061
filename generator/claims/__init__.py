"""The claim registry: every module in this package that defines ``CLAIM`` is one claim of the article.

To find where claim X is computed, open ``generator/claims/<x_in_snake_case>.py``. The framework the claims
share (what a claim is, rules, evaluation) lives in :mod:`generator.claimkit`, so this package holds claims only.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from generator.claimkit.base import Claim


@cache
def all_claims() -> tuple[Claim, ...]:
    """Every registered claim, in the order of the article's claims inventory."""
    found: list[Claim] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        claim = getattr(module, "CLAIM", None)
        if not isinstance(claim, Claim):
            raise TypeError(f"{module.__name__} defines no CLAIM")
        expected = claim.id.lower().replace("-", "_")
        if info.name != expected:
            raise ValueError(f"claim {claim.id} must live in generator/claims/{expected}.py, not {info.name}.py")
        found.append(claim)
    ids = [c.id for c in found]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate claim ids: {ids}")
    return tuple(sorted(found, key=lambda c: c.order))


def get(claim_id: str) -> Claim:
    for claim in all_claims():
        if claim.id.lower() == claim_id.lower():
            return claim
    raise KeyError(f"no claim {claim_id!r}")
