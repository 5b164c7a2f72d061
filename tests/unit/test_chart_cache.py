"""The content cache of chart renderings and preview cards: a hit gives exactly the bytes a fresh render gives,
a damaged entry is noticed and rendered again, and any changed input misses. Small synthetic charts only."""

from __future__ import annotations

import struct
import zlib

import altair as alt
import pandas as pd

from generator.cache import ContentCache
from generator.charts.embed import embed
from generator.charts.render import CACHE_NAMESPACE, chart_key, render_chart, to_spec, write_chart
from generator.charts.theme import WIDTH
from generator.pages import cards

LABEL = "Two lines. The finding."


def frame() -> pd.DataFrame:
    return pd.DataFrame({"date": pd.date_range("2025-01-01", periods=30, freq="D").repeat(2),
                         "series": ["close", "high"] * 30, "level": [float(i % 7) for i in range(60)]})


def chart(df: pd.DataFrame) -> alt.Chart:
    return alt.Chart(df).mark_line().encode(
        x="date:T", y="level:Q", color="series:N",
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("series:N"), alt.Tooltip("level:Q", format=",.2f")],
    ).properties(width=WIDTH, height=300)


def csv_bytes(df: pd.DataFrame) -> bytes:
    return df.assign(date=df["date"].dt.strftime("%Y-%m-%d")).to_csv(index=False).encode()


def outputs(folder, store: ContentCache | None) -> dict[str, bytes]:
    """Everything a chart puts on the site: its SVG file and its HTML block (with both inline renderings)."""
    df = frame()
    data = csv_bytes(df)
    files = write_chart(chart(df), folder, "two-lines", "Two lines", LABEL, cache=store, data=data)
    block = embed(files, "two-lines.csv", data.decode(), "Two lines", LABEL).html
    return {"svg": (folder / "two-lines.svg").read_bytes(), "html": block.encode()}


def entries(store: ContentCache, namespace: str) -> list:
    return [p for p in store.entries() if p.parent.parent.name == namespace]


def test_a_cached_chart_is_byte_identical_to_a_fresh_render(tmp_path):
    fresh = outputs(tmp_path / "fresh", None)
    store = ContentCache(tmp_path / "cache")
    first = outputs(tmp_path / "first", store)
    assert (store.stats.hits, store.stats.misses) == (0, 1)
    hit = outputs(tmp_path / "hit", store)
    assert (store.stats.hits, store.stats.misses) == (1, 1)
    assert first == fresh and hit == fresh


def test_a_damaged_chart_entry_is_rendered_again_and_rewritten(tmp_path):
    store = ContentCache(tmp_path / "cache")
    fresh = outputs(tmp_path / "fresh", store)
    [entry] = entries(store, CACHE_NAMESPACE)
    raw = bytearray(entry.read_bytes())
    raw[-20] ^= 0x01  # one flipped bit in the stored SVG
    entry.write_bytes(bytes(raw))
    again = outputs(tmp_path / "again", store)
    assert again == fresh
    assert len(store.stats.corrupt) == 1 and store.stats.misses == 2
    assert entry.read_bytes() != bytes(raw)  # rewritten whole
    outputs(tmp_path / "third", store)
    assert store.stats.hits == 1


def test_one_changed_byte_of_the_evidence_misses(tmp_path):
    df = frame()
    spec = to_spec(chart(df), "Two lines")
    data = csv_bytes(df)
    at = data.rindex(b".0")  # the last value: 3.0 becomes 3.1
    changed = data[:at + 1] + b"1" + data[at + 2:]
    assert len(changed) == len(data) and sum(a != b for a, b in zip(changed, data, strict=True)) == 1
    assert chart_key(spec, LABEL, data) != chart_key(spec, LABEL, changed)
    assert chart_key(spec, LABEL, data) != chart_key(spec, LABEL + " ", data)
    store = ContentCache(tmp_path / "cache")
    render_chart(chart(df), "Two lines", LABEL, store, data)
    render_chart(chart(df), "Two lines", LABEL, store, changed)
    assert (store.stats.hits, store.stats.misses) == (0, 2)
    moved = df.assign(level=df["level"] + (df.index == 5) * 0.5)  # the same change, in the drawn data
    render_chart(chart(moved), "Two lines", LABEL, store, data)
    assert store.stats.hits == 0


def card() -> dict:
    return cards.card_spec("RUT-YTD-2026", "Russell 2000 up 9% this year", "Accurate", "Still holds", "2026-09-02",
                           "A fact-check")


def test_a_cached_card_is_byte_identical_and_a_damaged_one_is_redrawn(tmp_path):
    fresh = cards.card_bytes(card())
    assert fresh.startswith(b"\x89PNG")
    store = ContentCache(tmp_path / "cache")
    assert cards.card_bytes(card(), store) == fresh
    assert cards.card_bytes(card(), store) == fresh
    assert (store.stats.hits, store.stats.misses) == (1, 1)
    [entry] = entries(store, cards.CACHE_NAMESPACE)
    entry.write_bytes(entry.read_bytes()[:-100])  # a torn write
    path = cards.write_card(tmp_path / "card.png", card(), store)
    assert path.read_bytes() == fresh and len(store.stats.corrupt) == 1
    assert cards.card_bytes(card(), store) == fresh and store.stats.hits == 2


def test_a_changed_card_misses(tmp_path):
    store = ContentCache(tmp_path / "cache")
    cards.card_bytes(card(), store)
    other = cards.card_spec("RUT-YTD-2026", "Russell 2000 up 9% this year", "Accurate", "No longer holds",
                            "2026-09-02", "A fact-check")
    assert cards.card_bytes(other, store) != cards.card_bytes(card(), store)
    assert store.stats.misses == 2


def rgba(png: bytes) -> list[tuple[int, ...]]:
    """The pixels of a small 8-bit, non-interlaced PNG (grey, RGB, palette or with alpha) as RGBA tuples."""
    pos, chunks = 8, {}
    while pos < len(png):
        size = struct.unpack(">I", png[pos:pos + 4])[0]
        kind = png[pos + 4:pos + 8].decode("ascii")
        chunks[kind] = chunks.get(kind, b"") + png[pos + 8:pos + 8 + size]
        pos += 12 + size
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks["IHDR"])
    assert depth == 8 and interlace == 0
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    raw, stride, rows, prev = zlib.decompress(chunks["IDAT"]), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            p = a + b - c
            paeth = a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else b if abs(p - b) <= abs(p - c) else c
            line[i] = (line[i] + (0, a, b, (a + b) // 2, paeth)[kind]) & 0xFF
        rows.append(bytes(line))
        prev = line
    palette = chunks.get("PLTE", b"")
    alpha = chunks.get("tRNS", b"")
    out = []
    for line in rows:
        for x in range(width):
            px = line[x * channels:(x + 1) * channels]
            if colour == 3:
                i = px[0]
                out.append((*palette[3 * i:3 * i + 3], alpha[i] if i < len(alpha) else 255))
            elif colour in (0, 4):
                out.append((px[0], px[0], px[0], px[1] if colour == 4 else 255))
            else:
                out.append((*px[:3], px[3] if colour == 6 else 255))
    return out


def test_recompression_is_lossless():
    """oxipng at the cards' settings keeps every pixel (checked on a small picture drawn the way cards are)."""
    import vl_convert as vlc

    spec = {**card(), "width": 90, "height": 40}
    spec["layer"] = [{"mark": {"type": "rect", "x": 0, "x2": 50, "y": 0, "y2": 20, "color": "#b45309"}},
                     {"mark": {"type": "text", "x": 10, "y": 30, "text": "Still holds", "fontSize": 14}}]
    original = vlc.vegalite_to_png(spec, scale=1)
    small = cards.render_card(spec)
    assert len(small) < len(original)
    assert rgba(small) == rgba(original)
