"""Long evidence: the chart draws a thinned copy that looks the same, the Table tab lists a bounded sample, and
the CSV keeps every row. A synthetic bitcoin history ten times longer than the snapshot's."""

from __future__ import annotations

import json
import re

import altair as alt
import numpy as np
import pandas as pd
import pytest

from generator.build import evidence_csv
from generator.charts import display
from generator.charts.btc import price_with_events
from generator.charts.embed import embed
from generator.charts.render import to_spec, write_chart


@pytest.fixture(scope="module")
def long_btc(market) -> pd.DataFrame:
    """Ten times the snapshot's bitcoin history, in the columns the bitcoin charts draw (a close, an intraday
    high and dated events), ending on the snapshot's last day."""
    rows = 10 * len(market.frame("btc-usd"))
    rng = np.random.default_rng(7)
    close = 100 * np.exp(np.cumsum(rng.normal(0.0004, 0.03, rows)))
    dates = pd.date_range(end=market.last_date("btc-usd"), periods=rows, freq="D")
    df = pd.DataFrame({"date": dates, "close": close, "high": close * (1 + rng.uniform(0, 0.05, rows)),
                       "event": ""})
    for at, name in ((rows // 5, "halving 1"), (rows // 2, "halving 2"), (rows - 400, "article's figure")):
        df.loc[at, "event"] = name
    df.loc[int(np.argmax(close)), "event"] = "record"
    return df


def chart(df: pd.DataFrame) -> alt.LayerChart:
    return price_with_events(df, "close", "BTC (USD, log)", log=True, second="high")


def test_a_long_series_is_over_altairs_limit_when_drawn_whole(long_btc):
    with pytest.raises(alt.MaxRowsError):
        chart(long_btc).to_dict(validate=False)


def test_a_chart_ten_times_longer_than_the_history_draws_a_bounded_copy(long_btc, tmp_path):
    drawn = display.for_chart(long_btc)
    assert len(drawn) <= display.MAX_ROWS < len(long_btc)
    spec = to_spec(chart(drawn), "Long")
    assert max(len(v) for v in spec["datasets"].values()) <= display.MAX_ROWS
    # every marked row is drawn, and the extremes of both lines
    assert set(drawn["event"]) == set(long_btc["event"])
    for column in ("close", "high"):
        assert drawn[column].max() == long_btc[column].max() and drawn[column].min() == long_btc[column].min()
    files = write_chart(chart(drawn), tmp_path, "long", "Long", "Long. A finding.")
    assert files.wide.svg.startswith("<svg") and len(files.wide.points) > 100


def test_each_pixel_column_keeps_its_first_last_lowest_and_highest_value(long_btc):
    """Why the picture does not change: in every slice of the time range no wider than a pixel, the thinned line
    passes through the same first, last, lowest and highest values as the whole one."""
    drawn = display.for_chart(long_btc)

    def per_pixel(df: pd.DataFrame) -> pd.DataFrame:
        start, stop = long_btc["date"].min(), long_btc["date"].max()
        column = ((df["date"] - start) / (stop - start) * display.COLUMNS).astype(int).clip(upper=display.COLUMNS - 1)
        return df.groupby(column.to_numpy()).agg(first=("close", "first"), last=("close", "last"),
                                                 low=("close", "min"), high=("close", "max"),
                                                 top=("high", "max"), bottom=("high", "min"))

    pd.testing.assert_frame_equal(per_pixel(drawn), per_pixel(long_btc))


def test_a_long_table_of_several_series_keeps_each_series_extremes():
    dates = pd.date_range("1900-01-01", periods=12_000, freq="D")
    rng = np.random.default_rng(3)
    df = pd.concat([pd.DataFrame({"date": dates, "series": name, "value": rng.normal(0, 1, len(dates)).cumsum()})
                    for name in ("a", "b", "c")], ignore_index=True)
    drawn = display.for_chart(df)
    assert len(drawn) <= display.MAX_ROWS
    for name, whole in df.groupby("series"):
        part = drawn[drawn["series"] == name]
        assert part["value"].max() == whole["value"].max() and part["value"].min() == whole["value"].min()
        assert part["date"].iloc[0] == whole["date"].iloc[0] and part["date"].iloc[-1] == whole["date"].iloc[-1]


def test_a_long_table_without_dates_is_thinned_evenly_keeping_marked_rows():
    df = pd.DataFrame({"x": np.arange(20_000.0), "y": np.sin(np.arange(20_000.0)), "note": ""})
    df.loc[[3, 17_777], "note"] = "marked"
    drawn = display.for_chart(df)
    assert len(drawn) <= display.MAX_ROWS and list(drawn["note"]).count("marked") == 2
    gaps = np.diff(drawn["x"].to_numpy())
    assert gaps.max() <= 2 * np.median(gaps)


def test_short_evidence_is_drawn_and_listed_whole():
    df = pd.DataFrame({"date": pd.date_range("2025-01-01", periods=200, freq="D"), "close": np.arange(200.0)})
    assert display.for_chart(df) is df and display.for_table(df) == (df, "")


def test_the_table_tab_lists_a_bounded_sample_and_the_csv_every_row(long_btc, tmp_path):
    data = evidence_csv(long_btc)
    assert len(data.decode().splitlines()) == len(long_btc) + 1  # the CSV is complete
    listed, how = display.for_table(long_btc)
    assert display.TABLE_ROWS - 5 <= len(listed) <= display.TABLE_ROWS
    assert listed["date"].iloc[0] == long_btc["date"].iloc[0] and listed["date"].iloc[-1] == long_btc["date"].iloc[-1]
    assert set(listed["event"]) == set(long_btc["event"])  # every row with an event is listed
    files = write_chart(chart(long_btc.tail(60)), tmp_path, "long", "Long", "Long.")  # a small picture will do
    block = embed(files, "long.csv", data.decode(), "Long", "Long.", evidence_csv(listed).decode(), how).html
    table = block[block.index("<table"):block.index("</table>")]
    assert table.count("<tr>") == len(listed) + 1  # the header row, then the listed rows
    caption = re.search(r"<caption>(.*?)</caption>", table).group(1)
    assert f"{len(listed):,} of its {len(long_btc):,} rows: the rows that mark an event and others evenly" \
        in caption and 'href="../long.csv"' in caption
    assert f"The data (CSV, {len(long_btc):,} rows)" in block


def test_a_long_table_without_marks_lists_evenly_spaced_rows():
    df = pd.DataFrame({"date": pd.date_range("2000-01-01", periods=1000, freq="D"), "close": np.arange(1000.0)})
    listed, how = display.for_table(df)
    assert how == "evenly spaced" and len(listed) == display.TABLE_ROWS
    gaps = np.diff(listed["close"].to_numpy())
    assert gaps.min() >= 3 and gaps.max() <= 5


def test_every_claims_chart_spec_is_valid_vega_lite(market):
    """The build skips altair's schema check; this checks every claim's chart once, as the build draws it."""
    from generator.claimkit.evaluate import evaluate
    from generator.claims import all_claims

    checked = 0
    for claim in all_claims():
        if claim.chart is None:
            continue
        comp = evaluate(claim, market, "latest").computation
        if comp is None or comp.evidence is None or comp.evidence.empty:
            continue
        spec = to_spec(claim.chart(display.for_chart(comp.evidence)), claim.chart_title, validate=True)
        assert json.dumps(spec), claim.id
        checked += 1
    assert checked >= 10



def test_a_long_series_with_missing_values_is_thinned():
    """Stretches without a value (a series that starts later, a gap) leave whole pixel columns empty."""
    df = pd.DataFrame({"date": pd.date_range("1950-01-01", periods=20_000, freq="D"), "close": np.arange(20_000.0),
                       "other": np.nan})
    df.loc[:5_000, "close"] = np.nan
    df.loc[100:200, "other"] = 1.0
    df.loc[300, "other"] = 2.0
    drawn = display.for_chart(df)
    assert len(drawn) <= display.MAX_ROWS
    assert drawn["close"].min() == 5_001 and drawn["close"].max() == 19_999 and drawn["other"].max() == 2.0
