"""The scheduled publish runs fetch, then the tests: the tests must pass on a snapshot that gained rows.

This copies the committed snapshot, appends plausible bars to every series (through the store, so the
checksums and manifests are right), and runs the claim, validation and fetch tests against the copy.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from generator.calendars import expected_days
from generator.catalog import CATALOG
from generator.load import load_snapshot
from generator.paths import REPO_ROOT, SNAPSHOT_DIR
from generator.snapshot.store import SnapshotStore

pytestmark = pytest.mark.integration

NEW_BARS = 12


def plausible_bars(frame: pd.DataFrame, days: pd.DatetimeIndex, kind: str, seed: int) -> pd.DataFrame:
    """Bars that continue ``frame`` by small daily moves (at most 1%), with consistent open/high/low/close."""
    moves = np.random.default_rng(seed).uniform(-0.01, 0.01, len(days))
    if kind == "rate":
        return pd.DataFrame({"value": frame["value"].iloc[-1] + np.cumsum(moves) * 0.1}, index=days)
    close = frame["close"].iloc[-1] * np.cumprod(1 + moves)
    if kind == "close":
        return pd.DataFrame({"close": close}, index=days)
    opened = np.concatenate([[frame["close"].iloc[-1]], close[:-1]])
    return pd.DataFrame({"open": opened, "high": np.maximum(opened, close) * 1.003,
                         "low": np.minimum(opened, close) * 0.997, "close": close,
                         "volume": float(frame["volume"].iloc[-1])}, index=days)


def refreshed_copy(root: Path, today: date) -> SnapshotStore:
    """A copy of the committed snapshot with up to NEW_BARS new final bars per series, none after yesterday.

    If the committed data already reaches yesterday, its last NEW_BARS rows are dropped first, so new rows are
    always appended.
    """
    committed, copy = SnapshotStore(SNAPSHOT_DIR), SnapshotStore(root)
    yesterday = pd.Timestamp(today - timedelta(days=1))
    for i, spec in enumerate(s for s in CATALOG if committed.has(s.id)):
        frame, manifest = committed.read(spec)
        if spec.calendar == "business":
            future = pd.bdate_range(frame.index[-1] + pd.Timedelta(days=1), yesterday)
        else:
            future = expected_days(spec.calendar, frame.index[-1] + pd.Timedelta(days=1), yesterday)
        if len(future) < NEW_BARS:
            frame = frame.iloc[:-NEW_BARS]
            future = (pd.bdate_range if spec.calendar == "business" else
                      lambda a, b, c=spec.calendar: expected_days(c, a, b))(frame.index[-1] + pd.Timedelta(days=1),
                                                                            yesterday)
        days = pd.DatetimeIndex(future[:NEW_BARS], name="date")
        bars = plausible_bars(frame, days, spec.kind, seed=i)
        copy.write(spec, pd.concat([frame, bars[list(spec.columns)]]),
                   manifest.model_copy(update={"retrieved_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}))
    return copy


def test_the_claim_and_fetch_tests_pass_after_a_fetch_appends_rows(tmp_path):
    copy = refreshed_copy(tmp_path / "series", datetime.now(UTC).date())
    committed = load_snapshot(SnapshotStore(SNAPSHOT_DIR)).data
    grown = load_snapshot(copy).data  # validates: the new bars pass every check
    for sid in committed.frames:
        assert grown.last_date(sid) >= committed.last_date(sid), sid
        assert not grown.frame(sid).tail(3).equals(committed.frame(sid).tail(3)), f"{sid}: no bars appended"

    env = {**os.environ, "FACTCHECK_SNAPSHOT_DIR": str(copy.root)}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-n", "0",
         "tests/unit/claims", "tests/unit/test_fetch.py", "tests/unit/test_validate.py", "tests/unit/test_integrity.py"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert " passed" in proc.stdout.splitlines()[-1]
