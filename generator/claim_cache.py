"""Claim results kept between builds: a claim whose code and inputs did not change is read back, not recomputed.

A claim's two results (as of publication and on the latest data) are stored in the build cache
(:mod:`generator.cache`, namespace ``claims``) under a key made of everything they depend on:

* the claim's id (only the registry's own claims are cached: see :func:`registered`);
* the code that computes and judges claims: every ``generator/**/*.py`` except ``pages/``, ``charts/`` and
  ``publish/`` (those only present results; a claim imports its chart function from ``charts/``, but the
  chart is drawn later from the evidence, and the claim object itself is taken from the registry, not from
  the cache), plus the versions of Python, pandas and numpy, whose arithmetic the figures come from;
* the bytes of every input the claim declares: the series it ``needs`` and reads when present (``optional``),
  CSV and manifest, the ``datasets`` and the ``references`` files (a test checks that a claim reads no
  series, dataset or reference file it does not declare); an absent input is part of the key too;
* the moment of publication and the build's cutoff.

So a changed input or line of code is a different key, and a stale result can never be served. The payload
is a pickle of the two results without their claim (the claim holds functions; the registry's claim is
re-attached on reading). An entry the cache finds damaged, or one that no longer unpickles, is computed again.
The cache is local and written only by this code, so unpickling it trusts no more than running the code does.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from dataclasses import replace
from datetime import date, datetime
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from generator import paths
from generator.cache import ContentCache, key
from generator.claimkit.base import Claim
from generator.claimkit.evaluate import ClaimResult

NAMESPACE = "claims"
FORMAT = "claim results 1"
"""Changes when the payload's form changes, so old entries are never read as new ones."""
PRESENTATION = ("pages", "charts", "publish")
"""Sub-packages of ``generator`` that only present results: not part of the code digest."""
GENERATOR_DIR = paths.REPO_ROOT / "generator"

Pair = tuple[ClaimResult, ClaimResult]


@cache
def code_digest(root: Path = GENERATOR_DIR) -> str:
    """The digest of the code that computes claims (paths and bytes) and of the numeric libraries' versions."""
    parts: list[bytes | str] = [sys.version, f"pandas=={pd.__version__}", f"numpy=={np.__version__}"]
    for file in sorted(root.rglob("*.py")):
        relative = file.relative_to(root)
        if relative.parts[0] in PRESENTATION or "__pycache__" in relative.parts:
            continue
        parts += [relative.as_posix(), file.read_bytes()]
    return key(*parts)


def _moment(value: date | datetime | None) -> str:
    return "none" if value is None else value.isoformat()


class ClaimResults:
    """The claim results of one build: keys from the inputs in the build's folders, entries in ``store``."""

    def __init__(self, store: ContentCache, snapshot_dir: Path, datasets_dir: Path, reference_dir: Path,
                 published_at: datetime, cutoff: date | datetime | None = None) -> None:
        self.store = store
        self.snapshot_dir = Path(snapshot_dir)
        self.datasets_dir = Path(datasets_dir)
        # claims read reference files from the project's folder; the build's own folder counts too if it differs
        self.reference_dirs = sorted({paths.REFERENCE_DIR, Path(reference_dir)})
        self.published_at = published_at
        self.cutoff = cutoff
        self.computed: list[str] = []
        """Ids of the claims computed (not read back) in this build."""
        self._digests: dict[Path, str] = {}

    @property
    def enabled(self) -> bool:
        return self.store.enabled

    def _file(self, path: Path) -> str:
        """The SHA-256 of a file's bytes ("absent" if there is none), each file read once per build."""
        if path not in self._digests:
            try:
                self._digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except FileNotFoundError:
                self._digests[path] = "absent"
        return self._digests[path]

    def key(self, claim: Claim) -> str:
        """Everything ``claim``'s results depend on (see the module docstring)."""
        parts: list[bytes | str] = [FORMAT, claim.id, code_digest(), _moment(self.published_at),
                                    _moment(self.cutoff)]
        for sid in sorted({*claim.needs, *claim.optional}):
            parts += ["series", sid, self._file(self.snapshot_dir / f"{sid}.csv"),
                      self._file(self.snapshot_dir / f"{sid}.manifest.json")]
        for name in sorted(claim.datasets):
            parts += ["dataset", name, self._file(self.datasets_dir / f"{name}.csv"),
                      self._file(self.datasets_dir / f"{name}.manifest.json")]
        for name in sorted(claim.references):
            parts += ["reference", name, *(self._file(folder / name) for folder in self.reference_dirs)]
        return key(*parts)

    def get(self, claim: Claim) -> Pair | None:
        """The stored results of ``claim`` with the registry's claim attached, or None (absent or damaged)."""
        if not self.enabled or not registered(claim):
            return None
        payload = self.store.get(NAMESPACE, self.key(claim))
        if payload is None:
            return None
        return load_pair(payload, claim)

    def put(self, claim: Claim, pair: Pair) -> None:
        self.computed.append(claim.id)
        if self.enabled and registered(claim):
            self.store.put(NAMESPACE, self.key(claim), dump_pair(pair))


def registered(claim: Claim) -> bool:
    """Whether ``claim`` is the registry's own claim of that id. Only those are cached: a claim made elsewhere
    (a test's probe, a variant made with ``dataclasses.replace``) has code the digest does not cover."""
    from generator.claims import get

    try:
        return get(claim.id) is claim
    except KeyError:
        return False


def dump_pair(pair: Pair) -> bytes:
    """The two results without their claim (it holds functions), pickled."""
    stripped = tuple(replace(result, claim=None) for result in pair)  # type: ignore[arg-type]
    return pickle.dumps(stripped, protocol=pickle.HIGHEST_PROTOCOL)


def load_pair(payload: bytes, claim: Claim) -> Pair | None:
    """The results stored by :func:`dump_pair`, with ``claim`` attached; None if they do not unpickle into
    two results of that claim."""
    try:
        stripped = pickle.loads(payload)  # noqa: S301 - our own cache, written by dump_pair
    except Exception:  # noqa: BLE001 - any unreadable entry is recomputed
        return None
    if not (isinstance(stripped, tuple) and len(stripped) == 2
            and all(isinstance(result, ClaimResult) for result in stripped)):
        return None
    pub, lat = (replace(result, claim=claim) for result in stripped)
    return pub, lat
