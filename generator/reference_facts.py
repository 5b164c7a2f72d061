"""Facts from the public record that prices cannot show (a bank's study, the FOMC's decisions), kept as data
with their sources in ``data/reference/<name>.json`` and validated on reading.

Each fact names its ``source`` (the publisher), the ``date`` the source gives, the ``url`` it was checked at,
the day it was ``retrieved`` (checked against a stored copy of that page) and what it says (``value``,
``note``). A file holds an ``about`` text and any number of named facts or lists of facts.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.paths import REFERENCE_DIR


class ReferenceFileError(ValueError):
    """A reference file is missing, is not JSON, or a fact in it lacks its source."""


class SourcedFact(BaseModel):
    """One fact of the public record with where it was checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str | float | int
    source: str = Field(min_length=2)
    """The publisher (e.g. "Board of Governors of the Federal Reserve System")."""
    date: date
    url: str = Field(pattern=r"^https?://")
    retrieved: date
    note: str = ""
    see_also: tuple[str, ...] = ()


def _fact(name: str, key: str, entry: object) -> SourcedFact:
    try:
        return SourcedFact.model_validate(entry)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "fact"
        raise ReferenceFileError(f"data/reference/{name}: {key}: {where}: {first['msg']}") from None


def load_facts(name: str, directory: Path = REFERENCE_DIR) -> dict[str, SourcedFact | tuple[SourcedFact, ...]]:
    """Every fact of ``data/reference/<name>`` (a list of facts stays a tuple), validated."""
    path = directory / name
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReferenceFileError(f"data/reference/{name}: file not found") from None
    except json.JSONDecodeError as err:
        raise ReferenceFileError(f"data/reference/{name}: not valid JSON ({err.msg}, line {err.lineno})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("about"), str):
        raise ReferenceFileError(f"data/reference/{name}: expected an object with an 'about' text")
    facts: dict[str, SourcedFact | tuple[SourcedFact, ...]] = {}
    for key, entry in doc.items():
        if key == "about":
            continue
        if isinstance(entry, list):
            facts[key] = tuple(_fact(name, f"{key}[{i}]", item) for i, item in enumerate(entry))
        else:
            facts[key] = _fact(name, key, entry)
    return facts


@cache
def facts(name: str) -> dict[str, SourcedFact | tuple[SourcedFact, ...]]:
    """The facts of one reference file of the project (loaded once)."""
    return load_facts(name)


def fact(name: str, key: str) -> SourcedFact:
    """One single fact of a reference file; a clear error if it is absent or is a list."""
    found = facts(name).get(key)
    if not isinstance(found, SourcedFact):
        raise ReferenceFileError(f"data/reference/{name}: no single fact named {key!r}")
    return found


def fact_list(name: str, key: str) -> tuple[SourcedFact, ...]:
    """A list of facts of a reference file; a clear error if it is absent or single."""
    found = facts(name).get(key)
    if not isinstance(found, tuple):
        raise ReferenceFileError(f"data/reference/{name}: no list of facts named {key!r}")
    return found
