"""Drawing in helper processes: the same bytes as drawing in the build's own process, a bad picture or a stopped
helper named in one line, and a helper that loads vl-convert and nothing of altair or pandas."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import Future

import altair as alt
import pandas as pd
import pytest
from click.testing import CliRunner

import generator.build
from generator.charts import drawing
from generator.charts.render import drawing_specs, start_chart, to_spec
from generator.charts.theme import WIDTH
from generator.cli import cli
from generator.pages import cards


def line_chart(shift: float) -> alt.Chart:
    df = pd.DataFrame({"date": pd.date_range("2025-01-01", periods=40, freq="D"),
                       "level": [shift + (i % 9) * 1.5 for i in range(40)]})
    return alt.Chart(df).mark_line().encode(
        x="date:T", y="level:Q", tooltip=[alt.Tooltip("date:T"), alt.Tooltip("level:Q", format=",.2f")],
    ).properties(width=WIDTH, height=300)


def card() -> dict:
    return cards.card_spec("RUT-YTD-2026", "A claim about the Russell 2000", "Accurate", "Still true", "2026-03-02",
                           "Site")


@pytest.fixture(scope="module")
def pool():
    with drawing.DrawingPool(2) as started:
        yield started


def test_helpers_draw_the_same_bytes_as_this_process(pool):
    charts = [line_chart(shift) for shift in (0, 10, 20)]
    here = [start_chart(c, f"Chart {i}", "Label").result() for i, c in enumerate(charts)]
    there = [start_chart(c, f"Chart {i}", "Label", drawer=pool) for i, c in enumerate(charts)]  # all at once
    assert [p.result() for p in there] == here
    assert here[0][0].points and here[0][0].svg.startswith("<svg")
    spec = json.dumps(card(), sort_keys=True)
    assert pool.png("a card", spec, cards.DEFLATE_LEVEL).result() == cards.render_card(card())
    assert [h.sent > 0 for h in pool.helpers] == [True, True]  # each job goes to the least busy helper


def test_a_picture_that_cannot_be_drawn_is_named_in_one_line_and_the_helper_goes_on(pool):
    wide, narrow = drawing_specs(to_spec(line_chart(0), "Fine"))
    broken = json.dumps({"mark": "line", "encoding": {"x": {"field": "date", "type": "nonsense"}},
                         "data": {"values": [{"date": 1}]}})
    with pytest.raises(drawing.DrawingError) as info:
        pool.chart("the chart of RUT-YTD-2026", broken, narrow, "Label").result()
    message = str(info.value)
    assert message.startswith("could not draw the chart of RUT-YTD-2026: ") and "\n" not in message
    assert pool.chart("the next chart", wide, narrow, "Label").result()[0].svg.startswith("<svg")
    with pytest.raises(drawing.DrawingError, match="^could not draw the inline one: "):
        drawing.InlineDrawing().chart("the inline one", broken, narrow, "Label").result()


def test_a_helper_that_stopped_fails_its_jobs_with_a_clear_line():
    with drawing.DrawingPool(1) as pool:
        pool.warm()
        helper = pool.helpers[0]
        helper.process.kill()
        helper.process.wait()
        wide, narrow = drawing_specs(to_spec(line_chart(0), "Fine"))
        with pytest.raises(drawing.DrawingError, match=r"^could not draw the chart of BTC-2020-RUN: the drawing "
                                                       r"process \d+ stopped \(exit code -9\)$"):
            pool.chart("the chart of BTC-2020-RUN", wide, narrow, "Label").result(timeout=30)


def test_a_helper_loads_vl_convert_and_neither_altair_nor_pandas():
    code = ("import sys, generator.charts.drawing; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'altair', 'pandas', 'numpy', 'vl_convert'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['vl_convert']"


@pytest.mark.parametrize(("value", "kind"), [("0", drawing.InlineDrawing), ("1", drawing.DrawingPool),
                                             ("3", drawing.DrawingPool)])
def test_the_number_of_helpers_can_be_set_and_zero_draws_here(monkeypatch, value, kind):
    monkeypatch.setenv(drawing.WORKERS_ENV, value)
    made = drawing.drawing()
    assert type(made) is kind
    assert getattr(made, "workers", 0) == int(value)
    made.close()


def test_a_wrong_number_of_helpers_is_named(monkeypatch):
    monkeypatch.setenv(drawing.WORKERS_ENV, "two")
    with pytest.raises(drawing.DrawingError, match="^FACTCHECK_DRAW_WORKERS='two' is not a whole number"):
        drawing.drawing()


def test_a_failed_build_stops_its_helpers_without_drawing_what_was_queued():
    wide, narrow = drawing_specs(to_spec(line_chart(0), "Fine"))
    with pytest.raises(RuntimeError, match="a stage failed"), drawing.DrawingPool(1) as pool:
        queued = [pool.chart(f"chart {i}", wide, narrow, "Label") for i in range(20)]
        helper = pool.helpers[0]
        raise RuntimeError("a stage failed")
    assert helper.process.returncode == -9
    assert any(isinstance(f.exception(timeout=30), drawing.DrawingError) for f in queued)


def test_a_pool_not_started_early_starts_a_second_helper_only_while_the_first_is_busy():
    wide, narrow = drawing_specs(to_spec(line_chart(0), "Fine"))
    with drawing.DrawingPool(2) as pool:
        pool.chart("one chart", wide, narrow, "Label").result()
        pool.chart("the next, once the first was drawn", wide, narrow, "Label").result()
        assert len(pool.helpers) == 1
        both = [pool.chart(f"chart {i}", wide, narrow, "Label") for i in range(3)]
        assert len(pool.helpers) == 2
        assert all(f.result()[0].svg for f in both)


def test_text_printed_while_a_helper_starts_does_not_reach_the_answers(tmp_path, monkeypatch):
    (tmp_path / "sitecustomize.py").write_text("print('hello from a site hook')\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    wide, narrow = drawing_specs(to_spec(line_chart(0), "Fine"))
    with drawing.DrawingPool(1) as pool:
        assert pool.chart("a chart", wide, narrow, "Label").result(timeout=60)[0].svg.startswith("<svg")


@pytest.mark.parametrize("answer", [b"garbage!", b"\x00\x00\x00\x05{not}", b"\x00\x00\x00\x0b{\"id\": 99}"])
def test_a_helper_whose_answers_cannot_be_read_fails_its_jobs_instead_of_hanging(answer):
    script = ("import sys; from generator.charts.drawing import READY; out = sys.stdout.buffer; "
              f"out.write(READY + {answer!r}); out.flush(); sys.stdin.buffer.read()")
    helper = drawing._Helper([sys.executable, "-c", script])
    future: Future = Future()
    helper.send({"id": 1, "kind": "chart", "name": "the chart of RUT-YTD-2026", "wide": "{}", "narrow": "{}",
                 "label": "L"}, future)
    if answer.endswith(b'99}'):  # an answer to no job is skipped; the job fails when the helper stops
        helper.process.kill()
    with pytest.raises(drawing.DrawingError, match="^could not draw the chart of RUT-YTD-2026: "):
        future.result(timeout=30)
    helper.close()
    assert helper.process.returncode is not None


def test_helpers_started_early_that_no_build_took_are_stopped(monkeypatch):
    monkeypatch.setattr(generator.build, "build", lambda config: None)  # the build never takes the helpers
    monkeypatch.setattr(drawing, "workers_wanted", lambda: 1)
    processes = []
    real = drawing.start_early

    def start_early() -> None:
        real()
        processes.extend(h.process for pool in drawing._early for h in pool.helpers)

    monkeypatch.setattr(drawing, "start_early", start_early)
    result = CliRunner().invoke(cli, ["build", "--offline", "--no-site", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert processes and drawing._early == []
    assert all(process.returncode is not None for process in processes)
