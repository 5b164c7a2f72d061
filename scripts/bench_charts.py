"""Benchmark the chart and card stages: CPU seconds with an empty cache and with a warm one (measures only).

    python scripts/bench_charts.py [--repeat 3] [--site site]

CPU time (``time.process_time``, all threads of this process, so vl-convert's and oxipng's workers count) is
printed rather than wall time: the machine is shared. With ``--site``, also the bytes of one built site by kind.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generator.build import BuildConfig, charts_stage, claims_stage, load_stage
from generator.cache import ContentCache
from generator.pages import cards, claimreview
from generator.pages.claim import status_view


def cpu(fn: Callable[..., object], *args: object) -> float:
    start = time.process_time()
    fn(*args)
    return time.process_time() - start


def all_cards(specs: list[dict], store: ContentCache) -> list[bytes]:
    return [cards.card_bytes(spec, store) for spec in specs]


def site_bytes(site: Path) -> dict[str, tuple[int, int]]:
    """(files, bytes) of a built site by kind."""
    kinds: dict[str, tuple[int, int]] = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        in_claims = path.parent.name == "claims"
        if path.name.endswith(".chart.png"):
            kind = "chart PNGs"
        elif in_claims and path.suffix == ".png":
            kind = "preview cards (PNG)"
        elif in_claims and path.suffix == ".svg":
            kind = "chart SVGs"
        elif path.suffix == ".csv":
            kind = "chart CSVs"
        elif path.name == "index.html" and "claims" in path.parts:
            kind = "claim pages (HTML)"
        elif path.name == "search_index.json":
            kind = "search index"
        elif path.suffix == ".html":
            kind = "other pages (HTML)"
        else:
            kind = "everything else"
        files, size = kinds.get(kind, (0, 0))
        kinds[kind] = (files + 1, size + path.stat().st_size)
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--site", type=Path, help="a built site to count bytes in")
    args = parser.parse_args()
    config = BuildConfig(offline=True, log=lambda _m: None)
    loaded = load_stage(config)
    pairs = claims_stage(loaded, lambda _m: None)
    specs = [cards.card_spec(p.claim.id, p.claim.title, p.verdict_label, status_view(p, lat)["label"],
                             lat.data_date or "2026-01-01", claimreview.SITE_NAME) for p, lat in pairs]
    times: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            store = ContentCache(Path(tmp) / "cache")
            docs = Path(tmp) / "docs"
            times.setdefault("charts, no cache", []).append(cpu(charts_stage, pairs, docs))
            times.setdefault("charts, empty cache", []).append(cpu(charts_stage, pairs, docs, store))
            times.setdefault("charts, warm cache", []).append(cpu(charts_stage, pairs, docs, store))
            times.setdefault("cards, empty cache", []).append(cpu(all_cards, specs, store))
            times.setdefault("cards, warm cache", []).append(cpu(all_cards, specs, store))
    print(f"{len(pairs)} claims; CPU seconds over {args.repeat} runs")
    print(f"{'stage':<24} {'best':>6} {'median':>7}")
    for name, values in times.items():
        print(f"{name:<24} {min(values):>6.2f} {statistics.median(values):>7.2f}")
    if args.site:
        print(f"\nbytes of {args.site}")
        kinds = site_bytes(args.site)
        for kind, (files, size) in sorted(kinds.items(), key=lambda kv: -kv[1][1]):
            print(f"{kind:<24} {files:>5} files {size / 1e6:>8.2f} MB")
        print(f"{'total':<24} {sum(f for f, _ in kinds.values()):>5} files "
              f"{sum(s for _, s in kinds.values()) / 1e6:>8.2f} MB")


if __name__ == "__main__":
    main()
