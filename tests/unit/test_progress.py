"""Progress fits the place: plain stage lines in CI or a pipe, a tqdm bar (and no plain lines) on a terminal."""

from __future__ import annotations

import io

from generator import progress
from generator.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_in_ci_or_a_pipe_each_step_is_a_plain_line(monkeypatch):
    monkeypatch.setenv("CI", "true")
    lines: list[str] = []
    with Progress(3, "fundamentals", lines.append) as bar:
        for i in range(3):
            bar.advance(1, f"fundamentals: {i + 1}/3 fetched")
    assert lines == ["fundamentals: 1/3 fetched", "fundamentals: 2/3 fetched", "fundamentals: 3/3 fetched"]


def test_on_a_terminal_a_bar_moves_instead(monkeypatch):
    for name in ("CI", "FACTCHECK_PROGRESS", "TERM"):
        monkeypatch.delenv(name, raising=False)
    screen = Terminal()
    monkeypatch.setattr(progress.sys, "stderr", screen)
    assert progress.interactive()
    lines: list[str] = []
    with Progress(3, "charts", lines.append, unit="claim") as bar:
        for _ in range(3):
            bar.advance(1, "a plain line")
    assert lines == []
    assert "charts:" in screen.getvalue() and "/3 [" in screen.getvalue()  # the bar (redraws are throttled)


def test_progress_can_be_switched_off_on_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("FACTCHECK_PROGRESS", "0")
    monkeypatch.setattr(progress.sys, "stderr", Terminal())
    assert not progress.interactive()
