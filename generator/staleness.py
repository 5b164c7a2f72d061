"""How old the data are, said out loud: one line for the build log and one sentence for every page's banner.

Data are "stale" when the data date trails the build date by more than :data:`ALLOWED_LAG` NYSE trading days
(the same measure and default as the publish freshness gate). An as-of build (``as-published``) is never
stale: it is dated on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.publish.gates import trading_days_between

ALLOWED_LAG = 3
"""Trading days the data may trail the build date before the site says they are old."""


def _age(last: date, today: date) -> str:
    """'3 months', '5 weeks', '9 days': calendar age in the largest unit that fits."""
    days = (today - last).days
    if days >= 61:
        months = round(days / 30.44)
        return f"{months} months"
    if days >= 14:
        return f"{days // 7} weeks"
    return f"{days} day{'' if days == 1 else 's'}"


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Staleness:
    data_date: date
    today: date
    lag: int
    """Trading days between the data date and the build date."""

    @property
    def stale(self) -> bool:
        return self.lag > ALLOWED_LAG

    @property
    def log_line(self) -> str:
        """For the build output; empty when the data are current."""
        if not self.stale:
            return ""
        return (f"note: the data end on {self.data_date.isoformat()}, {self.lag} trading days "
                f"({_age(self.data_date, self.today)}) before today ({self.today.isoformat()}); every page says so. "
                "To bring them up to date: python -m generator fetch (needs network), then build again.")

    @property
    def banner(self) -> str:
        """For every page (plain words for a reader); empty when the data are current."""
        if not self.stale:
            return ""
        return (f"Market data end on {_long(self.data_date)}, {_age(self.data_date, self.today)} before this page "
                f"was built ({_long(self.today)}).")


def staleness(data_date: str, today: date, as_of: date | None = None) -> Staleness:
    """How old ``data_date`` is on ``today``; an as-of build (``as_of`` set) is never stale."""
    last = date.fromisoformat(data_date)
    lag = 0 if as_of is not None else trading_days_between(last, today)
    return Staleness(last, today, lag)
