"""Probing upstream hosts: one probe per host per run, and the reason in plain words, never raw curl text."""

from __future__ import annotations

from generator.sources.net import PROBES, plain_reason, probe_once


class CountingSession:
    def __init__(self, error: BaseException | None = None) -> None:
        self.calls: list[str] = []
        self.error = error

    def get(self, url: str, *, timeout: float) -> object:
        self.calls.append(url)
        if self.error is not None:
            raise self.error
        return object()


class DNSError(OSError):
    """Named like curl_cffi's error for a name that does not resolve."""


CURL_TEXT = ("Failed to perform, curl: (6) Could not resolve host: query2.finance.yahoo.com (Domain name not found)."
             " See https://curl.se/libcurl/c/libcurl-errors.html first for more details.")


def test_a_host_is_probed_once_per_run_whatever_the_path_or_session():
    first, second = CountingSession(DNSError(CURL_TEXT)), CountingSession()
    assert probe_once(first, "https://query2.finance.yahoo.com/", 1.0) == "name lookup failed, likely no network"
    # a second source on the same host (another session, another path) gets the first verdict without asking
    assert probe_once(second, "https://query2.finance.yahoo.com/v8/finance", 1.0) is not None
    assert (len(first.calls), second.calls) == (1, [])
    assert probe_once(CountingSession(), "https://fred.stlouisfed.org/", 1.0) is None


def test_an_unreachable_host_is_reported_once():
    assert PROBES.first_report("www.ishares.com") is True
    assert PROBES.first_report("www.ishares.com") is False


def test_reasons_are_plain_words():
    assert plain_reason(DNSError(CURL_TEXT)) == "name lookup failed, likely no network"
    assert plain_reason(TimeoutError("Operation timed out after 3001 ms"), 3.0) == "no answer within 3 s"
    assert plain_reason(OSError("Failed to connect: Connection refused")) == "connection refused"
    for reason in (plain_reason(DNSError(CURL_TEXT)), plain_reason(TimeoutError("timed out"), 3.0)):
        assert "curl" not in reason and "https://" not in reason
