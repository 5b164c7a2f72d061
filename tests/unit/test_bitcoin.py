"""The protocol reference file and the issuance schedule, checked against a plain block-by-block count."""

import json
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pydantic
import pytest

from generator.bitcoin import (
    PROTOCOL_FILE,
    annual_issuance_btc,
    close_nearest,
    cycle_top,
    end_of_day,
    epoch_blocks_per_day,
    estimate_height,
    load_protocol,
    mined_sat,
    protocol,
    schedule_total_sat,
    subsidy_sat,
    to_btc,
)

SAT = 100_000_000


def count_block_by_block(blocks: int) -> int:
    """The schedule the slow way: 50 BTC a block, halved every 210,000 blocks."""
    supply, reward = 0, 50 * SAT
    for height in range(blocks):
        if height and height % 210_000 == 0:
            reward //= 2
        supply += reward
    return supply


def test_every_fact_in_the_reference_file_has_a_source_and_a_check_date():
    raw = json.loads(PROTOCOL_FILE.read_text(encoding="utf-8"))
    facts = [v for k, v in raw.items() if k not in ("about", "halvings")] + raw["halvings"]
    for fact in facts:
        assert fact["source"].startswith("https://")
        assert date.fromisoformat(fact["retrieved"])


def test_the_halvings_are_the_four_known_blocks():
    p = protocol()
    assert [(h.height, h.date.isoformat()) for h in p.halvings] == [
        (210_000, "2012-11-28"), (420_000, "2016-07-09"), (630_000, "2020-05-11"), (840_000, "2024-04-20")]
    assert p.halving_at(840_000).block_time == datetime(2024, 4, 20, 0, 9, 27, tzinfo=UTC)
    assert p.nominal_blocks_per_day == 144


def test_supply_just_before_block_840000_is_19_687_500_btc():
    assert mined_sat(840_000) == count_block_by_block(840_000)
    assert to_btc(mined_sat(840_000)) == 19_687_500


def test_supply_inside_an_epoch_matches_the_slow_count():
    assert mined_sat(12_345) == count_block_by_block(12_345)
    assert mined_sat(0) == 0


def test_subsidy_halves_at_block_840000():
    assert subsidy_sat(839_999) == 625_000_000  # 6.25 BTC
    assert subsidy_sat(840_000) == 312_500_000  # 3.125 BTC
    assert subsidy_sat(64 * 210_000) == 0


def test_the_whole_schedule_totals_just_under_21_million():
    shortfall = 21_000_000 * SAT - schedule_total_sat()
    assert 0 < shortfall < SAT  # 20,999,999.9769 BTC: the integer shifts round each epoch down


def test_annual_issuance_at_144_blocks_a_day():
    assert annual_issuance_btc(839_999, 144) == 6.25 * 144 * 365
    assert annual_issuance_btc(840_000, 144) == 3.125 * 144 * 365


def test_height_estimate_passes_through_the_known_blocks():
    for halving in protocol().halvings:
        assert estimate_height(halving.block_time) == pytest.approx(halving.height)


def test_height_estimate_only_goes_up():
    days = pd.date_range("2009-01-04", "2030-01-01", freq="17D")
    for method in ("observed", "nominal"):
        heights = [estimate_height(end_of_day(d), method) for d in days]
        assert all(b > a for a, b in zip(heights, heights[1:], strict=False))


def test_after_the_last_halving_the_estimate_uses_the_previous_epochs_rate():
    p = protocol()
    last, before = p.halvings[-1], p.halvings[-2]
    rate = 210_000 / ((last.block_time - before.block_time).total_seconds() / 86_400)
    assert epoch_blocks_per_day()[-1][2] == pytest.approx(rate)
    later = last.block_time + timedelta(days=100)
    assert estimate_height(later) == pytest.approx(840_000 + 100 * rate)
    assert estimate_height(later, "nominal") == pytest.approx(840_000 + 100 * 144)
    assert rate > 144  # blocks came faster than the target while hash rate grew


def test_estimate_refuses_dates_before_genesis():
    with pytest.raises(ValueError):
        estimate_height(datetime(2008, 12, 31, tzinfo=UTC))


def test_the_close_nearest_the_2024_halving_block_is_the_day_before():
    close = pd.Series([1.0, 2.0, 3.0], index=pd.to_datetime(["2024-04-18", "2024-04-19", "2024-04-20"]),
                      name="close")
    day, value = close_nearest(close, protocol().halving_at(840_000).block_time)
    assert (day, value) == (pd.Timestamp("2024-04-19"), 2.0)  # its bar closed 9 minutes before the block
    day, _ = close_nearest(close, datetime(2024, 4, 20, 16, 0, tzinfo=UTC))
    assert day == pd.Timestamp("2024-04-20")


@pytest.mark.parametrize("edit", [
    lambda raw: raw["halvings"][1].update(height=420_001),
    lambda raw: raw["halvings"][3].update(date="2024-04-19"),
    lambda raw: raw["initial_subsidy_sat"].update(source="http://example.com"),
    lambda raw: raw["max_money_btc"].pop("retrieved"),
])
def test_a_damaged_reference_file_is_rejected(tmp_path, edit):
    raw = json.loads(PROTOCOL_FILE.read_text(encoding="utf-8"))
    edit(raw)
    path = tmp_path / "protocol.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(pydantic.ValidationError):
        load_protocol(path)


def test_cycle_top_is_the_highest_value_in_the_two_years_from_the_start():
    days = pd.date_range("2020-01-01", periods=1000, freq="D")
    series = pd.Series(range(1000), index=days, dtype=float, name="close")
    day, top = cycle_top(series, "2020-01-01")
    assert day == pd.Timestamp("2020-01-01") + pd.Timedelta(days=730)  # later values are outside the span
    assert top == 730.0
