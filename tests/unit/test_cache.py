"""The content-addressed build cache: keys, round trips, damage detection, pruning."""

from __future__ import annotations

import os
from pathlib import Path

from generator.cache import ContentCache, key


def test_key_separates_parts() -> None:
    assert key("ab", "c") != key("a", "bc")
    assert key("a", b"b") == key(b"a", "b")
    assert len(key("x")) == 64


def test_round_trip_and_stats(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path)
    name = key("chart", "spec")
    assert cache.get("charts", name) is None
    cache.put("charts", name, b"<svg/>")
    assert cache.get("charts", name) == b"<svg/>"
    assert (cache.stats.hits, cache.stats.misses) == (1, 1)


def test_damaged_entry_is_removed_and_missed(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path)
    name = key("card")
    cache.put("cards", name, b"PNG bytes")
    file = cache.path("cards", name)
    raw = file.read_bytes()
    file.write_bytes(raw[:-1] + b"X")  # one flipped byte
    assert cache.get("cards", name) is None
    assert not file.exists()
    assert cache.stats.corrupt == [f"cards/{name}"]
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(raw[: len(raw) // 2])  # a torn write
    assert cache.get("cards", name) is None
    file.write_bytes(b"")
    assert cache.get("cards", name) is None
    cache.put("cards", name, b"PNG bytes")
    assert cache.get("cards", name) == b"PNG bytes"


def test_disabled_cache_stores_nothing(tmp_path: Path) -> None:
    cache = ContentCache(None)
    cache.put("charts", key("a"), b"x")
    assert cache.get("charts", key("a")) is None
    assert not cache.enabled


def test_prune_keeps_most_recent(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path)
    names = [key(str(i)) for i in range(4)]
    for age, name in enumerate(names):
        cache.put("x", name, b"0" * 100)
        past = 1_000_000 + age
        os.utime(cache.path("x", name), (past, past))
    size = cache.path("x", names[0]).stat().st_size
    assert cache.prune(max_bytes=2 * size) == 2
    assert [n for n in names if cache.path("x", n).exists()] == names[2:]
