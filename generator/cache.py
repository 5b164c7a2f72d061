"""A content-addressed build cache: work whose inputs did not change is read back instead of redone.

An entry is named by the SHA-256 of everything its output depends on (:func:`key`), so a changed input is a
different key and a stale entry can never be served. Each entry file carries the SHA-256 of its payload; an
entry whose bytes do not match (a torn write, a disk error, a hand edit) is removed and reported as a miss,
so the caller renders again. Writes go to a temporary file renamed into place, so a killed build leaves no
half-written entry behind.

The cache lives in ``.cache/build/`` (git-ignored; ``FACTCHECK_CACHE_DIR`` points it elsewhere). Deleting it
is always safe: the next build is a cold one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator import paths

MAGIC = b"factcheck-cache 1\n"
DEFAULT_DIR = Path(os.environ["FACTCHECK_CACHE_DIR"]).resolve() if os.environ.get("FACTCHECK_CACHE_DIR") \
    else paths.CACHE_DIR / "build"
MAX_BYTES = 256 * 1024 * 1024
""":meth:`ContentCache.prune` keeps the most recently used entries within this many bytes."""


def key(*parts: bytes | str) -> str:
    """The SHA-256 of ``parts`` (each length-prefixed, so ``("ab", "c")`` and ``("a", "bc")`` differ)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def source_digest(*files: Path | str) -> str:
    """The SHA-256 of source files' bytes: code that shapes an output belongs in its key."""
    return key(*(Path(f).read_bytes() for f in files))


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    corrupt: list[str] = field(default_factory=list)
    """Entries found damaged (and removed): ``namespace/key``."""


CHARTS_NAMESPACE = "chart-recipe"
"""The namespace of charts stored by their recipe key: none stored means the next build draws every chart."""


class ContentCache:
    """Bytes by key, in ``<root>/<namespace>/<key[:2]>/<key>``. ``root=None`` disables the cache (every lookup
    misses, nothing is written)."""

    def __init__(self, root: Path | None = DEFAULT_DIR) -> None:
        self.root = Path(root) if root is not None else None
        self.stats = CacheStats()

    @property
    def enabled(self) -> bool:
        return self.root is not None

    def path(self, namespace: str, name: str) -> Path:
        if self.root is None:
            raise ValueError("the cache is disabled")
        return self.root / namespace / name[:2] / name

    def get(self, namespace: str, name: str) -> bytes | None:
        """The payload stored under ``name``, or None (absent, disabled, or damaged: a damaged entry is removed)."""
        if self.root is None:
            return None
        file = self.path(namespace, name)
        try:
            raw = file.read_bytes()
        except OSError:
            self.stats.misses += 1
            return None
        payload = _unwrap(raw)
        if payload is None:
            self.stats.corrupt.append(f"{namespace}/{name}")
            self.stats.misses += 1
            file.unlink(missing_ok=True)
            return None
        self.stats.hits += 1
        try:
            os.utime(file)  # most recently used: kept by prune
        except OSError:
            pass
        return payload

    def holds(self, namespace: str) -> bool:
        """Whether any entry of ``namespace`` is stored (False when disabled)."""
        folder = self.root / namespace if self.root is not None else None
        return folder is not None and folder.is_dir() and any(folder.iterdir())

    def put(self, namespace: str, name: str, payload: bytes) -> None:
        """Store ``payload`` atomically (a reader sees the old entry, the new one, or none; never a part)."""
        if self.root is None:
            return
        file = self.path(namespace, name)
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=file.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_wrap(payload))
            os.replace(tmp, file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def entries(self) -> Iterable[Path]:
        if self.root is None or not self.root.exists():
            return []
        return (p for p in self.root.glob("*/*/*") if p.is_file() and not p.name.startswith(".tmp-"))

    def prune(self, max_bytes: int = MAX_BYTES) -> int:
        """Remove the least recently used entries beyond ``max_bytes`` in total; returns how many went."""
        files = sorted(self.entries(), key=lambda p: p.stat().st_mtime, reverse=True)
        total, removed = 0, 0
        for file in files:
            total += file.stat().st_size
            if total > max_bytes:
                file.unlink(missing_ok=True)
                removed += 1
        return removed


def _wrap(payload: bytes) -> bytes:
    return MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload


def _unwrap(raw: bytes) -> bytes | None:
    """The payload if the entry is whole and its checksum matches, else None."""
    if not raw.startswith(MAGIC):
        return None
    rest = raw[len(MAGIC):]
    digest, sep, payload = rest.partition(b"\n")
    if not sep or len(digest) != 64 or hashlib.sha256(payload).hexdigest().encode("ascii") != digest:
        return None
    return payload
