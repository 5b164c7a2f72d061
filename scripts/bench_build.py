"""Benchmark: time each stage of an offline build and print the results (measures; asserts nothing).

    python scripts/bench_build.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator import paths
from generator.build import (
    BuildConfig,
    charts_stage,
    claims_stage,
    clean_docs,
    load_stage,
    site_stage,
    write_mkdocs_config,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site_src = Path(tmp) / "site_src"
        shutil.copytree(paths.SITE_SRC_DIR, site_src)
        config = BuildConfig(offline=True, site_src_dir=site_src, site_dir=Path(tmp) / "site", log=lambda _m: None)
        timings: dict[str, list[float]] = {}

        def timed(name: str, fn: Callable[..., Any], *a: Any) -> Any:
            start = time.perf_counter()
            out = fn(*a)
            timings.setdefault(name, []).append(time.perf_counter() - start)
            return out

        for _ in range(args.repeat):
            loaded = timed("load + validate", load_stage, config)
            pairs = timed("compute claims", claims_stage, loaded, lambda _m: None)
            clean_docs(config.docs_dir)
            timed("charts (SVG + CSV)", charts_stage, pairs, config.docs_dir)
            from generator.build import build as full_build

            write_mkdocs_config(config, pairs)
            timed("full build incl. pages + mkdocs", full_build, config)
            timed("mkdocs only", site_stage, config)
    print(f"{'stage':<34} {'best s':>8} {'median s':>9}")
    for name, values in timings.items():
        values = sorted(values)
        print(f"{name:<34} {values[0]:>8.2f} {values[len(values) // 2]:>9.2f}")


if __name__ == "__main__":
    main()
