"""Integrity checks the load stage runs on top of the store's checksums.

- a manifest's first date, last date and row count must match its CSV;
- reference files (``data/reference/*.json``) are checksummed in ``data/reference/SHA256SUMS``;
- a one-day move beyond the validation limit needs a second source: a sibling series of the snapshot that
  moved the same way that day, or an entry of ``data/reference/confirmed_moves.json`` citing a public source.

Every failure is one line naming the file and what was wrong.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from generator.catalog import BY_ID, SeriesSpec
from generator.validate import JUMP_LIMITS, Confirm

CHECKSUMS = "SHA256SUMS"
CONFIRMED_MOVES = "confirmed_moves.json"

EQUITY = ("rut", "gspc", "ixic", "ndx", "iwm", "spy", "qqq", "xlk", "psct")
"""US equity indexes and ETFs: on a crash or rebound day they move together, so each confirms the others."""
SIBLING_SHARE = 0.5
"""A sibling confirms a jump if it moved the same way by at least this share of the jump limit."""
REFERENCE_TOLERANCE = 2.0
"""Percentage points between a move in our data and the move a cited source states for that day."""


class IntegrityError(Exception):
    """A data or reference file does not match what its manifest or checksum list says."""


def read_json(path: Path) -> Any:
    """Parse a JSON file; a syntax error names the file, line and column."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise IntegrityError(f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    except UnicodeDecodeError as exc:
        raise IntegrityError(f"{path.name}: not UTF-8 text ({exc.reason})") from exc


# --- manifest against CSV ---------------------------------------------------------------------------------


def manifest_mismatches(frame: pd.DataFrame, first_date: str, last_date: str, rows: int) -> list[str]:
    """How a manifest's range and row count differ from the rows actually read (empty when they agree)."""
    problems = []
    if len(frame) != rows:
        problems.append(f"manifest says {rows} rows, the file has {len(frame)}")
    if len(frame):
        first, last = frame.index[0].strftime("%Y-%m-%d"), frame.index[-1].strftime("%Y-%m-%d")
        if first != first_date:
            problems.append(f"manifest says the first date is {first_date}, the file starts {first}")
        if last != last_date:
            problems.append(f"manifest says the last date is {last_date}, the file ends {last}")
    return problems


def check_manifest(file_name: str, frame: pd.DataFrame, first_date: str, last_date: str, rows: int) -> None:
    problems = manifest_mismatches(frame, first_date, last_date, rows)
    if problems:
        raise IntegrityError(f"{file_name}: " + "; ".join(problems))


# --- reference checksums ----------------------------------------------------------------------------------


def reference_files(reference_dir: Path) -> list[Path]:
    return sorted(reference_dir.glob("*.json"))


def checksum_text(reference_dir: Path) -> str:
    """The checksum list as ``sha256sum`` writes it (checkable with ``sha256sum -c``)."""
    return "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in reference_files(reference_dir))


def write_reference_checksums(reference_dir: Path) -> Path:
    """Record the current reference files as reviewed (run after a deliberate, reviewed edit)."""
    target = reference_dir / CHECKSUMS
    target.write_text(checksum_text(reference_dir), encoding="utf-8")
    return target


def reference_problems(reference_dir: Path) -> list[str]:
    """Reference files whose bytes differ from the checksum list, or that it does not list (one line each)."""
    listed_path = reference_dir / CHECKSUMS
    if not listed_path.exists():
        return [f"data/reference/{CHECKSUMS} is missing: the reference files cannot be verified"]
    listed: dict[str, str] = {}
    for line in listed_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, _, name = line.partition("  ")
            listed[name.strip()] = digest.strip()
    problems = []
    present = {p.name: p for p in reference_files(reference_dir)}
    for name, path in present.items():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if name not in listed:
            problems.append(f"data/reference/{name} is not in {CHECKSUMS} (a new file must be reviewed and listed)")
        elif digest != listed[name]:
            problems.append(f"data/reference/{name}: checksum mismatch ({CHECKSUMS} {listed[name][:12]}, "
                            f"file {digest[:12]}): the file changed since it was reviewed")
    for name in sorted(set(listed) - set(present)):
        problems.append(f"data/reference/{name} is listed in {CHECKSUMS} but missing")
    return problems


def verify_references(reference_dir: Path) -> None:
    """Raise :class:`IntegrityError` (first problem, and how many more) unless every reference file checks out."""
    problems = reference_problems(reference_dir)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise IntegrityError(problems[0] + more)
    for path in reference_files(reference_dir):
        read_json(path)


# --- confirming large one-day moves -----------------------------------------------------------------------


def load_confirmed_moves(reference_dir: Path) -> list[dict[str, Any]]:
    """The reviewed list of large moves with the public source that states each (empty if there is none)."""
    path = reference_dir / CONFIRMED_MOVES
    if not path.exists():
        return []
    doc = read_json(path)
    moves = doc.get("moves") if isinstance(doc, dict) else None
    if not isinstance(moves, list):
        raise IntegrityError(f"{path.name}: expected an object with a 'moves' list")
    for i, move in enumerate(moves):
        missing = [k for k in ("series", "date", "change_pct", "source") if k not in move]
        if missing:
            raise IntegrityError(f"{path.name}: move {i + 1} lacks {', '.join(missing)}")
        if not str(move["source"]).startswith("https://"):
            raise IntegrityError(f"{path.name}: move {i + 1} ({move['series']} {move['date']}): source must be https")
    return moves


def jump_confirmer(spec: SeriesSpec, frames: Mapping[str, pd.DataFrame],
                   confirmed: list[dict[str, Any]]) -> Confirm:
    """A ``confirm(day, move)`` for :func:`generator.validate.validate_series` on ``spec``'s series."""
    listed = {(m["series"], str(m["date"])): m for m in confirmed}
    siblings = [s for s in EQUITY if s != spec.id and s in frames] if spec.id in EQUITY else []
    limit = JUMP_LIMITS[spec.calendar]

    def confirm(day: pd.Timestamp, move: float) -> str | None:
        entry = listed.get((spec.id, day.strftime("%Y-%m-%d")))
        if entry is not None and abs(float(entry["change_pct"]) - move * 100) <= REFERENCE_TOLERANCE:
            return (f"{entry.get('publisher', 'a public source')} ({float(entry['change_pct']):+.2f}%; "
                    "listed with its source among the reference facts)")
        for sid in siblings:
            other = BY_ID[sid]
            close = frames[sid][other.price_column]
            if day not in close.index:
                continue
            pos = close.index.get_loc(day)
            if not isinstance(pos, int) or pos == 0:
                continue
            theirs = float(close.iloc[pos] / close.iloc[pos - 1] - 1)
            if theirs * move > 0 and abs(theirs) >= SIBLING_SHARE * limit:
                return f"{other.name} ({theirs:+.1%} the same day)"
        return None

    return confirm
