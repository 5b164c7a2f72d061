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
        location = (f"https://github.com/{self.repo}/blob/{self.commit}/{self.repo_path}" if self.repo_path
                    else f"https://github.com/{self.repo}/tree/{self.commit}")
        return Origin(role=role, publisher=self.publisher, location=location,
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


# --- IWM: share counts of five holdings files, the constituents' market caps, daily flows ---------------

IWM_SHARES = "iwm-shares"
R2K_MARKET_CAPS = "r2k-market-caps"
SMALLCAP_ETF_FLOWS = "etf-daily-flows"
IWM_CLOSES = "iwm-closes"

ISHARES_TERMS = ("BlackRock's notice in the file: for personal, non-commercial use, not to be redistributed; "
                 "the repository has no licence. Kept here: the fund-level figures of its header (shares "
                 "outstanding, date) and counts, never a holding's row.")
SCREENER_TERMS = ("A TradingView screener export kept in a repository without a licence. Kept here: only the "
                  "summary figures and the distribution the site shows, never a company's row.")
ETF_FLOWS_TERMS = ("Daily flows derived from etf.com data by a repository without a licence. Kept here: the daily "
                   "flow of each fund the claims read.")
TRADINGVIEW_TERMS = "A TradingView export kept in a repository without a licence. Kept here: the daily closes."

HOLDINGS_FILES = (
    ("ebaybasics-SignalCraft", "ebaybasics/SignalCraft", "27521f6fcdb47c6993a696129e356042a09bfde3", "2025-05-14"),
    ("jmaietta-EPS_Calendar", "jmaietta/EPS_Calendar", "67d5637a29cf1647f8d0f7eb4a5cabe5d4ec434e", "2025-11-06"),
    ("tommasobellini-crt-flow.com-be", "tommasobellini/crt-flow.com-be", "22a78cd77d5d2e23721179c3169dfc87cde8045b",
     "2026-01-23"),
    ("LuxSire-PortfolioApp", "LuxSire/PortfolioApp", "10bb4fa9130828635e278ef917ac623c7cd7a512", "2026-08-04"),
    ("brownplaya239-smid-scanner", "brownplaya239/smid-scanner", "2dbbf73ff4a761a9247c5322817196f632605c3b",
     "2026-05-07"),
)
CONSTITUENTS_FOLDER = "tommasobellini-crt-flow.com-be"
"""The holdings file two days before publication: the constituent list for the median market cap."""
SCREENER = PublicFile("crimifrancesco-art-trading-system", "russell2000.csv", "crimifrancesco-art/trading-system",
                      "5659b5ebaea94c8ea3ffaba5469d14539f16b04d", "data/russell2000.csv",
                      "TradingView stock screener (Russell 2000 members), export in Italian", "2026-02-23T00:00:00Z",
                      SCREENER_TERMS)
SCREENER_DATED = "2026-02-20"
"""The screener file has no date. Its prices equal the 2026-02-20 closes (see PROVENANCE.md): 'about'."""
ETF_FLOWS = PublicFile("isaergun-etf-flows-data", "etf_flows.csv", "isaergun/etf-flows-data",
                       "f6bbca3b538091af4ce3637f72893301d5fe7784", "data/etf_flows.csv",
                       "etf.com fund flows, collected by isaergun/etf-flows-data", "2026-04-03T00:00:00Z",
                       ETF_FLOWS_TERMS)
TRADINGVIEW_IWM = PublicFile(MOLTOVY[0], "tradingview-iwm-daily.csv", MOLTOVY[1], MOLTOVY[2],
                             "Data/Tradingview/Daily/IWM_russell2000_etf__daily.csv",
                             "TradingView (IWM daily, unadjusted)", MOLTOVY[3], TRADINGVIEW_TERMS)
FLOW_FUNDS = ("IWM", "IBIT")
"""Funds of the daily-flows file the claims read: IWM (small caps) and IBIT (a cross-check of Farside)."""

CAP_BRACKETS = (0.0, 100e6, 250e6, 500e6, 750e6, 1e9, 1.5e9, 2e9, 3e9, 5e9, 10e9, float("inf"))
CAP_QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


def _holdings(raw_dir: Path, folder: str):  # -> ishares.HoldingsFile
    from generator.sources.base import FetchError
    from generator.sources.ishares import parse_holdings_csv

    path = raw_dir / folder / "IWM_holdings.csv"
    if not path.exists():
        raise PublicImportError(f"IWM holdings: not found at {path}")
    try:
        return parse_holdings_csv(path.read_text(encoding="utf-8-sig"), "IWM")
    except FetchError as exc:
        raise PublicImportError(f"{path}: {exc}") from exc


def _holdings_file(folder: str, repo: str, commit: str, written: str) -> PublicFile:
    # the file's path inside each repository is not recorded (PROVENANCE.md names the repository and commit)
    return PublicFile(folder, "IWM_holdings.csv", repo, commit, "",
                      "BlackRock iShares (IWM holdings file)", f"{written}T00:00:00Z", ISHARES_TERMS)


def _ticker_key(ticker: str) -> str:
    """Share classes are spelt 'MOG.A' by the screener and 'MOGA' by iShares: compare without the dot."""
    return ticker.replace(".", "").replace("/", "").strip().upper()


def parse_screener(path: Path) -> pd.DataFrame:
    """The TradingView export (Italian headers) -> ticker, price, market_cap (US$)."""
    table = pd.read_csv(path)
    wanted = {"Simbolo": "ticker", "Prezzo": "price", "Capitalizzazione di mercato": "market_cap",
              "Capitalizzazione di mercato - Valuta": "currency"}
    absent = [c for c in wanted if c not in table.columns]
    if absent:
        raise PublicImportError(f"{path.name}: lacks columns {absent}")
    out = table.rename(columns=wanted).loc[:, list(wanted.values())]
    out["market_cap"] = pd.to_numeric(out["market_cap"], errors="coerce")
    out["price"] = pd.to_numeric(out["price"], errors="coerce")
    return out


def match_caps(holdings: pd.DataFrame, screener: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """One row per distinct holding ticker found in the screener (exactly, or without the class dot)."""
    held = (holdings.loc[holdings["ticker"].str.strip().isin(["", "-"]) == False]  # noqa: E712
            .groupby("ticker", as_index=False).agg(weight=("weight", "sum"), held_price=("price", "first")))
    screen = screener.loc[(screener["currency"] == "USD") & (screener["market_cap"] > 0)].copy()
    exact = held.merge(screen, on="ticker", how="inner")
    rest = held.loc[~held["ticker"].isin(exact["ticker"])].assign(key=lambda f: f["ticker"].map(_ticker_key))
    screen_rest = screen.loc[~screen["ticker"].isin(exact["ticker"])].assign(
        key=lambda f: f["ticker"].map(_ticker_key)).drop(columns="ticker")
    by_class = rest.merge(screen_rest, on="key", how="inner").drop(columns="key")
    matched = pd.concat([exact, by_class], ignore_index=True)
    counts = {"holding_tickers": int(len(held)), "screener_rows": int(len(screener)),
              "matched_exact": int(len(exact)), "matched_share_class": int(len(by_class)),
              "matched": int(len(matched))}
    return matched, counts


def cap_summary(matched: pd.DataFrame) -> list[tuple[str, float]]:
    """The figures and the distribution the site shows, from the matched market caps."""
    caps = matched["market_cap"]
    rows: list[tuple[str, float]] = [("median", float(caps.median()))]
    rows += [(f"quantile {q:g}", float(caps.quantile(q))) for q in CAP_QUANTILES if q != 0.5]
    rows += [("smallest", float(caps.min())), ("largest", float(caps.max())), ("mean", float(caps.mean())),
             ("weighted mean", float((caps * matched["weight"]).sum() / matched["weight"].sum())),
             ("below 1 billion", float((caps < 1e9).sum()))]
    for lower, upper in zip(CAP_BRACKETS[:-1], CAP_BRACKETS[1:], strict=True):
        rows.append((f"bracket {lower:.0f}", float(((caps >= lower) & (caps < upper)).sum())))
    weights = matched["weight"] * matched["price"] / matched["held_price"]
    rows.append(("price ratio", float(weights.sum() / matched["weight"].sum())))
    return rows


def _rut_close(day: str) -> float:
    """The Russell 2000's close on ``day`` from the embedded snapshot (to move the caps to another day)."""
    from generator.catalog import spec
    from generator.paths import SNAPSHOT_DIR
    from generator.store import SnapshotStore

    frame, _ = SnapshotStore(SNAPSHOT_DIR).read(spec("rut"))
    if pd.Timestamp(day) not in frame.index:
        raise PublicImportError(f"rut: no close on {day} in the snapshot")
    return float(frame.at[pd.Timestamp(day), "close"])


def import_iwm(raw_dir: Path, store: DatasetStore, retrieved_at: str, log: Log = print) -> list[str]:
    """Five IWM holdings files -> share counts; the 2026-01-21 file x the screener -> market-cap figures."""
    lines = []
    shares_rows, origins = [], []
    for folder, repo, commit, written in HOLDINGS_FILES:
        parsed = _holdings(raw_dir, folder)
        if parsed.shares_outstanding is None:
            raise PublicImportError(f"{folder}: the holdings file states no shares outstanding")
        shares_rows.append({"date": pd.Timestamp(parsed.as_of), "fund": "IWM",
                            "shares_outstanding": parsed.shares_outstanding,
                            "equity_lines": len(parsed.holdings),
                            "equity_value_usd": round(float(parsed.holdings["market_value"].sum()), 0)})
        day = parsed.as_of.isoformat()
        origins.append(_holdings_file(folder, repo, commit, written).origin(raw_dir, retrieved_at, 1, day, day))
    shares = pd.DataFrame(shares_rows)
    manifest = DatasetManifest(
        name=IWM_SHARES, description="Shares outstanding of the iShares Russell 2000 ETF (IWM) as stated in five "
        "holdings files, with the number of equity lines and their total value, dated by each file's 'Fund "
        "Holdings as of' day.", source="BlackRock iShares (IWM holdings files)",
        upstream_urls=[o.location for o in origins], retrieved_at=retrieved_at,
        columns={"date": "date", "fund": "str", "shares_outstanding": "float", "equity_lines": "int",
                 "equity_value_usd": "float"}, keys=["date", "fund"], method="import", terms=ISHARES_TERMS,
        origins=origins)
    out = store.update(shares, manifest, replace_on=["date", "fund"])
    lines.append(f"{IWM_SHARES}: {out.rows} rows {out.first_date}..{out.as_of}")

    constituents = _holdings(raw_dir, CONSTITUENTS_FOLDER)
    screener = parse_screener(SCREENER.path(raw_dir))
    matched, counts = match_caps(constituents.holdings, screener)
    if counts["matched"] < 0.9 * counts["holding_tickers"]:
        raise PublicImportError(f"{SCREENER.filename}: only {counts['matched']} of {counts['holding_tickers']} "
                                "holding tickers found in the screener")
    figures = [(k.replace("_", " "), float(v)) for k, v in counts.items()] + cap_summary(matched)
    figures.append(("equity lines", float(len(constituents.holdings))))
    figures.append(("index close on the caps day", _rut_close(SCREENER_DATED)))
    day = pd.Timestamp(constituents.as_of)
    caps = pd.DataFrame({"date": day, "statistic": [k for k, _ in figures], "value": [v for _, v in figures],
                         "caps_observed": f"about {SCREENER_DATED}"})
    folder, repo, commit, written = next(h for h in HOLDINGS_FILES if h[0] == CONSTITUENTS_FOLDER)
    ratio = dict(figures)["price ratio"]
    manifest = DatasetManifest(
        name=R2K_MARKET_CAPS, description=f"Market caps of the Russell 2000 constituents: the equity holdings of "
        f"IWM's file as of {constituents.as_of.isoformat()} matched by ticker to a TradingView screener export "
        f"whose caps date from about {SCREENER_DATED} (its prices equal that day's closes); reduced to the "
        "figures and the distribution the site shows. Dated by the constituent list's day.",
        source="BlackRock iShares (constituents) and TradingView (market caps)",
        upstream_urls=[f"https://github.com/{SCREENER.repo}/blob/{SCREENER.commit}/{SCREENER.repo_path}",
                       f"https://github.com/{repo}/tree/{commit}"],
        retrieved_at=retrieved_at, columns={"date": "date", "statistic": "str", "value": "float",
                                            "caps_observed": "str"},
        keys=["date", "statistic"], method="import", terms=f"{SCREENER_TERMS} {ISHARES_TERMS}",
        origins=[SCREENER.origin(raw_dir, retrieved_at, counts["matched"], SCREENER_DATED, SCREENER_DATED),
                 _holdings_file(folder, repo, commit, written).origin(
                     raw_dir, retrieved_at, counts["holding_tickers"], constituents.as_of.isoformat(),
                     constituents.as_of.isoformat())],
        cross_checks=[{"compared": "screener price against the holdings file's price, weighted by IWM weight",
                       "price_ratio": ratio,
                       "summary": f"{counts['matched']:,} of the {counts['holding_tickers']:,} holding tickers "
                                  f"are in the screener ({counts['matched_share_class']} of them after removing "
                                  f"a share-class dot); their screener prices are {ratio:.4f} times the "
                                  f"holdings file's, weighted by IWM weight, which dates the caps to about "
                                  f"{SCREENER_DATED}"}])
    out = store.update(caps, manifest, replace_on=["date", "statistic"])
    lines.append(f"{R2K_MARKET_CAPS}: {counts['matched']} matched tickers reduced to {out.rows} figures")
    for line in lines:
        log(line)
    return lines


def import_etf_flows(raw_dir: Path, store: DatasetStore, retrieved_at: str, log: Log = print) -> list[str]:
    """Daily flows of IWM and IBIT (etf.com-derived), and IWM's unadjusted daily closes (TradingView)."""
    table = pd.read_csv(ETF_FLOWS.path(raw_dir))
    if not {"date", "ticker", "flow_usd"} <= set(table.columns):
        raise PublicImportError(f"{ETF_FLOWS.filename}: expected date, ticker, flow_usd")
    table["date"] = pd.to_datetime(table["date"], format="%Y-%m-%d")
    flows = table.loc[table["ticker"].isin(FLOW_FUNDS)].rename(columns={"ticker": "fund"})
    flows = flows.assign(flow_usd=flows["flow_usd"].astype(float).round(0)).loc[:, ["date", "fund", "flow_usd"]]
    blank = flows.loc[flows["flow_usd"].isna()]
    flows = flows.dropna(subset=["flow_usd"])
    expected = expected_days("nyse", flows["date"].min(), flows["date"].max())
    closed = pd.DatetimeIndex(flows["date"].unique()).difference(expected)
    if len(closed):
        raise PublicImportError(f"{ETF_FLOWS.filename}: flows on days the exchange was closed: "
                                + ", ".join(_stamp(d) for d in closed[:5]))
    blank_days = pd.DatetimeIndex(sorted(set(blank["date"])))
    shut = blank_days.difference(expected_days("nyse", blank_days.min(), blank_days.max())) if len(blank) else blank_days
    checks: list[dict[str, str | int | float]] = [
        {"check": "no flows on days the exchange was closed", "blank_rows": int(len(blank)),
         "summary": f"no flows on days the exchange was closed; {len(blank)} empty rows left out on "
                    f"{len(blank_days)} days ({len(shut)} of them market holidays: "
                    f"{', '.join(_stamp(d) for d in shut) or 'none'}; the others are missing data: "
                    f"{', '.join(_stamp(d) for d in blank_days.difference(shut)) or 'none'})"}]
    for fund, rows in flows.groupby("fund"):
        missing = expected.difference(pd.DatetimeIndex(rows["date"]))
        checks.append({"fund": str(fund), "trading_days": int(len(expected)), "missing": int(len(missing)),
                       "summary": f"{fund}: {len(expected) - len(missing)} of {len(expected)} NYSE trading days"
                                  + (f" (missing {', '.join(_stamp(d) for d in missing[:5])})" if len(missing)
                                     else "")})
    farside_path = raw_dir / FARSIDE.folder / FARSIDE.filename
    if farside_path.exists():
        farside, _ = parse_farside(farside_path)
        ours = flows.loc[flows["fund"] == "IBIT"].set_index("date")["flow_usd"]
        theirs = farside.loc[farside["fund"] == "IBIT"].set_index("date")["flow_usd"]
        common = ours.index.intersection(theirs.index)
        total_ours, total_theirs = float(ours.loc[common].sum()), float(theirs.loc[common].sum())
        checks.append({"against": f"{FARSIDE.repo}:{FARSIDE.repo_path}", "common_days": int(len(common)),
                       "summary": f"IBIT's flows over the {len(common)} days both files cover add up to "
                                  f"${total_ours / 1e9:,.2f} bn here and ${total_theirs / 1e9:,.2f} bn in "
                                  "Farside's table"})
    first, last = _stamp(flows["date"].min()), _stamp(flows["date"].max())
    manifest = DatasetManifest(
        name=SMALLCAP_ETF_FLOWS, description="Daily net flows of IWM and IBIT in US dollars (etf.com-derived), "
        "dated by the trading day.", source=ETF_FLOWS.publisher,
        upstream_urls=[f"https://github.com/{ETF_FLOWS.repo}/blob/{ETF_FLOWS.commit}/{ETF_FLOWS.repo_path}"],
        retrieved_at=retrieved_at, columns={"date": "date", "fund": "str", "flow_usd": "float"},
        keys=["date", "fund"], method="import", terms=ETF_FLOWS_TERMS,
        origins=[ETF_FLOWS.origin(raw_dir, retrieved_at, len(flows), first, last)], cross_checks=checks)
    out = store.update(flows, manifest, replace_on=["date", "fund"])
    lines = [f"{SMALLCAP_ETF_FLOWS}: {out.rows} rows {out.first_date}..{out.as_of}"]

    prices = pd.read_csv(TRADINGVIEW_IWM.path(raw_dir))
    if not {"date", "close"} <= set(prices.columns):
        raise PublicImportError(f"{TRADINGVIEW_IWM.filename}: expected date and close")
    closes = pd.DataFrame({"date": pd.to_datetime(prices["date"], format="%Y-%m-%d"),
                           "close": pd.to_numeric(prices["close"], errors="raise")}).dropna()
    first, last = _stamp(closes["date"].min()), _stamp(closes["date"].max())
    manifest = DatasetManifest(
        name=IWM_CLOSES, description="Daily closes of IWM as traded (not adjusted for dividends), to value "
        "changes in its share count.", source=TRADINGVIEW_IWM.publisher,
        upstream_urls=[f"https://github.com/{TRADINGVIEW_IWM.repo}/blob/{TRADINGVIEW_IWM.commit}/"
                       f"{TRADINGVIEW_IWM.repo_path}"],
        retrieved_at=retrieved_at, columns={"date": "date", "close": "float"}, keys=["date"], method="import",
        terms=TRADINGVIEW_TERMS, origins=[TRADINGVIEW_IWM.origin(raw_dir, retrieved_at, len(closes), first, last)])
    out = store.update(closes, manifest)
    lines.append(f"{IWM_CLOSES}: {out.rows} rows {out.first_date}..{out.as_of}")
    for line in lines:
        log(line)
    return lines


# --- bitcoin before Yahoo's first day ------------------------------------------------------------------

BTC_EARLY = "btc-usd-early"
CRYPTOQUANT_TERMS = ("CryptoQuant's export is marked for internal research use and the repository has no "
                     "licence. Kept here: the daily closes before Yahoo Finance's first day only.")
CRYPTOQUANT = PublicFile(MOLTOVY[0], "cryptoquant-btc-usd-day.csv", MOLTOVY[1], MOLTOVY[2],
                         "Data/CryptoQuant/BTC/Market Data/Bitcoin Price & Volume - Spot, All Exchanges, BTC-USD "
                         "- Day.csv", "CryptoQuant (BTC-USD, all spot exchanges)", MOLTOVY[3], CRYPTOQUANT_TERMS)
EXCHANGE_PRICES_FROM = pd.Timestamp("2010-07-17")
"""Before this day the export repeats a pre-exchange placeholder (under a tenth of a cent); from it, exchange
prices (the jump is checked on import)."""


def parse_cryptoquant(path: Path) -> pd.Series:
    """The export's daily closes (UTC days) from the first exchange price on."""
    table = pd.read_csv(path)
    if not {"date", "Close"} <= set(table.columns):
        raise PublicImportError(f"{path.name}: expected columns date and Close")
    close = pd.Series(pd.to_numeric(table["Close"], errors="coerce").to_numpy(),
                      index=pd.DatetimeIndex(pd.to_datetime(table["date"], format="%Y-%m-%d"), name="date"))
    close = close.dropna()
    before = close.loc[close.index < EXCHANGE_PRICES_FROM]
    if len(before) and close.loc[EXCHANGE_PRICES_FROM] < 10 * float(before.iloc[-1]):
        raise PublicImportError(f"{path.name}: no jump to exchange prices on {_stamp(EXCHANGE_PRICES_FROM)}")
    return close.loc[close.index >= EXCHANGE_PRICES_FROM]


def overlap_check(early: pd.Series, yahoo: pd.Series) -> dict[str, str | int | float]:
    """CryptoQuant's all-exchange closes against Yahoo's on every day both have."""
    common = early.index.intersection(yahoo.index)
    gap = (early.loc[common] / yahoo.loc[common] - 1).abs()
    within = float((gap <= 0.01).mean())
    first_year = gap.loc[:common[0] + pd.Timedelta(days=365)]
    return {"against": "Yahoo Finance BTC-USD (the snapshot's btc-usd series)", "common_days": int(len(common)),
            "median_difference": float(gap.median()), "max_difference": float(gap.max()),
            "worst_day": _stamp(gap.idxmax()), "within_1pct": within,
            "first_year_max_difference": float(first_year.max()),
            "summary": f"on the {len(common):,} days both have ({_stamp(common[0])} to {_stamp(common[-1])}) "
                       f"CryptoQuant's close differs from Yahoo's by {100 * float(gap.median()):.2f}% at the "
                       f"median, by at most 1% on {100 * within:.0f}% of days, at most "
                       f"{100 * float(first_year.max()):.1f}% in the first year after the splice, and "
                       f"{100 * float(gap.max()):.1f}% at worst ({_stamp(gap.idxmax())})"}


def import_btc_early(raw_dir: Path, store: DatasetStore, retrieved_at: str, log: Log = print) -> list[str]:
    """CryptoQuant closes before Yahoo's first BTC-USD day; the overlap is compared, never stored."""
    from generator.catalog import spec
    from generator.paths import SNAPSHOT_DIR
    from generator.store import SnapshotStore

    close = parse_cryptoquant(CRYPTOQUANT.path(raw_dir))
    yahoo, _ = SnapshotStore(SNAPSHOT_DIR).read(spec("btc-usd"))
    splice = yahoo.index[0]
    early = close.loc[close.index < splice]
    if early.empty:
        raise PublicImportError(f"{CRYPTOQUANT.filename}: no close before {_stamp(splice)}")
    gaps = expected_days("crypto", early.index[0], early.index[-1]).difference(early.index)
    check = overlap_check(close, yahoo["close"])
    frame = pd.DataFrame({"date": early.index, "close": early.to_numpy()})
    first, last = _stamp(early.index[0]), _stamp(early.index[-1])
    manifest = DatasetManifest(
        name=BTC_EARLY, description=f"Daily BTC-USD closes (UTC days) from CryptoQuant's all-exchange series, "
        f"{first} to {last}: the days before Yahoo Finance's series begins ({_stamp(splice)}). Spliced in front "
        "of it; after the splice only Yahoo's closes are used.",
        source=CRYPTOQUANT.publisher,
        upstream_urls=[f"https://github.com/{CRYPTOQUANT.repo}/blob/{CRYPTOQUANT.commit}/{CRYPTOQUANT.repo_path}"],
        retrieved_at=retrieved_at, columns={"date": "date", "close": "float"}, keys=["date"], method="import",
        terms=CRYPTOQUANT_TERMS, origins=[CRYPTOQUANT.origin(raw_dir, retrieved_at, len(frame), first, last)],
        cross_checks=[check, {"check": "every UTC day present", "missing": int(len(gaps)),
                              "summary": f"{len(gaps)} missing days between {first} and {last}"}],
        notes=[f"Before {_stamp(EXCHANGE_PRICES_FROM)} the export repeats a placeholder price under a tenth of a "
               "cent; those rows are left out.",
               "An average over spot exchanges, not Yahoo's feed: the two differ by a fraction of a percent on "
               "most days where both exist."])
    out = store.update(frame, manifest)
    line = f"{BTC_EARLY}: {out.rows} rows {out.first_date}..{out.as_of}"
    log(line)
    return [line]


IMPORTS: dict[str, Callable[[Path, DatasetStore, str, Log], list[str]]] = {
    "btc-early": import_btc_early,
    "btc-etfs": import_btc_etfs,
    "iwm": import_iwm,
    "etf-flows": import_etf_flows,
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
