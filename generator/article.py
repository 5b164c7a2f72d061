"""Facts about the article under review (not figures computed from data).

When it appeared matters: "as of publication" means the data its writer could have seen. The outlet
publishes on Beijing time (UTC+8) and dates the piece 2026-01-23. Its own figures pin down which US close the
writer had seen: the Russell 2000 closed at 2,718.77 on 2026-01-22 (the first close above 2,700, 9.5% up on the
year, which the article calls "risen 9%, breaking through 2700"); on 2026-01-21 it had not yet closed above
2,700, and on 2026-01-23 it closed back below it (2,669.16, up 7.5%). The 2026-01-22 close came at 05:00 Beijing
time on the 23rd, and the 2026-01-23 close at 05:00 on the 24th, so the article was written between the two.

We model publication as noon Beijing time on 2026-01-23 (04:00 UTC). Any time from 08:00 to midnight Beijing
time that day gives the same data: the US closes through 2026-01-22 and bitcoin's UTC-day bars through
2026-01-22 (that bar closes at 08:00 Beijing time). The methodology page shows this assumption.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

PUBLICATION_DATE = date(2026, 1, 23)
"""The article's date line (Beijing time)."""
PUBLISHER_TIMEZONE = ZoneInfo("Asia/Shanghai")
PUBLISHED_AT = datetime(2026, 1, 23, 12, 0, tzinfo=PUBLISHER_TIMEZONE)
"""The moment "as of publication" stands for: only bars that had closed before it were visible."""
PUBLISHED_AT_NOTE = (
    "The article is dated 2026-01-23 on a site that publishes on Beijing time (UTC+8). Its figures match the "
    "Russell 2000 close of 2026-01-22 (the first close above 2,700, about 9% up on the year) and not the close "
    "of 2026-01-23 (back below 2,700), so it was written after the US close of the 22nd (05:00 Beijing time on "
    "the 23rd). We take noon Beijing time on 2026-01-23 (04:00 UTC) as the moment of publication: any time "
    "between 08:00 and midnight Beijing time that day gives the same data."
)
URL = "https://www.bitpush.news/articles/7605542"
TITLE = "U.S. Small-Cap Stock Index Hits Record High, An Overlooked Crypto Cycle Signal?"
PUBLISHER = "Bitpush"
AUTHOR = "Deep Tide TechFlow"
