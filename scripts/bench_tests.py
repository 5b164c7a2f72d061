"""Benchmark: the test suite's time as a multiple of one cold offline build, measured in the same run.

    python scripts/bench_tests.py                 # the whole suite (README's `python -m pytest`)
    python scripts/bench_tests.py -- -m "not browser"

Times a cold offline build (a fresh process, an empty content cache, a copy of site_src, into a temporary
folder), then the suite, then a second cold build; the build's time is the mean of the two, so a change in the
machine's load during the run is shared by both sides of the ratio. Prints wall and CPU time (user + sys of
every child process) and the ratios, and sums the tests' own times for the browser tests (tests/browser) and
the rest from pytest's JUnit report (a session fixture's setup, such as the shared build, counts for the first
test that uses it). The suite runs on xdist workers side by side, so the two sums add up to more than its wall
time: read them as where the work is, not as a split of the wall time. CPU counts processes that were waited
for; Chromium's renderers may be missing from it, so read the browser tests by their wall time. Measures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BUILD = """
import sys
from pathlib import Path
from generator.build import BuildConfig, build
root = Path(sys.argv[1])
build(BuildConfig(offline=True, site_src_dir=root / "site_src", site_dir=root / "site", cache_dir=root / "cache",
                  log=lambda _m: None))
"""


@dataclass
class Timing:
    wall: float
    cpu: float


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], env: dict[str, str] | None = None) -> tuple[Timing, int]:
    cpu, start = children_cpu(), time.perf_counter()
    proc = subprocess.run(args, cwd=REPO_ROOT, env=env)
    return Timing(time.perf_counter() - start, children_cpu() - cpu), proc.returncode


def cold_build() -> Timing:
    """One offline build in a new process: nothing cached, nothing imported yet."""
    with tempfile.TemporaryDirectory(prefix="bench-tests-") as tmp:
        root = Path(tmp)
        shutil.copytree(REPO_ROOT / "site_src", root / "site_src",
                        ignore=shutil.ignore_patterns("mkdocs.yml", ".build.lock"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
        timing, code = timed([sys.executable, "-c", BUILD, str(root)], env)
        if code != 0:
            sys.exit(f"the cold build failed (exit {code})")
        return timing


def split(junit: Path) -> dict[str, float]:
    """Seconds per part of the suite (setup, call and teardown of each test), from pytest's JUnit report."""
    parts = {"browser": 0.0, "other": 0.0}
    for case in ET.parse(junit).getroot().iter("testcase"):
        part = "browser" if case.get("classname", "").startswith("tests.browser.") else "other"
        parts[part] += float(case.get("time", 0))
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --)")
    args = parser.parse_args()
    before = cold_build()
    with tempfile.TemporaryDirectory(prefix="bench-tests-") as tmp:
        junit = Path(tmp) / "junit.xml"
        suite, code = timed([sys.executable, "-m", "pytest", "-q", "-o", "junit_duration_report=total",
                             f"--junitxml={junit}", *args.pytest_args])
        parts = split(junit) if junit.exists() else {}
    after = cold_build()
    build = Timing((before.wall + after.wall) / 2, (before.cpu + after.cpu) / 2)
    print()
    print(f"{'':<34} {'wall s':>8} {'CPU s':>8} {'wall / build':>13} {'CPU / build':>12}")
    print(f"{'cold offline build (mean of 2)':<34} {build.wall:>8.1f} {build.cpu:>8.1f} {1:>13.2f} {1:>12.2f}")
    print(f"{'  before the suite':<34} {before.wall:>8.1f} {before.cpu:>8.1f}")
    print(f"{'  after the suite':<34} {after.wall:>8.1f} {after.cpu:>8.1f}")
    print(f"{'test suite':<34} {suite.wall:>8.1f} {suite.cpu:>8.1f} {suite.wall / build.wall:>13.2f} "
          f"{suite.cpu / build.cpu:>12.2f}")
    for name, seconds in parts.items():
        label = "  browser tests" if name == "browser" else "  other tests"
        print(f"{label:<34} {seconds:>8.1f} {'':>8} {seconds / build.wall:>13.2f}")
    print(f"pytest exit code: {code}; load average now: {os.getloadavg()[0]:.1f}")
    print("target (issue 12): the suite within 3 cold builds")


if __name__ == "__main__":
    main()
