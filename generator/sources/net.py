"""Network plumbing shared by the sources: a session with a hard timeout cap, bounded retries,
a quick reachability probe, and one-line error text.

The HTTP library (curl_cffi) is imported only when a session is first asked for
(``from generator.sources.net import CappedTimeoutSession``), so that code which only needs the error text or
the probe cache (an offline build) does not load it.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from curl_cffi import requests as curl_requests

T = TypeVar("T")

PROBE_TIMEOUT = 3.0
"""Seconds a reachability probe may take; one probe per host per run."""

_CURL_HINT = re.compile(r"\s*See https://curl\.se/\S+ first for more details\.?")


class HttpResponse(Protocol):
    """What the sources read from an HTTP answer."""

    status_code: int
    text: str


class HttpSession(Protocol):
    """The smallest HTTP client a source needs (a curl_cffi ``Session`` qualifies)."""

    def get(self, url: str, *, timeout: float) -> HttpResponse: ...


def _capped_timeout_session() -> type[curl_requests.Session]:
    """Define :class:`CappedTimeoutSession` (importing curl_cffi): called on first use, see ``__getattr__``."""
    from curl_cffi import requests as curl_requests

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

    CappedTimeoutSession.__module__ = __name__
    CappedTimeoutSession.__qualname__ = "CappedTimeoutSession"
    return CappedTimeoutSession


def __getattr__(name: str) -> Any:
    """``CappedTimeoutSession`` is made (and curl_cffi imported) the first time someone asks for it."""
    if name == "CappedTimeoutSession":
        cls = _capped_timeout_session()
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def _knock(session: HttpSession, url: str, timeout: float) -> None:
    """One cheap request to ``url`` (HEAD where the session has it); raises if the host cannot be reached."""
    head = getattr(session, "head", None)
    if callable(head):
        head(url, timeout=timeout)
    else:
        session.get(url, timeout=timeout)


def probe(session: HttpSession, url: str, timeout: float = 3.0) -> str | None:
    """None if the host answers at all (any HTTP status), else a one-line reason it could not be reached."""
    try:
        _knock(session, url, timeout)
    except Exception as exc:
        return one_line(exc)
    return None


def plain_reason(exc: BaseException, timeout: float | None = None) -> str:
    """Why a host could not be reached, in a few plain words (no curl error text)."""
    text = str(exc).lower()
    name = type(exc).__name__.lower()
    if "dns" in name or "resolve host" in text or "name or service not known" in text:
        return "name lookup failed, likely no network"
    if "timeout" in name or "timed out" in text:
        return f"no answer within {timeout:g} s" if timeout else "no answer in time"
    if "refused" in text:
        return "connection refused"
    if "network is unreachable" in text or "no route" in text:
        return "no route to it, likely no network"
    return one_line(exc, limit=120)


def host_of(url: str) -> str:
    """``https://fred.stlouisfed.org/x`` -> ``fred.stlouisfed.org`` (a bare host is returned as is)."""
    return urlsplit(url).hostname or url if "//" in url else url


class Probes:
    """One reachability verdict per host for the whole run: the first probe decides, nobody asks again.

    Also remembers which unreachable hosts were already reported, so each is said once.
    """

    def __init__(self) -> None:
        self._verdicts: dict[str, str | None] = {}
        self._reported: set[str] = set()
        self._lock = threading.Lock()

    def check(self, url: str, run: Callable[[], str | None]) -> str | None:
        """The cached verdict for ``url``'s host, else ``run()`` (None = reachable, else the reason)."""
        host = host_of(url)
        with self._lock:
            if host in self._verdicts:
                return self._verdicts[host]
        verdict = run()
        with self._lock:
            return self._verdicts.setdefault(host, verdict)

    def first_report(self, host: str) -> bool:
        """True the first time an unreachable ``host`` is reported in this run, False afterwards."""
        with self._lock:
            if host in self._reported:
                return False
            self._reported.add(host)
            return True

    def clear(self) -> None:
        with self._lock:
            self._verdicts.clear()
            self._reported.clear()


PROBES = Probes()
"""The run's probe cache (tests clear it between tests)."""


def probe_once(session: HttpSession, url: str, timeout: float = PROBE_TIMEOUT) -> str | None:
    """:func:`probe` through :data:`PROBES`: the host of ``url`` is tried at most once per run, and the
    reason it could not be reached is plain words."""

    def run() -> str | None:
        try:
            _knock(session, url, timeout)
        except Exception as exc:
            return plain_reason(exc, timeout)
        return None

    return PROBES.check(url, run)
