"""Benchmark the claims stage: CPU seconds per claim (as of publication and on the latest data together), the
whole stage cold, and the stage again from the claim results cache (measures and prints; asserts nothing).

    python scripts/bench_claims.py [--repeat 3]

Runs on the committed data, with a temporary cache; CPU time of this process (the machine is shared: compare
claims with each other and runs within one invocation, not with a number from elsewhere).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout, not an installed copy

from generator.article import PUBLISHED_AT  # noqa: E402
from generator.build import BuildConfig, claim_results, claims_stage, load_stage  # noqa: E402
from generator.cache import ContentCache  # noqa: E402
from generator.claimkit.evaluate import evaluate  # noqa: E402
from generator.claims import all_claims  # noqa: E402
from generator.load import Loaded  # noqa: E402
from generator.market import MarketData  # noqa: E402


def per_claim(data: MarketData) -> dict[str, float]:
    """CPU seconds of each claim's two evaluations, on a fresh copy of the data (so no cut is remembered)."""
    fresh = MarketData(data.frames, data.manifests, data.datasets, data.as_of)
    out = {}
    for claim in all_claims():
        start = time.process_time()
        evaluate(claim, fresh, "publication", PUBLISHED_AT)
        evaluate(claim, fresh, "latest")
        out[claim.id] = time.process_time() - start
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is printed")
    args = parser.parse_args()
    config = BuildConfig(offline=True, cache_dir=None, log=lambda _m: None)
    loaded = load_stage(config)
    per_claim(loaded.data)  # warm-up: imports and first-call costs
    runs = [per_claim(loaded.data) for _ in range(args.repeat)]
    medians = {cid: statistics.median(run[cid] for run in runs) for cid in runs[0]}
    print(f"CPU seconds per claim (publication + latest), median of {args.repeat}:")
    for cid, seconds in sorted(medians.items(), key=lambda kv: -kv[1]):
        print(f"  {cid:<26} {seconds:6.3f}")
    print(f"  {'all claims':<26} {statistics.median(sum(run.values()) for run in runs):6.3f}")

    with tempfile.TemporaryDirectory() as folder:
        cold, warm = [], []
        for i in range(args.repeat):
            store = Path(folder) / f"cache-{i}"
            for into in (cold, warm):
                data = MarketData(loaded.data.frames, loaded.data.manifests, loaded.data.datasets)
                start = time.process_time()
                claims_stage(Loaded(data, loaded.reports, loaded.absent), lambda _m: None,
                             results=claim_results(config, ContentCache(store)))
                into.append(time.process_time() - start)
    print(f"claims stage, empty cache:      {statistics.median(cold):6.3f} s CPU")
    print(f"claims stage, every claim kept: {statistics.median(warm):6.3f} s CPU")


if __name__ == "__main__":
    main()
