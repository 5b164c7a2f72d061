"""Network plumbing shared by the sources: a session with a hard timeout cap, bounded retries,
a quick reachability probe, and one-line error text."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from curl_cffi import requests as curl_requests

T = TypeVar("T")

_CURL_HINT = re.compile(r"\s*See https://curl\.se/\S+ first for more details\.?")


class HttpResponse(Protocol):
    """What the sources read from an HTTP answer."""

    status_code: int
    text: str


class HttpSession(Protocol):
    """The smallest HTTP client a source needs (a curl_cffi ``Session`` qualifies)."""

    def get(self, url: str, *, timeout: float) -> HttpResponse: ...


class CappedTimeoutSession(curl_requests.Session):
    """A curl_cffi session (browser fingerprint) whose requests never wait longer than ``max_timeout``.

    yfinance passes its own timeouts (30 s for the cookie request); an offline build must not wait that long.
    """

    def __init__(self, max_timeout: float = 10.0, **kwargs: Any) -> None:
        kwargs.setdefault("impersonate", "chrome")
        super().__init__(timeout=max_timeout, **kwargs)
        self.max_timeout = max_timeout

    def request(self, method: Any, url: str, *args: Any, **kwargs: Any) -> Any:
        asked = kwargs.get("timeout")
        if not isinstance(asked, int | float) or asked > self.max_timeout:
            kwargs["timeout"] = self.max_timeout
        return super().request(method, url, *args, **kwargs)


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    """``2026-08-24T21:05:00Z``: the timestamp form used in manifests."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def one_line(exc: BaseException, limit: int = 200) -> str:
    """``TypeName: first line of the message``, without curl's boilerplate, at most ``limit`` characters."""
    text = _CURL_HINT.sub("", str(exc)).strip()
    first = text.splitlines()[0].strip().rstrip(".") if text else ""
    line = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return line if len(line) <= limit else line[: limit - 3] + "..."


def is_network_error(exc: BaseException) -> bool:
    """Errors worth another try: connection problems and timeouts (curl_cffi's errors are ``OSError``s)."""
    return isinstance(exc, OSError | TimeoutError)


def call_with_retries(
    call: Callable[[], T],
    retries: int,
    backoff: float,
    is_transient: Callable[[BaseException], bool] = is_network_error,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``call``; on a transient error try again up to ``retries`` times, waiting backoff, 2*backoff, ..."""
    for attempt in range(retries + 1):
        try:
            return call()
        except Exception as exc:
            if attempt >= retries or not is_transient(exc):
                raise
            sleep(backoff * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def probe(session: HttpSession, url: str, timeout: float = 3.0) -> str | None:
    """None if the host answers at all (any HTTP status), else a one-line reason it could not be reached."""
    try:
        head = getattr(session, "head", None)
        if callable(head):
            head(url, timeout=timeout)
        else:
            session.get(url, timeout=timeout)
    except Exception as exc:
        return one_line(exc)
    return None
