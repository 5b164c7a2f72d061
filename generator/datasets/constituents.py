"""The Russell 2000 constituent table the claims use: IWM's equity holdings joined to their fundamentals.

Everything comes from :class:`MarketData` datasets already cut at the evaluation date, so "current
constituents" means the newest holdings file dated on or before that date, and their market caps and
earnings are those of the newest fundamentals run dated on or before it. A dataset that is absent, or has
no row by the cut-off, raises :class:`MissingData`: the claim then needs live data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from generator.datasets.store import IWM_HOLDINGS, R2K_FUNDAMENTALS, R2K_NET_INCOME
from generator.market import MarketData, MissingData


def dated_rows(data: MarketData, name: str) -> pd.DataFrame:
    """The rows of dataset ``name`` on its newest date within the cut (MissingData if there are none)."""
    frame = data.dataset(name)
    if frame.empty:
        when = data.as_of.strftime("%Y-%m-%d") if data.as_of is not None else "the evaluation date"
        raise MissingData(name, f"no rows dated on or before {when}; needs data retrieved by then")
    dates = pd.to_datetime(frame["date"])
    return frame.loc[dates == dates.max()].reset_index(drop=True)


@dataclass(frozen=True)
class Constituents:
    """One row per distinct ticker among the equity holdings, with its fundamentals where they exist.

    ``table`` columns: symbol, name, weight (sum over the ticker's rows, %), market_cap (NaN if unknown),
    status ('ok', 'failed: ...', or 'not fetched' for a ticker the fundamentals run did not cover).
    """

    holdings_date: pd.Timestamp
    fundamentals_date: pd.Timestamp
    holding_rows: int
    table: pd.DataFrame

    @property
    def count(self) -> int:
        return len(self.table)

    def with_value(self, column: str) -> pd.DataFrame:
        return self.table.loc[self.table[column].notna()]


def constituents(data: MarketData) -> Constituents:
    holdings = dated_rows(data, IWM_HOLDINGS)
    fundamentals = dated_rows(data, R2K_FUNDAMENTALS)
    listed = holdings.loc[holdings["symbol"] != ""]
    per_symbol = (listed.groupby("symbol", sort=True)
                  .agg(name=("name", "first"), weight=("weight", "sum")).reset_index())
    facts = fundamentals.loc[:, ["symbol", "market_cap", "status"]]
    table = per_symbol.merge(facts, on="symbol", how="left")
    table["status"] = table["status"].fillna("not fetched")
    table["market_cap"] = table["market_cap"].where(table["market_cap"] > 0, np.nan)
    return Constituents(pd.Timestamp(holdings["date"].iloc[0]), pd.Timestamp(fundamentals["date"].iloc[0]),
                        len(holdings), table)


def quarterly_net_income(data: MarketData, symbols: pd.Series) -> pd.DataFrame:
    """symbol, period_end, net_income for the given tickers from the newest fundamentals run (NaN dropped)."""
    rows = dated_rows(data, R2K_NET_INCOME)
    rows = rows.loc[rows["symbol"].isin(set(symbols)) & rows["net_income"].notna()]
    return rows.loc[:, ["symbol", "period_end", "net_income"]].sort_values(["symbol", "period_end"])


def coverage_note(c: Constituents, column: str, what: str) -> str:
    """How many constituents have ``column``, and which statuses account for the rest."""
    missing = c.table.loc[c.table[column].isna(), "status"]
    reasons = missing.str.split(":").str[0].value_counts().sort_index()
    detail = ", ".join(f"{n} {reason}" for reason, n in reasons.items())
    return (f"{what} known for {c.count - len(missing)} of {c.count} constituents "
            f"({(c.count - len(missing)) / c.count:.1%})" + (f"; missing: {detail}" if len(missing) else ""))
