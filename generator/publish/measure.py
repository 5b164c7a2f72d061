"""Measure what versions really cost on gh-pages, and how often verdicts change, to project five years.

- :func:`measure_publishes`: publish a few successive dated versions (the committed snapshot cut at successive
  days) into a temporary repository's gh-pages with the real :func:`generator.publish.flow.publish` (all gates
  but the test suite), and record the branch's total bytes after each; then the bytes of one version in
  archive form.
- :func:`verdict_changes`: evaluate every claim on the committed data cut at regular steps through 2026 and
  count the steps in which any claim's verdict or still-true answer moved (the retention rule keeps those
  versions full).
- :func:`projection_from`: both into :func:`generator.publish.storage.project`.

Used by ``scripts/project_storage.py`` (and ``scripts/bench_build.py``). Measures; asserts nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from generator import paths
from generator.publish import archive, storage

GIT_ENV = {"GIT_AUTHOR_NAME": "Projection", "GIT_AUTHOR_EMAIL": "projection@example.invalid",
           "GIT_COMMITTER_NAME": "Projection", "GIT_COMMITTER_EMAIL": "projection@example.invalid"}
SITE_URL = "https://example.github.io/factcheck/"


@dataclass
class Measured:
    """Bytes of the gh-pages tree (every file, uncompressed) as versions were added."""

    totals: list[tuple[str, int]] = field(default_factory=list)
    """(what was just published, total tree bytes after it)."""
    full_version_own: int = 0
    """The newest full version's own files (its folder; the latest/ copy is the same size)."""
    shared_total: int = 0
    """All of ``_assets/``."""
    archived: int = 0
    """One version in archive form."""
    last_new_by_kind: dict[str, int] = field(default_factory=dict)
    """What the last publish added, by kind of file (paths new to the branch; ``latest/`` is a replacement)."""

    @property
    def new_per_version(self) -> list[int]:
        """What each dated version after the first added to the tree."""
        return [b - a for (_n, a), (_m, b) in zip(self.totals, self.totals[1:], strict=False)]


def weekdays_ending(last: str, count: int) -> list[str]:
    day, out = date.fromisoformat(last), []
    while len(out) < count:
        if day.weekday() < 5:
            out.append(day.isoformat())
        day -= timedelta(days=1)
    return sorted(out)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def cut_snapshot(source: Path, target: Path, cut: str) -> str:
    """The snapshot in ``source`` with every row after ``cut`` removed, in ``target``; returns its last bar."""
    from generator.catalog import CATALOG
    from generator.publish.gates import last_bar
    from generator.snapshot.store import SnapshotStore

    if target.exists():
        shutil.rmtree(target)
    src, dst = SnapshotStore(source), SnapshotStore(target)
    for spec in CATALOG:
        if src.has(spec.id):
            frame, manifest = src.read(spec)
            dst.write(spec, frame.loc[:cut], manifest)
    return last_bar(target)


def measure_publishes(days: list[str], workdir: Path | None = None, log: Callable[[str], None] = print,
                      retention: storage.Retention | None = None) -> Measured:
    """Publish ``as-published`` and one dated version per day in ``days`` (cut snapshots) into a temporary
    repository, measuring the gh-pages tree after each."""
    import os

    from generator.publish.flow import PublishConfig, publish
    from generator.publish.versions import Pages

    own = workdir is None
    root = Path(workdir or tempfile.mkdtemp(prefix="factcheck-projection-"))
    saved = {k: os.environ.get(k) for k in GIT_ENV}
    os.environ.update(GIT_ENV)
    try:
        repo = root / "repo"
        snapshot, datasets = repo / "data" / "series", repo / "data" / "datasets"
        repo.mkdir(parents=True)
        _git(repo, "init", "-q", "-b", "main")
        shutil.copytree(paths.DATA_DIR / "datasets", datasets)
        pages, measured = Pages(repo), Measured()
        before: dict[str, int] = {}
        for i, day in enumerate(days):
            bar = cut_snapshot(paths.SNAPSHOT_DIR, snapshot, day)
            _git(repo, "add", "-A")
            _git(repo, "commit", "-q", "--allow-empty", "-m", f"snapshot through {bar}")
            run_date = date.fromisoformat(bar) + timedelta(days=1)
            config = PublishConfig(repo=repo, snapshot_dir=snapshot, datasets_dir=datasets, stage_dir=root / f"s{i}",
                                   site_url=SITE_URL, run_date=run_date, run_tests=False, as_published=i == 0,
                                   retention=retention or storage.Retention(), log=lambda _m: None)
            log(f"publishing {bar} into a temporary gh-pages ...")
            plan = publish(config)
            after = pages.sizes()
            total = sum(after.values())
            measured.last_new_by_kind = new_by_kind(before, after)
            before = after
            measured.totals.append((", ".join(v.name for v in plan.versions) or "nothing", total))
            log(f"  {', '.join(v.name for v in plan.versions)}: gh-pages tree {total / 1e6:.2f} MB")
        sizes = pages.sizes()
        newest = max(v.name for v in pages.versions() if storage.DATED.match(v.name))
        measured.full_version_own = sum(s for p, s in sizes.items() if p.startswith(f"{newest}/"))
        measured.shared_total = sum(s for p, s in sizes.items() if p.startswith(f"{storage.SHARED_DIR}/"))
        files = pages.read_dir(newest)
        form = archive.archive_version(files, newest, f"Data through {newest}", newest)
        measured.archived = sum(len(b) for b in form.values())
        return measured
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if own:
            shutil.rmtree(root, ignore_errors=True)


def new_by_kind(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Bytes of the paths ``after`` has and ``before`` had not, by kind (shared or the version's own, extension)."""
    out: dict[str, int] = {}
    for path, size in after.items():
        if path in before or path.startswith("latest/"):
            continue
        where = "shared" if path.startswith(f"{storage.SHARED_DIR}/") else "version"
        kind = f"{where} {path.rsplit('.', 1)[-1] if '.' in path.rsplit('/', 1)[-1] else 'other'}"
        out[kind] = out.get(kind, 0) + size
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


@dataclass
class Changes:
    steps: list[str]
    changed: list[str]
    """The steps at which any claim's verdict or still-true answer differed from the step before."""
    step_days: int

    @property
    def rate_per_step(self) -> float:
        return len(self.changed) / max(1, len(self.steps) - 1)

    @property
    def rate_per_weekday(self) -> float:
        """Changes per weekday version, assuming at most one change-version per step (a lower bound when
        verdicts flip back and forth within a step; see :func:`generator.publish.storage.project` for margins)."""
        weekdays_per_step = self.step_days * 5 / 7
        return self.rate_per_step / max(1.0, weekdays_per_step)


def verdict_changes(start: str = "2026-01-23", end: str | None = None, step_days: int = 7,
                    log: Callable[[str], None] = print) -> Changes:
    """Claims evaluated on the committed data cut every ``step_days`` from ``start`` to ``end`` (default: the
    last bar): at which steps did the verdict signature change?"""
    from generator.build import BuildConfig, claims_stage, load_stage
    from generator.findings import claim_dict

    loaded = load_stage(BuildConfig(offline=True, log=lambda _m: None))
    full = loaded.data
    last = end or min(str(full.last_date(s)) for s in ("rut", "btc-usd"))
    days = pd.date_range(start, last, freq=f"{step_days}D").strftime("%Y-%m-%d").tolist()
    previous, changed = None, []
    for day in days:
        loaded.data = full.cut(day)
        pairs = claims_stage(loaded, lambda _m: None, cut=True)
        sig = storage.signature({"claims": [claim_dict(pub, lat) for pub, lat in pairs]})
        if previous is not None and sig != previous:
            moved = sorted({a[0] for a, b in zip(previous, sig, strict=False) if a != b})
            changed.append(day)
            log(f"  {day}: verdict or still-true changed for {', '.join(moved) or 'the claim list'}")
        previous = sig
    loaded.data = full
    return Changes(days, changed, step_days)


def projection_from(measured: Measured, changes_per_version: float, retention: storage.Retention | None = None,
                    ) -> storage.Projection:
    """The five-year projection from measured bytes: a full version adds the median new bytes measured; the
    constant part is the tree after the first publish (as-published, the first version and its latest/ copy,
    the theme)."""
    new = sorted(measured.new_per_version) or [measured.totals[-1][1]]
    median_new = new[len(new) // 2]
    constant = measured.totals[0][1]
    return storage.project(median_new, measured.archived, constant, changes_per_version, retention)
