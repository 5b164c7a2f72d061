"""How numbers are shown to readers: one function per unit, used by pages (never computing, only formatting)."""

from __future__ import annotations

from datetime import date

from generator.claimkit.base import Figure, Value


def format_value(value: Value, unit: str) -> str:
    """Render a figure for a reader: 7.5446 % -> '7.54%', 89503.88 USD -> '$89,503.88'."""
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    v = float(value)
    if unit == "%":
        return f"{v:,.2f}%"
    if unit == "pp":
        return f"{v:+,.2f} pp"
    if unit == "percent":
        return f"{v:,.2f}%"
    if unit == "USD":
        sign = "-" if v < 0 else ""
        if abs(v) >= 1e9:
            return f"{sign}${abs(v) / 1e9:,.2f} bn"
        if abs(v) >= 1e7:
            return f"{sign}${abs(v) / 1e6:,.1f} m"
        return f"{sign}${abs(v):,.2f}"
    if unit == "points":
        return f"{v:,.2f}"
    if unit == "x":
        return f"{v:,.2f}x"
    if unit == "BTC":
        return f"{v:,.2f} BTC"
    if unit in ("days", "count", "blocks", "trading days"):
        return f"{v:,.0f} {unit}" if unit != "count" else f"{v:,.0f}"
    if unit == "ratio":
        return f"{v:,.3f}"
    return f"{v:,.4g} {unit}".strip()


def format_article_value(value: Value, unit: str) -> str:
    """The article's own figures: whole numbers are shown without decimals (2,700, not 2,700.00)."""
    if unit == "USD" and isinstance(value, int | float) and abs(float(value)) >= 1e9:
        return f"{'-' if value < 0 else ''}${abs(float(value)) / 1e9:,g} bn"
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        whole = f"{int(value):,}"
        return {"%": f"{whole}%", "USD": f"${whole}", "x": f"{whole}x", "BTC": f"{whole} BTC"}.get(unit, whole)
    return format_value(value, unit)


def format_day(day: object) -> str:
    """A date for a sentence: '2026-01-22' -> '22 Jan 2026' (text that is not an ISO date is returned as is)."""
    text = "" if day is None else str(day)
    try:
        parsed = date.fromisoformat(text[:10])
    except ValueError:
        return text
    return f"{parsed.day} {parsed:%b %Y}"


def format_figure(figure: Figure) -> str:
    return format_value(figure.value, figure.unit)
