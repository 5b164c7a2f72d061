"""The iShares holdings file: preamble, quoted numbers, non-equity rows and trailer, and its failure modes.

The fixture ``tests/fixtures/ishares/IWM_holdings.csv`` has the real file's layout (byte-order mark, nine
preamble lines, the 15-column header, quoted numbers with thousands separators, cash/futures rows among
the equities, a non-breaking-space line and the legal-notice trailer) with a handful of made-up positions.
"""

from datetime import date
from pathlib import Path

import pytest

from generator.sources.base import FetchError
from generator.sources.ishares import (
    ISharesClient,
    NoFileForDate,
    holdings_url,
    parse_holdings_csv,
    parse_number,
    yahoo_symbol,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ishares"
CSV = (FIXTURES / "IWM_holdings.csv").read_bytes()
HTML = (FIXTURES / "IWM_holdings_page.html").read_bytes()


class FakeResponse:
    def __init__(self, content: bytes, status_code: int = 200):
        self.content, self.status_code = content, status_code


class FakeSession:
    """Answers each URL from a dict; records what was asked."""

    def __init__(self, answers):
        self.answers, self.urls = answers, []

    def get(self, url, **kwargs):
        self.urls.append(url)
        answer = self.answers(url) if callable(self.answers) else self.answers
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture(scope="module")
def parsed():
    return parse_holdings_csv(CSV.decode("utf-8"), "IWM", "fixture")


def test_preamble_gives_the_as_of_date_and_shares_outstanding(parsed):
    assert parsed.as_of == date(2026, 1, 22)
    assert parsed.shares_outstanding == 318_950_000.0


def test_only_equity_rows_are_kept_and_the_rest_is_counted(parsed):
    assert list(parsed.holdings["ticker"]) == ["AAA", "BBB", "CCC.A", "DDD", "EEE", "FFF", "GGG"]
    assert parsed.other_rows == {"Cash": 1, "Futures": 1, "Money Market": 1}


def test_numbers_with_thousands_separators_and_quotes(parsed):
    first = parsed.holdings.iloc[0]
    assert first["market_value"] == 412_500_000.0
    assert first["quantity"] == 2_750_000.0
    assert first["price"] == 150.0
    assert first["weight"] == 0.61
    assert parsed.holdings["weight"].sum() == pytest.approx(0.61 + 0.14 + 0.09 + 0.07 + 0.04 + 0.03 + 0.01)


def test_names_with_commas_survive_and_tickers_get_their_yahoo_spelling(parsed):
    assert "EPSILON ENERGY PARTNERS, INC." in set(parsed.holdings["name"])
    assert parsed.holdings.set_index("ticker").loc["CCC.A", "symbol"] == "CCC-A"


def test_the_trailer_is_not_a_row(parsed):
    assert not parsed.holdings["name"].str.contains("BlackRock").any()


def test_an_html_page_instead_of_the_csv_is_a_fetch_error():
    with pytest.raises(FetchError, match="HTML page, not the holdings CSV"):
        parse_holdings_csv(HTML.decode("utf-8"), "IWM")


def test_a_file_for_another_fund_is_refused():
    with pytest.raises(FetchError, match="the file is for 'iShares Russell 2000 ETF', not IJR"):
        parse_holdings_csv(CSV.decode("utf-8"), "IJR")


def test_a_day_without_a_file_is_its_own_error():
    text = CSV.decode("utf-8").replace('"Jan 22, 2026"', '"-"')
    with pytest.raises(NoFileForDate):
        parse_holdings_csv(text, "IWM")


def test_a_file_without_equity_rows_or_header_is_an_error():
    text = CSV.decode("utf-8")
    header_end = text.index("Accrual Date") + len("Accrual Date\n")
    with pytest.raises(FetchError, match="no position rows"):
        parse_holdings_csv(text[:header_end], "IWM")
    with pytest.raises(FetchError, match="header"):
        parse_holdings_csv(text.replace("Ticker,Name", "Symbol,Name"), "IWM")


def test_small_helpers():
    assert parse_number('1,234.50') == 1234.5
    assert parse_number("-") != parse_number("-")  # NaN
    assert yahoo_symbol("MOG/A") == "MOG-A" and yahoo_symbol("-") == ""
    assert holdings_url("IWM", date(2026, 1, 23)).endswith("fileName=IWM_holdings&dataType=fund&asOfDate=20260123")


def test_client_decodes_the_byte_order_mark_and_reports_http_errors():
    client = ISharesClient(FakeSession(FakeResponse(CSV)))
    assert client.holdings("IWM").as_of == date(2026, 1, 22)
    with pytest.raises(FetchError, match="HTTP 503"):
        ISharesClient(FakeSession(FakeResponse(b"", 503))).holdings("IWM")
    with pytest.raises(FetchError, match="HTML page"):
        ISharesClient(FakeSession(FakeResponse(HTML))).holdings("IWM")
    with pytest.raises(FetchError, match="request failed: TimeoutError"):
        ISharesClient(FakeSession(TimeoutError("timed out"))).holdings("IWM")


def test_on_or_before_walks_back_over_days_without_a_file():
    empty = CSV.replace(b'"Jan 22, 2026"', b'"-"')

    def answer(url):
        return FakeResponse(CSV if url.endswith("asOfDate=20260122") else empty)

    session = FakeSession(answer)
    found = ISharesClient(session).holdings_on_or_before("IWM", date(2026, 1, 24))
    assert found.as_of == date(2026, 1, 22)
    assert [u[-8:] for u in session.urls] == ["20260124", "20260123", "20260122"]


def test_a_file_newer_than_the_date_asked_for_is_refused():
    with pytest.raises(FetchError, match="date parameter ignored"):
        ISharesClient(FakeSession(FakeResponse(CSV))).holdings("IWM", date(2025, 12, 31))
