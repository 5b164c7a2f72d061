"""Benchmark the offline build against a bare ``mkdocs build`` of the same pages (measures and prints; asserts
nothing).

    python scripts/bench_build.py [--repeat 3] [--no-storage]

Everything runs in a temporary folder on a copy of the committed data, so the checkout's ``site/``, docs and
``.cache/`` are left alone. Each build is a fresh ``python`` process, as a maintainer runs it, so imports count.
The machine is shared and noisy: the ratios (each the median of ``--repeat`` runs, measured in this one run)
are what to read, not the seconds.

Prints:
1. where a cold build spends its CPU, stage by stage;
2. cold build, rebuild with nothing changed, and rebuild after one claim's input changed (the effective federal
   funds rate, read by RISK-CURVE alone), each as a ratio to a bare ``mkdocs build`` of the same generated docs;
3. the weight of one version of the site, by kind of file, and its heaviest page (HTML plus its chart, gzip);
4. the storage of five years of weekday versions on gh-pages (``generator.publish.storage``), unless
   ``--no-storage``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"cold": 3.0, "no change": 1.5}
"""The issue's targets: ratio to a bare mkdocs build (none is set for one claim changed)."""
HEAVIEST_PAGE_LIMIT = 100_000


# --- one build in a child process ------------------------------------------------------------------------


def child_build(spec: dict) -> None:
    """Run one offline build from ``spec`` (paths) and print its stage timings as JSON on the last line."""
    from generator.cache import CHARTS_NAMESPACE, ContentCache
    from generator.charts import drawing

    if not ContentCache(Path(spec["cache"])).holds(CHARTS_NAMESPACE):
        drawing.start_early()  # as `python -m generator build` does
    from generator.build import BuildConfig, build

    config = BuildConfig(
        offline=True, snapshot_dir=Path(spec["data"]) / "series", datasets_dir=Path(spec["data"]) / "datasets",
        reference_dir=Path(spec["data"]) / "reference", site_src_dir=Path(spec["site_src"]),
        site_dir=Path(spec["site"]), cache_dir=Path(spec["cache"]), log=lambda _line: None,
    )
    try:
        result = build(config)
    finally:
        drawing.discard_early()
    print(json.dumps({"timings": [[t.stage, t.wall, t.cpu] for t in result.timings],
                      "skipped": result.site_skipped}))


def run(args: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds (user + system of the child) of one command, and its standard output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=REPO, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(args)}\n{proc.stderr.strip()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stdout


def build_cmd(spec: dict) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)]


def bare_mkdocs_cmd(site_src: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--quiet", "--strict", "-f", str(site_src / "mkdocs.yml"),
            "-d", str(out)]


# --- one claim's input ------------------------------------------------------------------------------------


def nudge_dff(data: Path, step: float) -> None:
    """Revise the last effective federal funds rate by ``step`` points (a plausible revision), through the store
    so the checksums stay right: RISK-CURVE is the only claim that reads it."""
    from generator.catalog import CATALOG
    from generator.snapshot.store import SnapshotStore

    store = SnapshotStore(data / "series")
    spec = next(s for s in CATALOG if s.id == "dff")
    frame, manifest = store.read(spec)
    frame.iloc[-1, 0] = round(float(frame.iloc[-1, 0]) + step, 2)
    store.write(spec, frame, manifest)


# --- weight of a version --------------------------------------------------------------------------------------


def kind(path: Path) -> str:
    name, parts = path.name, path.parts
    if name.endswith(".map"):
        return "source maps"
    if "lunr" in parts:
        return "search languages"
    if name.endswith(".chart.png"):
        return "chart PNGs"
    if name.endswith(".png") and "claims" in parts:
        return "card PNGs"
    if name.endswith(".svg") and "claims" in parts:
        return "chart SVG downloads"
    if name.endswith(".csv"):
        return "chart CSVs"
    if name.endswith(".html"):
        return "claim pages" if "claims" in parts else "other pages"
    if name in ("search_index.json", "findings.json", "findings.json.gz"):
        return name
    return "theme and site assets"


def weight(site: Path) -> None:
    by_kind: Counter[str] = Counter()
    heaviest = ("", 0)
    for file in site.rglob("*"):
        if not file.is_file():
            continue
        rel = file.relative_to(site)
        by_kind[kind(rel)] += file.stat().st_size
        if file.name == "index.html":
            size = len(gzip.compress(file.read_bytes(), 9, mtime=0))
            if size > heaviest[1]:
                heaviest = (rel.parent.as_posix() or "/", size)
    total = sum(by_kind.values())
    print(f"\n3. One version of the site: {total / 1e6:.2f} MB")
    for name, size in by_kind.most_common():
        print(f"   {name:<24} {size / 1e6:>7.2f} MB")
    verdict = "met" if heaviest[1] <= HEAVIEST_PAGE_LIMIT else "NOT MET"
    print(f"   heaviest page (HTML with its inline chart, gzip): {heaviest[0]} {heaviest[1] / 1e3:.1f} KB "
          f"(target ≤ {HEAVIEST_PAGE_LIMIT // 1000} KB: {verdict})")


# --- the benchmark ------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (the median is shown)")
    parser.add_argument("--no-storage", action="store_true", help="skip the five-year gh-pages projection")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_build(json.loads(args.child))
        return

    from generator import paths

    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        root = Path(tmp)
        pristine = root / "data-pristine"
        shutil.copytree(paths.DATA_DIR, pristine)
        runs: dict[str, list[tuple[float, float]]] = {}
        stage_cpu: list[list] = []
        for rep in range(args.repeat):
            work = root / f"run{rep}"
            data, site_src, cache = work / "data", work / "site_src", work / "cache"
            shutil.copytree(pristine, data)
            shutil.copytree(paths.SITE_SRC_DIR, site_src,
                            ignore=shutil.ignore_patterns("mkdocs.yml", ".build.lock", *GENERATED_IGNORE))
            spec = {"data": str(data), "site_src": str(site_src), "site": str(work / "site"), "cache": str(cache)}
            wall, cpu, out = run(build_cmd(spec))
            runs.setdefault("cold", []).append((wall, cpu))
            if rep == 0:
                stage_cpu = json.loads(out.strip().splitlines()[-1])["timings"]
                wall, cpu, _ = run([sys.executable, "-c", "import generator.build"])
                stage_cpu.insert(0, ["imports", wall, cpu])
            wall, cpu, _ = run(bare_mkdocs_cmd(site_src, work / "bare"))
            runs.setdefault("bare mkdocs", []).append((wall, cpu))
            wall, cpu, out = run(build_cmd(spec))
            runs.setdefault("no change", []).append((wall, cpu))
            if not json.loads(out.strip().splitlines()[-1])["skipped"]:
                print("warning: the rebuild with nothing changed ran MkDocs again", file=sys.stderr)
            nudge_dff(data, 0.01)
            wall, cpu, _ = run(build_cmd(spec))
            runs.setdefault("one claim changed", []).append((wall, cpu))
            shutil.rmtree(work / "bare")
            if rep == args.repeat - 1:
                weight_site = work / "site"
                print_report(stage_cpu, runs, args.repeat)
                weight(weight_site)
    if not args.no_storage:
        storage_projection()


GENERATED_IGNORE = ("index.md", "methodology.md", "data.md", "changes.md", "how-to-read.md", "about.md",
                    "findings.json", "feed.xml", "claims", "series")
"""Pages a previous build of the checkout left in site_src/docs: not copied, the benchmark builds its own."""


def print_report(stage_cpu: list[list], runs: dict[str, list[tuple[float, float]]], repeat: int) -> None:
    from generator.build import HELPERS_STAGE

    total_cpu = sum(cpu for _stage, _wall, cpu in stage_cpu) or 1.0
    print("1. Where a cold build spends its time (one run; imports measured in a process of their own)")
    print(f"   {'stage':<24} {'wall s':>8} {'CPU s':>8} {'CPU share':>10}")
    for stage, wall, cpu in stage_cpu:
        shown = "beside" if stage == HELPERS_STAGE else f"{wall:.2f}"  # its wall time is the stages'
        print(f"   {stage:<24} {shown:>8} {cpu:>8.2f} {cpu / total_cpu:>9.0%}")
    bare = statistics.median(w for w, _c in runs["bare mkdocs"])
    bare_cpu = statistics.median(c for _w, c in runs["bare mkdocs"])
    print(f"\n2. Builds as a ratio to a bare `mkdocs build` of the same docs (median of {repeat}; "
          "each a fresh process)")
    print(f"   {'build':<20} {'wall s':>8} {'ratio':>7} {'CPU s':>8} {'ratio':>7}  target")
    for name in ("bare mkdocs", "cold", "no change", "one claim changed"):
        wall = statistics.median(w for w, _c in runs[name])
        cpu = statistics.median(c for _w, c in runs[name])
        target = TARGETS.get(name)
        mark = "" if target is None else (f"≤ {target:g}×: " + ("met" if wall / bare <= target else "NOT MET"))
        print(f"   {name:<20} {wall:>8.2f} {wall / bare:>6.2f}× {cpu:>8.2f} {cpu / bare_cpu:>6.2f}×  {mark}")


def storage_projection() -> None:
    try:
        from generator.publish import storage
    except ImportError:
        print("\n4. Five-year projection: generator.publish.storage is not available in this checkout")
        return
    print("\n4. Five years of weekday versions on gh-pages")
    storage.print_projection()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
