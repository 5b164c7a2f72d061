"""Progress that fits the place: a tqdm bar on an interactive terminal, the usual plain lines in CI or a pipe.

Set ``FACTCHECK_PROGRESS=0`` to get plain lines on a terminal too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any


def interactive() -> bool:
    """True when a person watches: stderr is a terminal, not CI, not a dumb terminal, not switched off."""
    if os.environ.get("CI") or os.environ.get("FACTCHECK_PROGRESS") == "0" or os.environ.get("TERM") == "dumb":
        return False
    return sys.stderr.isatty()


def say(line: str) -> None:
    """Print one log line without breaking a progress bar that is on screen."""
    if interactive():
        from tqdm import tqdm

        tqdm.write(line)
    else:
        print(line, flush=True)


class Progress:
    """``with Progress(total, "charts", log) as bar: bar.advance(1, "plain line")``.

    On a terminal the bar moves and the plain lines are not printed; elsewhere each plain line is logged.
    """

    def __init__(self, total: int, desc: str, log: Callable[[str], None], unit: str = "item") -> None:
        self.log = log
        self.bar: Any = None
        if interactive() and total > 1:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit=unit, leave=False, file=sys.stderr, dynamic_ncols=True)

    def advance(self, n: int = 1, line: str = "") -> None:
        if self.bar is not None:
            self.bar.update(n)
        elif line:
            self.log(line)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
