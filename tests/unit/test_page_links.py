"""Raw addresses in notes are shown as short links (a block hash does not fill a line)."""

from __future__ import annotations

from generator.pages.render import short_links


def test_long_addresses_get_a_short_label_and_keep_their_target():
    url = "https://mempool.space/block/000000000000048b95347e83192f69cf0366076336c639f9b7228e9ba171342e"
    text = short_links(f"Heights: {url}; see also https://example.org/a.")
    assert f"[mempool.space/…a171342e]({url});" in text
    assert text.endswith("[example.org/a](https://example.org/a).")
    assert short_links("no address here") == "no address here"
