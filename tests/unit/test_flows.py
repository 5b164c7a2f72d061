"""Net flows from shares outstanding, checked against cases worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from generator.flows import aggregate, cumulative_flows, daily_flows, estimate, granularity

NAN = np.nan


def fund(closes, shares, splits=None, start="2025-12-29", name="AAA"):
    days = pd.bdate_range(start, periods=len(closes))
    return pd.DataFrame({"date": days, "fund": name, "close": closes, "shares_outstanding": shares,
                         "split": splits or [1.0] * len(closes), "flag": [""] * len(closes)})


# Trading days Mon 2025-12-29 .. Tue 2026-01-06 (the holiday is ignored: bdate_range is enough here).
#          12-29  12-30  12-31  01-01  01-02  01-05  01-06
CLOSES = [10.0, 11.0, 12.0, 12.0, 13.0, 14.0, 15.0]
SHARES = [1000, NAN, 1300, 1300, NAN, 1200, 1500]


def test_daily_flows_value_each_change_at_the_price_of_the_day_it_is_seen():
    flows = daily_flows(fund(CLOSES, SHARES))
    # 12-29 -> 12-31: +300 shares at 12 = +3,600, one day without a count; closes over the gap 11..12
    # 12-31 -> 01-01: no change; 01-01 -> 01-05: -100 at 14 = -1,400 over closes 13..14; then +300 at 15
    assert flows["flow_usd"].tolist() == [3600.0, 0.0, -1400.0, 4500.0]
    assert flows["gap_days"].tolist() == [1, 0, 1, 0]
    assert flows["timing_bound"].tolist() == [300 * (12 - 11), 0.0, 100 * (14 - 13), 0.0]


def test_estimate_over_a_period_with_its_error_bound():
    est = estimate("AAA", fund(CLOSES, SHARES), "2025-12-30", "2026-01-05")
    assert est.net_flow == 3600 - 1400
    assert (est.creations, est.redemptions) == (3600, -1400)
    assert (est.start_shares, est.end_shares) == (1000, 1200)        # baseline: the last count before the start
    assert est.end_assets == 1200 * 14
    assert est.missing_days == 2                                       # 12-30 and 01-02 have no count
    assert est.timing_bound == 300 + 100
    # every count is a multiple of 100: half a step at each end plus the price path between counts
    assert granularity(pd.Series([1000, 1300, 1300, 1200])) == 100
    assert est.rounding_bound == 50 * (10 + 14 + (2 + 0 + 2))
    assert est.edge_bound == 3600                                      # the first change may be the day before
    assert est.error_bound == 400 + 1400 + 3600
    assert not est.started_in_window


def test_a_split_is_not_a_flow():
    # 2-for-1 split on day two: 1,000 shares become 2,000; the count shows 2,100, so 100 new shares at 50
    flows = daily_flows(fund([100.0, 50.0], [1000, 2100], splits=[1.0, 2.0]))
    assert flows["flow_usd"].tolist() == [100 * 50.0]


def test_a_fund_seeded_by_a_spin_off_counts_its_first_shares_as_baseline_not_as_a_flow():
    spun_off = fund([20.0, 21.0, 22.0], [500, 800, 800], start="2024-07-31")
    est = estimate("SPIN", spun_off, "2024-01-11", "2024-12-31")
    assert est.started_in_window and not est.from_zero and est.start_shares == 500
    assert est.net_flow == 300 * 21.0 and est.edge_bound == 0.0


def test_a_fund_launched_with_new_money_is_counted_from_zero():
    # first price row 2024-01-11, first count only on day two: 500 shares at 21, bought over closes 20..21
    launched = fund([20.0, 21.0, 22.0], [NAN, 500, 800], start="2024-01-11")
    est = estimate("NEW", launched, "2024-01-11", "2024-01-31", count_launch=True)
    assert est.from_zero and est.start_shares == 0
    assert est.net_flow == 500 * 21.0 + 300 * 22.0
    assert est.timing_bound == 500 * (21 - 20)
    # a fund whose history begins before the period is never counted from zero
    older = estimate("OLD", launched, "2024-01-12", "2024-01-31", count_launch=True)
    assert not older.from_zero and older.net_flow == 300 * 22.0


def test_no_count_in_the_period_means_no_estimate():
    assert estimate("AAA", fund(CLOSES, SHARES), "2026-02-01", "2026-02-28") is None


def test_aggregate_over_a_named_list_with_a_fund_missing():
    table = pd.concat([fund(CLOSES, SHARES, name="AAA"),
                       fund([50.0] * 7, [100, 100, 90, 90, 90, 80, 80], name="BBB")])
    result = aggregate(table, ["AAA", "BBB", "ZZZ"], "2025-12-30", "2026-01-05")
    # BBB: -10 shares at 50 on 12-31 and -10 at 50 on 01-05
    assert result.net_flow == (3600 - 1400) + (-500 - 500)
    assert result.missing == ("ZZZ",)
    per_fund = result.table()
    assert per_fund["fund"].tolist() == ["AAA", "BBB", "ZZZ"]
    assert per_fund.loc[2, "note"] == "no share count in the period"
    assert result.only(["BBB"]).net_flow == -1000
    assert "No data for: ZZZ." in result.error_statement()


def test_cumulative_flows_add_up_to_the_estimates():
    table = pd.concat([fund(CLOSES, SHARES), fund([20.0, 21.0, 22.0], [NAN, 500, 800], start="2025-12-30", name="NEW")])
    result = aggregate(table, ["AAA", "NEW"], "2025-12-30", "2026-01-05", count_launch={"NEW"})
    daily = cumulative_flows(table, result)
    last = daily.groupby("fund")["cumulative_usd"].last()
    assert last["AAA"] == pytest.approx(3600 - 1400)
    assert last["NEW"] == pytest.approx(500 * 21.0 + 300 * 22.0)
    assert last.sum() == pytest.approx(result.net_flow)
