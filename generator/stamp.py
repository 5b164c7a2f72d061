"""Skip MkDocs when ``site/`` is already what it would build.

MkDocs reads only the MkDocs project (``site_src/``: the generated pages, the committed assets and overrides,
``mkdocs.yml`` and its base) and its own code. So a digest of those files and of the installed versions of the
packages that render them says whether a new ``mkdocs build`` could differ from the last one. The stamp also
records a listing of the built site (every path, size and modification time), so a site that was edited or
damaged since is rebuilt as well.

The stamp is kept in the build cache (``.cache/build/site-stamps/``), one per site folder; no cache, no skip.
"""

from __future__ import annotations

import json
import os
import sys
from importlib import metadata
from pathlib import Path

from generator.cache import key
from generator.publish import slim

PACKAGES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "Markdown", "Jinja2", "PyYAML")
"""The packages whose versions shape what MkDocs writes."""
IGNORED = (".build.lock",)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def inputs_digest(site_src: Path) -> str:
    """The digest of every file of the MkDocs project (paths and bytes) and of the packages' versions."""
    parts: list[bytes | str] = [sys.version, *(f"{p}=={_version(p)}" for p in PACKAGES)]
    parts.append(Path(slim.__file__).read_bytes())  # what site_stage removes after MkDocs is part of the build
    for file in sorted(p for p in site_src.rglob("*") if p.is_file() and p.name not in IGNORED):
        parts += [file.relative_to(site_src).as_posix(), file.read_bytes()]
    return key(*parts)


def listing_digest(site: Path) -> str:
    """The digest of the built site's listing: each file's path, size and modification time."""
    parts: list[bytes | str] = []
    for root, dirs, files in os.walk(site):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            info = path.stat()
            parts.append(f"{path.relative_to(site).as_posix()} {info.st_size} {info.st_mtime_ns}")
    return key(*parts)


class SiteStamp:
    """What the site in ``site_dir`` was last built from (a JSON file in ``cache_dir``)."""

    def __init__(self, cache_dir: Path | None, site_src: Path, site_dir: Path) -> None:
        self.site_src = site_src
        self.site_dir = site_dir
        self.file = (cache_dir / "site-stamps" / f"{key(str(site_dir.resolve()))[:32]}.json"
                     if cache_dir is not None else None)
        self._inputs: str | None = None

    @property
    def inputs(self) -> str:
        if self._inputs is None:
            self._inputs = inputs_digest(self.site_src)
        return self._inputs

    def current(self) -> bool:
        """True when the site folder holds exactly what MkDocs built from the same inputs last time."""
        if self.file is None or not (self.site_dir / "index.html").is_file():
            return False
        try:
            saved = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return saved == {"inputs": self.inputs, "site": listing_digest(self.site_dir)}

    def save(self) -> None:
        if self.file is None:
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_suffix(".tmp")
        tmp.write_text(json.dumps({"inputs": self.inputs, "site": listing_digest(self.site_dir)}), encoding="utf-8")
        os.replace(tmp, self.file)

    def forget(self) -> None:
        """Drop the stamp before MkDocs runs; the inputs are read again when it is saved (files written while
        MkDocs ran, such as late cards, count)."""
        self._inputs = None
        if self.file is not None:
            self.file.unlink(missing_ok=True)
