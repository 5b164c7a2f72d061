"""What MkDocs Material writes that no reader of this site ever loads, removed from the built site.

- Source maps (``*.map``, 1.3 MB): the browser asks for them only when its developer tools are open. The
  ``sourceMappingURL`` comment that names each map is removed too, so that nothing asks for a missing file.
- Search language packs (``assets/javascripts/lunr/``, 0.9 MB): Material's search worker loads
  ``min/lunr.<lang>.min.js`` (plus the stemmer support, ``lunr.multi`` for more than one language,
  ``tinyseg.js`` for Japanese, ``wordcut.js`` for Hindi and Thai) only for the languages in the search index's
  config; English needs none of them. The languages are read from the built ``search/search_index.json``, so
  a site configured for another language keeps what it needs.

Runs on the staging folder in :func:`generator.build.site_stage`, after ``mkdocs build`` and before the swap,
so ``site/`` never holds the unused files. Same input, same output; running it twice changes nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

LUNR_DIR = Path("assets/javascripts/lunr")
SEARCH_INDEX = Path("search/search_index.json")
_JS_MAP_COMMENT = re.compile(rb"\n?//# sourceMappingURL=[^\n]*\n?$")
_CSS_MAP_COMMENT = re.compile(rb"\n?/\*# sourceMappingURL=[^*]*\*/\s*$")


@dataclass
class Slimmed:
    removed: list[str] = field(default_factory=list)
    """Site-relative paths of the files removed."""
    bytes_removed: int = 0
    comments_removed: int = 0


def search_languages(site: Path) -> list[str] | None:
    """The languages of the built search index (None when the site has no search index)."""
    path = site / SEARCH_INDEX
    if not path.exists():
        return None
    try:
        lang = json.loads(path.read_text(encoding="utf-8")).get("config", {}).get("lang", ["en"])
    except (json.JSONDecodeError, AttributeError):
        return None  # not Material's index: remove nothing rather than guess
    return [str(x) for x in lang] if isinstance(lang, list) else [str(lang)]


def lunr_files_needed(languages: list[str]) -> set[str]:
    """The files under ``assets/javascripts/lunr/`` that Material's search worker imports for ``languages``."""
    needed: set[str] = set()
    for lang in languages:
        if lang == "ja":
            needed.add("tinyseg.js")
        if lang in ("hi", "th"):
            needed.add("wordcut.js")
        if lang != "en":
            needed.add(f"min/lunr.{lang}.min.js")
    if len(languages) > 1:
        needed.add("min/lunr.multi.min.js")
    if needed:
        needed.add("min/lunr.stemmer.support.min.js")
    return needed


def _remove(site: Path, path: Path, out: Slimmed) -> None:
    out.bytes_removed += path.stat().st_size
    out.removed.append(path.relative_to(site).as_posix())
    path.unlink()


def slim_site(site: Path) -> Slimmed:
    """Remove the source maps, their comments and the unused search languages from the built ``site``."""
    out = Slimmed()
    for path in sorted(site.rglob("*.map")):
        if path.is_file():
            _remove(site, path, out)
    for pattern, comment in (("*.js", _JS_MAP_COMMENT), ("*.css", _CSS_MAP_COMMENT)):
        for path in sorted(site.rglob(pattern)):
            data = path.read_bytes()
            if b"sourceMappingURL" not in data[-512:]:
                continue
            slim, count = comment.subn(b"\n" if data.endswith(b"\n") else b"", data)
            if count:
                path.write_bytes(slim)
                out.comments_removed += count
    languages = search_languages(site)
    lunr = site / LUNR_DIR
    if languages is not None and lunr.is_dir():
        keep = lunr_files_needed(languages)
        for path in sorted(lunr.rglob("*")):
            if path.is_file() and path.relative_to(lunr).as_posix() not in keep:
                _remove(site, path, out)
        for folder in sorted((p for p in lunr.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
            if not any(folder.iterdir()):
                folder.rmdir()
        if not any(lunr.iterdir()):
            lunr.rmdir()
    return out
