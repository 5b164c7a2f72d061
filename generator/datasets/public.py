"""Datasets derived from public files in ``../shared/data/raw`` (ETF flows and assets, fund holdings,
market caps, early bitcoin prices), written through the one checksummed store.

The upstream files restrict redistribution (iShares holdings: personal, non-commercial use; Artemis and
CryptoQuant exports: internal research use; Farside: attribution). So only derived facts are written:
per-fund daily flows and assets, fund-level share counts, closes, and the summary figures of the market
caps. Every manifest names the upstream files (repository, commit, path, checksum) and their terms, and
records the checks run on them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from generator.calendars import expected_days
from generator.manifests import Origin
from generator.store import DatasetManifest, DatasetStore

Log = Callable[[str], None]

BTC_ETF_FLOWS = "btc-etf-flows"
BTC_ETF_ASSETS = "btc-etf-assets"
BTC_ETF_MONTHLY = "btc-etf-monthly-flows"

FARSIDE_TERMS = ("Farside Investors publishes the table for reading and asks for attribution; the repository "
                 "that scraped it has no licence. Kept here: the per-fund daily net flows only, attributed.")
ARTEMIS_TERMS = ("Artemis exports are marked for internal research use and the repository has no licence. "
                 "Kept here: per-fund daily assets (or monthly flows) only, never the export itself.")


class PublicImportError(Exception):
    """A public file is missing, malformed, or fails a check it must pass."""


@dataclass(frozen=True)
class PublicFile:
    """One file kept under ``../shared/data/raw``: where it came from and under which terms."""

    folder: str
    filename: str
    repo: str
    commit: str
    repo_path: str
    publisher: str
    written_at: str
    terms: str

    def path(self, raw_dir: Path) -> Path:
        path = raw_dir / self.folder / self.filename
        if not path.exists():
            raise PublicImportError(f"{self.filename}: not found at {path}")
        return path

    def origin(self, raw_dir: Path, retrieved_at: str, rows_used: int, first: str, last: str,
               role: str = "rows") -> Origin:
        data = self.path(raw_dir).read_bytes()
        return Origin(role=role, publisher=self.publisher,
                      location=f"https://github.com/{self.repo}/blob/{self.commit}/{self.repo_path}",
                      commit=self.commit, written_at=self.written_at, retrieved_at=retrieved_at,
                      license=self.terms, raw_sha256=hashlib.sha256(data).hexdigest(), rows_used=rows_used,
                      first_date=first, last_date=last)


MOLTOVY = ("moltovy-crypto-research-paper-data", "moltovy/Crypto-Research-Paper-Data-Factors-Analysis-",
           "0236b1e1cc2b347cf22e2e69ad58ca32974e73bc", "2026-04-17T00:00:00Z")
FARSIDE = PublicFile(MOLTOVY[0], "farside_btc_etf_flows__daily.csv", MOLTOVY[1], MOLTOVY[2],
                     "Data/Farside ETF Data/farside_btc_etf_flows__daily.csv",
                     "Farside Investors (bitcoin ETF flow table, https://farside.co.uk/btc/)", MOLTOVY[3],
                     FARSIDE_TERMS)
ARTEMIS_AUM = PublicFile(MOLTOVY[0], "artemis-bitcoin-etfs-aum.csv", MOLTOVY[1], MOLTOVY[2],
                         "Data/Artemis/Bitcoin ETFs AUM.csv", "Artemis Analytics (ETF assets export)", MOLTOVY[3],
                         ARTEMIS_TERMS)
ARTEMIS_MONTHLY = PublicFile(MOLTOVY[0], "artemis-monthly-bitcoin-etf-flows.csv", MOLTOVY[1], MOLTOVY[2],
                             "Data/Artemis/Monthly Bitcoin ETF flows.csv",
                             "Artemis Analytics (monthly ETF flows export)", MOLTOVY[3], ARTEMIS_TERMS)

ARTEMIS_NAMES = {"Bitcoin": "BTC"}
"""Artemis calls the Grayscale Bitcoin Mini Trust 'Bitcoin'; everyone else calls it by its ticker, BTC."""


def _stamp(day: pd.Timestamp) -> str:
    return pd.Timestamp(day).strftime("%Y-%m-%d")


# --- bitcoin ETFs ------------------------------------------------------------------------------------


def parse_farside(path: Path) -> tuple[pd.DataFrame, pd.Series]:
    """Farside's wide table (US$ million) -> long per-fund daily flows in US$, and its Total column in US$.

    Blank cells (a fund not yet trading, or a market holiday) give no row; a reported 0.0 is kept.
    """
    table = pd.read_csv(path)
    if "date" not in table.columns or "Total" not in table.columns:
        raise PublicImportError(f"{path.name}: expected columns 'date' and 'Total', found {list(table.columns)}")
    table["date"] = pd.to_datetime(table["date"], format="%Y-%m-%d")
    funds = [c for c in table.columns if c not in ("date", "Total")]
    long = table.melt(id_vars="date", value_vars=funds, var_name="fund", value_name="flow_musd").dropna()
    long["flow_usd"] = (pd.to_numeric(long["flow_musd"], errors="raise") * 1e6).round(0)
    total = pd.Series(pd.to_numeric(table["Total"], errors="raise").to_numpy() * 1e6, index=table["date"])
    return long.loc[:, ["date", "fund", "flow_usd"]].reset_index(drop=True), total


def farside_checks(flows: pd.DataFrame, total: pd.Series) -> list[dict[str, str | int | float]]:
    """Total = sum of the funds on every row; every NYSE trading day present; no flows on other days."""
    by_day = flows.groupby("date")["flow_usd"].sum().reindex(total.index, fill_value=0.0)
    gap = (by_day - total).abs()
    traded = total.index[(total != 0) | total.index.isin(flows["date"])]
    expected = expected_days("nyse", total.index.min(), total.index.max())
    missing = expected.difference(pd.DatetimeIndex(flows["date"].unique()))
    extra = pd.DatetimeIndex(flows["date"].unique()).difference(expected)
    total_bad = int((gap > 0.05e6 + 1).sum())
    checks: list[dict[str, str | int | float]] = [
        {"check": "Total column equals the sum of the fund columns", "rows": int(len(total)),
         "disagreements": total_bad, "max_difference_usd": float(gap.max()),
         "summary": f"the Total column equals the sum of the funds on {len(total) - total_bad} of {len(total)} rows"},
        {"check": "every NYSE trading day has a row", "trading_days": int(len(expected)),
         "missing": int(len(missing)), "examples": ", ".join(_stamp(d) for d in missing[:5]),
         "summary": f"{len(expected) - len(missing)} of the {len(expected)} NYSE trading days have flows"
                    + (f" (missing: {', '.join(_stamp(d) for d in missing[:5])})" if len(missing) else "")},
        {"check": "no flows on days the exchange was closed", "rows_on_closed_days": int(len(extra)),
         "examples": ", ".join(_stamp(d) for d in extra[:5]), "days_with_data": int(len(traded)),
         "summary": f"{len(extra)} days with flows while the exchange was closed (holidays carry no flows)"},
    ]
    return checks


def parse_artemis_aum(path: Path) -> pd.DataFrame:
    """Artemis' wide daily assets table (US$) -> long (date, fund, assets_usd); zero before a launch is dropped."""
    table = pd.read_csv(path)
    if "date" not in table.columns:
        raise PublicImportError(f"{path.name}: no 'date' column")
    table = table.rename(columns=ARTEMIS_NAMES)
    table["date"] = pd.to_datetime(table["date"], format="%Y-%m-%d")
    long = table.melt(id_vars="date", var_name="fund", value_name="assets_usd").dropna()
    long["assets_usd"] = pd.to_numeric(long["assets_usd"], errors="raise").round(0)
    long = long.loc[long["assets_usd"] > 0]
    return long.reset_index(drop=True)


def parse_artemis_monthly(path: Path) -> pd.DataFrame:
    """Artemis' monthly flows ('<FUND> - ETF Flows', US$, dated by month end) -> long (date, fund, flow_usd)."""
    table = pd.read_csv(path)
    if "date" not in table.columns:
        raise PublicImportError(f"{path.name}: no 'date' column")
    renamed = {c: ARTEMIS_NAMES.get(c.removesuffix(" - ETF Flows"), c.removesuffix(" - ETF Flows"))
               for c in table.columns if c != "date"}
    table = table.rename(columns=renamed)
    table["date"] = pd.to_datetime(table["date"], format="%Y-%m-%d")
    long = table.melt(id_vars="date", var_name="fund", value_name="flow_usd").dropna()
    long["flow_usd"] = pd.to_numeric(long["flow_usd"], errors="raise").astype(float)
    return long.reset_index(drop=True)


def monthly_cross_check(daily: pd.DataFrame, monthly: pd.DataFrame) -> dict[str, str | int | float]:
    """Farside's daily flows summed by month against Artemis' monthly totals (all funds)."""
    farside = daily.groupby(daily["date"].dt.to_period("M"))["flow_usd"].sum()
    artemis = monthly.groupby(monthly["date"].dt.to_period("M"))["flow_usd"].sum()
    common = farside.index.intersection(artemis.index)
    gap = (farside.loc[common] - artemis.loc[common]).abs()
    worst = gap.idxmax()
    return {"against": f"{ARTEMIS_MONTHLY.repo}:{ARTEMIS_MONTHLY.repo_path}",
            "compared": "net flow of all funds per calendar month (Farside's days summed)",
            "common_months": int(len(common)), "max_difference_usd": float(gap.max()),
            "worst_month": str(worst), "sum_farside_usd": float(farside.loc[common].sum()),
            "sum_artemis_usd": float(artemis.loc[common].sum()),
            "summary": f"Artemis' monthly flows (an independent tally) against Farside's days summed by month: "
                       f"{len(common)} months, largest gap ${float(gap.max()) / 1e6:,.0f} million ({worst}), "
                       f"totals ${float(artemis.loc[common].sum()) / 1e9:,.1f} bn and "
                       f"${float(farside.loc[common].sum()) / 1e9:,.1f} bn"}


def assets_cross_check(daily: pd.DataFrame, assets: pd.DataFrame) -> dict[str, str | int | float]:
    """Launch-day assets of each new fund (Artemis) against its first-day flow (Farside): equal for new money."""
    first_day = daily["date"].min()
    flows = daily.loc[daily["date"] == first_day].set_index("fund")["flow_usd"]
    launch = assets.loc[assets["date"] == first_day].set_index("fund")["assets_usd"]
    funds = [f for f in flows.index if f in launch.index and f != "GBTC" and flows[f] > 0]
    gaps = {f: abs(float(launch[f]) - float(flows[f])) / float(flows[f]) for f in funds}
    return {"against": f"{ARTEMIS_AUM.repo}:{ARTEMIS_AUM.repo_path}",
            "compared": f"assets of each new fund on {_stamp(first_day)} against its first-day net inflow",
            "funds": int(len(funds)), "max_relative_difference": max(gaps.values()) if gaps else 0.0,
            "summary": f"on {_stamp(first_day)} the assets of each of the {len(funds)} new funds equal its "
                       f"first-day inflow within {100 * max(gaps.values(), default=0.0):.2f}%"}


def import_btc_etfs(raw_dir: Path, store: DatasetStore, retrieved_at: str, log: Log = print) -> list[str]:
    """Farside daily flows, Artemis daily assets and monthly flows -> three datasets, with their checks."""
    flows, total = parse_farside(FARSIDE.path(raw_dir))
    checks = farside_checks(flows, total)
    if checks[0]["disagreements"]:
        raise PublicImportError(f"{FARSIDE.filename}: Total differs from the sum of the funds on "
                                f"{checks[0]['disagreements']} rows")
    if checks[1]["missing"]:
        raise PublicImportError(f"{FARSIDE.filename}: trading days missing: {checks[1]['examples']}")
    assets = parse_artemis_aum(ARTEMIS_AUM.path(raw_dir))
    monthly = parse_artemis_monthly(ARTEMIS_MONTHLY.path(raw_dir))
    month_check = monthly_cross_check(flows, monthly)
    checks.append(month_check)
    checks.append(assets_cross_check(flows, assets))

    def span(frame: pd.DataFrame) -> tuple[str, str]:
        return _stamp(frame["date"].min()), _stamp(frame["date"].max())

    written = []
    specs = [
        (BTC_ETF_FLOWS, flows, FARSIDE, {"date": "date", "fund": "str", "flow_usd": "float"},
         "Daily net flow of each U.S. spot bitcoin ETF in US dollars (Farside's table is in millions, one "
         "decimal: rounding up to $50,000 per fund and day), dated by the trading day.", checks),
        (BTC_ETF_ASSETS, assets, ARTEMIS_AUM, {"date": "date", "fund": "str", "assets_usd": "float"},
         "Assets under management of each U.S. spot bitcoin ETF in US dollars, every calendar day (weekends "
         "repeat Friday's holdings at the weekend price), rounded to the dollar.", [checks[-1]]),
        (BTC_ETF_MONTHLY, monthly, ARTEMIS_MONTHLY, {"date": "date", "fund": "str", "flow_usd": "float"},
         "Net flow of each U.S. spot bitcoin ETF per calendar month in US dollars, dated by the month's last "
         "day; an independent tally used to cross-check the daily flows.", [month_check]),
    ]
    for name, frame, source, columns, description, cross in specs:
        first, last = span(frame)
        manifest = DatasetManifest(
            name=name, description=description, source=source.publisher,
            upstream_urls=[f"https://github.com/{source.repo}/blob/{source.commit}/{source.repo_path}"],
            retrieved_at=retrieved_at, columns=columns, keys=["date", "fund"], method="import",
            terms=source.terms, origins=[source.origin(raw_dir, retrieved_at, len(frame), first, last)],
            cross_checks=cross)
        out = store.update(frame, manifest, replace_on=["date", "fund"])
        line = f"{name}: {out.rows} rows {out.first_date}..{out.as_of}"
        log(line)
        written.append(line)
    return written


IMPORTS: dict[str, Callable[[Path, DatasetStore, str, Log], list[str]]] = {
    "btc-etfs": import_btc_etfs,
}


def import_public(raw_dir: Path, root: Path, retrieved_at: str, only: list[str] | None = None,
                  log: Log = print) -> list[str]:
    """Run every public-file import (or ``only`` those named) into the dataset store at ``root``."""
    store = DatasetStore(root)
    lines = []
    for name, run in IMPORTS.items():
        if only and name not in only:
            continue
        lines += run(raw_dir, store, retrieved_at, log)
    return lines
