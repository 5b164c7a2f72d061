"""Facts about the article under review (not figures computed from data)."""

from __future__ import annotations

from datetime import date

PUBLICATION_DATE = date(2026, 1, 23)
URL = "https://www.bitpush.news/articles/7605542"
TITLE = "U.S. Small-Cap Stock Index Hits Record High, An Overlooked Crypto Cycle Signal?"
PUBLISHER = "Bitpush"
AUTHOR = "Deep Tide TechFlow"
