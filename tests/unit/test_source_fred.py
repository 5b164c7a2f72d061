"""FredSource reads FRED's CSV download (or, with a key, its JSON API) through an injected session.

The canned session below answers ``get(url, timeout=...)`` with a status and a text, the two things
FredSource reads; it never opens a socket.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from generator.catalog import spec
from generator.sources.base import FetchError
from generator.sources.fred import FredSource

DGS2_CSV = """observation_date,DGS2
2026-08-13,4.21
2026-08-14,4.18
2026-08-17,.
2026-08-18,4.19
2026-08-19,
2026-08-20,4.23
"""

RETRIEVED = datetime(2026, 8, 21, 22, 0, tzinfo=UTC)


@dataclass
class Answer:
    status_code: int
    text: str


@dataclass
class CannedHttp:
    """Gives the queued answers in turn (the last one repeats) and records the URLs asked."""

    answers: list[Answer]
    urls: list[str] = field(default_factory=list)

    def get(self, url: str, *, timeout: float) -> Answer:
        self.urls.append(url)
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def fred(*answers: Answer, api_key: str = "", **kwargs) -> tuple[FredSource, CannedHttp]:
    session = CannedHttp(list(answers))
    return FredSource(session, api_key=api_key, retries=0, clock=lambda: RETRIEVED, **kwargs), session


def expected_from_csv(text: str) -> pd.Series:
    """The CSV's numeric observations with plain pandas: '.' and empty cells are days without a value."""
    table = pd.read_csv(io.StringIO(text), na_values=["."], index_col=0, parse_dates=True)
    return table.iloc[:, 0].dropna()


def test_csv_observations_become_the_value_column():
    source, session = fred(Answer(200, DGS2_CSV))
    fetched = source.fetch(spec("dgs2"))

    expected = expected_from_csv(DGS2_CSV)
    assert fetched.frame.index.name == "date"
    assert list(fetched.frame.columns) == ["value"]
    assert fetched.frame.index.equals(pd.DatetimeIndex(expected.index, name="date"))
    assert fetched.frame["value"].tolist() == expected.tolist()
    assert session.urls == ["https://fred.stlouisfed.org/graph/fredgraph.csv?id=DGS2"]
    assert fetched.location == session.urls[0]
    assert fetched.retrieved_at == "2026-08-21T22:00:00Z"


def test_days_marked_missing_are_absent_not_zero_or_nan():
    source, _ = fred(Answer(200, DGS2_CSV))
    frame = source.fetch(spec("dgs2")).frame
    assert pd.Timestamp("2026-08-17") not in frame.index  # '.'
    assert pd.Timestamp("2026-08-19") not in frame.index  # empty cell
    assert frame["value"].notna().all()


def test_only_observations_on_or_after_start_are_returned():
    source, _ = fred(Answer(200, DGS2_CSV))
    frame = source.fetch(spec("dgs2"), date(2026, 8, 18)).frame
    assert frame.index.strftime("%Y-%m-%d").tolist() == ["2026-08-18", "2026-08-20"]


def test_nothing_after_start_is_an_empty_result_not_an_error():
    # FRED publishes a day or more late: a good answer with no newer observation is normal
    source, _ = fred(Answer(200, DGS2_CSV))
    assert source.fetch(spec("dgs2"), date(2026, 8, 21)).frame.empty


def test_an_html_page_instead_of_csv_is_a_fetch_error():
    page = "<!DOCTYPE html><html><head><title>FRED | Service Unavailable</title></head><body>...</body></html>"
    source, _ = fred(Answer(200, page))
    with pytest.raises(FetchError, match="HTML page instead of CSV \\('FRED \\| Service Unavailable'\\)"):
        source.fetch(spec("dgs2"))


def test_http_500_is_a_fetch_error():
    source, _ = fred(Answer(500, "Internal Server Error"))
    with pytest.raises(FetchError) as err:
        source.fetch(spec("dgs2"))
    assert (err.value.series, err.value.source) == ("dgs2", "fred")
    assert err.value.problem == "DGS2: HttpStatusError: HTTP 500: Internal Server Error"


def test_a_server_error_is_retried_and_then_succeeds():
    waits: list[float] = []
    session = CannedHttp([Answer(503, "busy"), Answer(200, DGS2_CSV)])
    source = FredSource(session, api_key="", retries=1, backoff=0.25, sleep=waits.append, clock=lambda: RETRIEVED)
    assert len(source.fetch(spec("dgs2")).frame) == len(expected_from_csv(DGS2_CSV))
    assert waits == [0.25]


def test_a_wrong_header_is_a_fetch_error():
    source, _ = fred(Answer(200, DGS2_CSV.replace("DGS2", "DGS10", 1)))
    with pytest.raises(FetchError, match="unexpected CSV header 'observation_date,DGS10'"):
        source.fetch(spec("dgs2"))


def test_the_pre_2024_date_header_is_still_read():
    source, _ = fred(Answer(200, DGS2_CSV.replace("observation_date", "DATE", 1)))
    assert len(source.fetch(spec("dgs2")).frame) == len(expected_from_csv(DGS2_CSV))


@pytest.mark.parametrize("body, problem", [
    ("", "empty answer"),
    ("observation_date,DGS2\n", "no observations"),
    ("observation_date,DGS2\n2026-08-17,.\n", "all 1 observations are missing"),
    ("observation_date,DGS2\n2026-08-18,4.19\n2026-08-20,n/a\n", "non-numeric value 'n/a' on 2026-08-20"),
])
def test_unusable_csv_is_a_fetch_error(body, problem):
    source, _ = fred(Answer(200, body))
    with pytest.raises(FetchError, match=problem):
        source.fetch(spec("dgs2"))


def test_with_an_api_key_the_json_api_is_used_and_the_key_is_not_recorded():
    payload = {"observations": [
        {"realtime_start": "2026-08-21", "realtime_end": "2026-08-21", "date": "2026-08-19", "value": "4.33"},
        {"realtime_start": "2026-08-21", "realtime_end": "2026-08-21", "date": "2026-08-20", "value": "4.33"},
    ]}
    source, session = fred(Answer(200, json.dumps(payload)), api_key="secret123")
    fetched = source.fetch(spec("dff"))

    assert fetched.frame["value"].tolist() == [float(o["value"]) for o in payload["observations"]]
    assert "api_key=secret123" in session.urls[0] and "file_type=json" in session.urls[0]
    assert "secret123" not in fetched.location and "secret123" not in fetched.publisher


def test_an_api_error_message_is_reported():
    body = json.dumps({"error_code": 400, "error_message": "Bad Request.  The value for variable api_key is not registered."})
    source, _ = fred(Answer(400, body), api_key="wrong")
    with pytest.raises(FetchError, match="HTTP 400: Bad Request.  The value for variable api_key"):
        source.fetch(spec("dff"))


def test_the_api_key_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("FRED_API_KEY", "from-env")
    assert FredSource(CannedHttp([Answer(200, "")])).api_key == "from-env"
    monkeypatch.delenv("FRED_API_KEY")
    assert FredSource(CannedHttp([Answer(200, "")])).api_key is None
