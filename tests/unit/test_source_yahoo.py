"""YahooSource runs the real yfinance 1.x code against a curl_cffi Session subclass that answers from
canned files (tests/fixtures/yahoo/, the v8 chart JSON format), including the cookie and crumb
requests yfinance makes first. So request building, the handshake and JSON parsing are yfinance's own.

Note: curl_cffi opens its sockets in C, out of pytest-socket's reach; the canned session therefore never
calls the real ``Session.request``.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
import yfinance as yf
from curl_cffi import requests as curl_requests
from curl_cffi.requests.exceptions import ConnectionError as CurlConnectionError
from curl_cffi.requests.models import Response

from generator.catalog import spec
from generator.sources.base import FetchError
from generator.sources.net import CappedTimeoutSession
from generator.sources.yahoo import YahooSource, to_snapshot_rows

FIXTURES = Path(__file__).parents[1] / "fixtures" / "yahoo"
NEW_YORK = ZoneInfo("America/New_York")
CRUMB = "Xy7crumbZ9q"
NOT_FOUND = {"chart": {"result": None, "error": {"code": "Not Found", "description": "No data found"}}}


def chart(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def _response(url: str, status: int, body: str) -> Response:
    response = Response()
    response.url = url
    response.status_code = status
    response.ok = status < 400
    response.content = body.encode()
    return response


class CannedYahoo(curl_requests.Session):
    """Answers like Yahoo, from canned JSON per symbol; records every request; can fail instead."""

    def __init__(self, charts: dict[str, dict] | None = None, fail: Exception | None = None,
                 fail_times: int | None = None):
        super().__init__()
        self.charts = charts or {}
        self.fail = fail  # raised by chart requests: every one, or the first ``fail_times``
        self.fail_times = fail_times
        self.seen: list[tuple[str, dict]] = []

    def request(self, method, url, params=None, **kwargs):
        self.seen.append((url, dict(params or {})))
        parts = urlsplit(url)
        if parts.hostname == "fc.yahoo.com":  # really a 404 page that sets the A3 cookie
            return _response(url, 404, "")
        if parts.path == "/v1/test/getcrumb":
            return _response(url, 200, CRUMB)
        if parts.path.startswith("/v8/finance/chart/"):
            if self.fail is not None and (self.fail_times is None or self.fail_times > 0):
                if self.fail_times is not None:
                    self.fail_times -= 1
                raise self.fail
            symbol = unquote(parts.path.rsplit("/", 1)[1])
            body = self.charts.get(symbol, NOT_FOUND)
            return _response(url, 200 if symbol in self.charts else 404, json.dumps(body))
        if parts.hostname and parts.hostname.endswith(("guce.yahoo.com", "consent.yahoo.com")):
            return _response(url, 200, "<html><body>no consent form needed</body></html>")
        return _response(url, 404, "")

    def chart_requests(self) -> list[dict]:
        """The history requests (the ones with a date window), not the timezone lookups."""
        return [params for url, params in self.seen if "/v8/finance/chart/" in url and "period1" in params]


@pytest.fixture(autouse=True, scope="module")
def yfinance_cache_in_tmp(tmp_path_factory):
    """yfinance keeps a ticker -> timezone cache on disk; keep it out of the user's cache folder."""
    yf.set_tz_cache_location(str(tmp_path_factory.mktemp("yfinance-cache")))


def expected_rows(answer: dict, tz: ZoneInfo | type[UTC]) -> pd.DataFrame:
    """The fixture's bars as the snapshot should hold them: dated by the exchange's local day."""
    result = answer["chart"]["result"][0]
    quote = result["indicators"]["quote"][0]
    days = [datetime.fromtimestamp(ts, tz).date() for ts in result["timestamp"]]
    frame = pd.DataFrame({c: [float(v) for v in quote[c]] for c in ("open", "high", "low", "close", "volume")})
    frame.index = pd.DatetimeIndex(pd.to_datetime(days), name="date")
    return frame


def source(session: CannedYahoo, at: datetime) -> YahooSource:
    return YahooSource(session, retries=0, clock=lambda: at)


AFTER_THE_WEEK = datetime(2026, 8, 29, 12, 0, tzinfo=UTC)  # Saturday: every bar of the fixture is final


def test_rut_rows_are_the_fixtures_bars_in_snapshot_columns():
    answer = chart("rut_chart.json")
    session = CannedYahoo({"^RUT": answer})
    fetched = source(session, AFTER_THE_WEEK).fetch(spec("rut"), date(2026, 8, 22))

    pd.testing.assert_frame_equal(fetched.frame, expected_rows(answer, NEW_YORK), check_freq=False)
    assert fetched.frame.index.tz is None
    assert fetched.retrieved_at == "2026-08-29T12:00:00Z"
    assert fetched.location == "https://query2.finance.yahoo.com/v8/finance/chart/%5ERUT?interval=1d"


def test_the_request_starts_the_day_after_the_snapshot_and_carries_the_crumb():
    session = CannedYahoo({"^RUT": chart("rut_chart.json")})
    source(session, AFTER_THE_WEEK).fetch(spec("rut"), date(2026, 8, 22))

    (params,) = session.chart_requests()
    assert params["period1"] == int(datetime(2026, 8, 22, tzinfo=NEW_YORK).timestamp())
    assert params["interval"] == "1d"
    assert params["crumb"] == CRUMB


def test_btc_rows_are_utc_days_and_the_live_bar_of_today_is_dropped():
    answer = chart("btc_usd_chart.json")
    during_aug_25 = datetime(2026, 8, 25, 15, 0, tzinfo=UTC)
    fetched = source(CannedYahoo({"BTC-USD": answer}), during_aug_25).fetch(spec("btc-usd"), date(2026, 8, 21))

    expected = expected_rows(answer, UTC)
    assert expected.index[-1] == pd.Timestamp("2026-08-25")  # the fixture has the live bar ...
    pd.testing.assert_frame_equal(fetched.frame, expected.iloc[:-1], check_freq=False)  # ... the source not


def test_rut_bar_of_a_session_still_open_is_dropped():
    answer = chart("rut_chart.json")
    friday_2pm_new_york = datetime(2026, 8, 28, 18, 0, tzinfo=UTC)
    fetched = source(CannedYahoo({"^RUT": answer}), friday_2pm_new_york).fetch(spec("rut"), date(2026, 8, 22))

    assert fetched.frame.index[-1] == pd.Timestamp("2026-08-27")
    assert len(fetched.frame) == len(answer["chart"]["result"][0]["timestamp"]) - 1


def test_adjusted_etf_gets_dividend_adjusted_ohlc_like_auto_adjust():
    answer = copy.deepcopy(chart("rut_chart.json"))  # the same bars, as an ETF with a dividend to adjust for
    result = answer["chart"]["result"][0]
    result["meta"].update(symbol="IWM", instrumentType="ETF")
    quote = result["indicators"]["quote"][0]
    result["indicators"]["adjclose"][0]["adjclose"] = [round(c * 0.99, 2) for c in quote["close"]]
    fetched = source(CannedYahoo({"IWM": answer}), AFTER_THE_WEEK).fetch(spec("iwm"), date(2026, 8, 22))

    adj = result["indicators"]["adjclose"][0]["adjclose"]
    ratio = [a / c for a, c in zip(adj, quote["close"], strict=True)]
    assert fetched.frame["close"].tolist() == pytest.approx(adj)
    assert fetched.frame["open"].tolist() == pytest.approx([o * r for o, r in zip(quote["open"], ratio, strict=True)])
    assert fetched.frame["volume"].tolist() == [float(v) for v in quote["volume"]]


def test_an_answer_without_bars_is_a_fetch_error():
    answer = copy.deepcopy(chart("rut_chart.json"))  # what Yahoo sends for a window with no trading
    result = answer["chart"]["result"][0]
    del result["timestamp"]
    result["indicators"] = {"quote": [{}], "adjclose": [{}]}
    with pytest.raises(FetchError) as err:
        source(CannedYahoo({"^RUT": answer}), AFTER_THE_WEEK).fetch(spec("rut"), date(2026, 8, 22))
    assert err.value.series == "rut" and err.value.source == "yahoo"
    assert "no price data" in err.value.problem


def test_an_empty_frame_is_a_fetch_error_even_if_yfinance_does_not_raise():
    with pytest.raises(FetchError, match="no rows from 2026-08-22"):
        to_snapshot_rows(spec("rut"), pd.DataFrame(), date(2026, 8, 22))


def test_an_answer_without_close_is_a_fetch_error():
    answer = copy.deepcopy(chart("rut_chart.json"))
    del answer["chart"]["result"][0]["indicators"]["quote"][0]["close"]
    with pytest.raises(FetchError, match="close"):
        source(CannedYahoo({"^RUT": answer}), AFTER_THE_WEEK).fetch(spec("rut"), date(2026, 8, 22))


def test_a_missing_price_is_a_fetch_error_not_a_gap_to_fill():
    answer = copy.deepcopy(chart("rut_chart.json"))
    answer["chart"]["result"][0]["indicators"]["quote"][0]["close"][2] = None
    with pytest.raises(FetchError, match="missing prices on 1 days \\(2026-08-26\\)"):
        source(CannedYahoo({"^RUT": answer}), AFTER_THE_WEEK).fetch(spec("rut"), date(2026, 8, 22))


def test_a_non_numeric_column_is_a_fetch_error():
    raw = pd.DataFrame({"Close": ["3028.12", "n/a"]}, index=pd.to_datetime(["2026-08-24", "2026-08-25"]))
    with pytest.raises(FetchError, match="non-numeric close value 'n/a' on 2026-08-25"):
        to_snapshot_rows(spec("gspc"), raw)


def test_an_exception_in_the_session_is_a_one_line_fetch_error():
    session = CannedYahoo({"^RUT": chart("rut_chart.json")}, fail=CurlConnectionError(
        "Failed to perform, curl: (6) Could not resolve host: query2.finance.yahoo.com. "
        "See https://curl.se/libcurl/c/libcurl-errors.html first for more details."))
    with pytest.raises(FetchError) as err:
        source(session, AFTER_THE_WEEK).fetch(spec("rut"), date(2026, 8, 22))
    assert err.value.problem == "^RUT: ConnectionError: Failed to perform, curl: (6) Could not resolve host: " \
                                "query2.finance.yahoo.com"


def test_network_errors_are_retried_with_backoff():
    waits: list[float] = []
    session = CannedYahoo({"^RUT": chart("rut_chart.json")}, fail=OSError("reset"), fail_times=1)
    yahoo = YahooSource(session, retries=2, backoff=0.5, sleep=waits.append, clock=lambda: AFTER_THE_WEEK)
    assert len(yahoo.fetch(spec("rut"), date(2026, 8, 22)).frame) == 5
    assert waits == [0.5]


def test_a_series_of_another_source_is_refused():
    with pytest.raises(FetchError, match="comes from fred"):
        source(CannedYahoo(), AFTER_THE_WEEK).fetch(spec("dgs2"))


def test_the_default_session_caps_every_timeout(monkeypatch):
    asked: list[float] = []
    monkeypatch.setattr(curl_requests.Session, "request", lambda self, m, u, *a, **k: asked.append(k["timeout"]))
    session = YahooSource(timeout=4.0).session
    assert isinstance(session, CappedTimeoutSession)
    session.get("https://fc.yahoo.com", timeout=30)  # yfinance asks 30 s for its cookie
    session.get("https://query2.finance.yahoo.com/", timeout=2)
    assert asked == [4.0, 2]
