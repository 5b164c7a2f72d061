"""Project the gh-pages tree after five years of weekday versions (measures and prints; asserts nothing).

    python scripts/project_storage.py [--versions 3] [--step-days 7] [--newest 10] [--period quarter] [--changes quarter]

Publishes ``as-published`` and a few successive dated versions (the committed snapshot cut at successive
weekdays) into a temporary gh-pages branch with the real publish flow, counts how often any verdict or
still-true answer changed on the committed data through 2026, and prints the projection for about 1,300
versions under the retention rule (see ``generator.publish.storage``). Takes a few minutes: real builds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.publish import storage  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--versions", type=int, default=3, help="dated versions to publish (default 3)")
    parser.add_argument("--step-days", type=int, default=7, help="days between cutoffs for the change rate")
    parser.add_argument("--newest", type=int, default=storage.Retention.newest)
    parser.add_argument("--period", choices=("month", "quarter"), default=storage.Retention.period)
    parser.add_argument("--changes", choices=("all", "month", "quarter", "none"), default=storage.Retention.changes)
    args = parser.parse_args()
    retention = storage.Retention(newest=args.newest, period=args.period, changes=args.changes)
    storage.print_projection(args.versions, args.step_days, retention)


if __name__ == "__main__":
    main()
