"""The data page lists every sourced reference fact with a working link, in either file layout."""

import json

from generator.pages import reference_views


def test_a_fact_naming_its_publisher_links_its_url_and_an_older_fact_links_its_source(tmp_path):
    (tmp_path / "facts.json").write_text(json.dumps({
        "about": "test facts",
        "new_style": {"value": 30, "unit": "%", "source": "A Publisher", "date": "2024-07-26",
                      "url": "https://example.org/a", "retrieved": "2026-12-02", "note": "what it says"},
        "old_style": {"value": 600, "unit": "seconds", "source": "https://example.org/b", "retrieved": "2026-11-25"},
    }), encoding="utf-8")
    [view] = reference_views(tmp_path)
    new, old = view["facts"]
    assert (new["name"], new["value"], new["source"]) == ("new style", "30 %", "https://example.org/a")
    assert new["note"] == "A Publisher, 2024-07-26: what it says"
    assert (old["source"], old["value"]) == ("https://example.org/b", "600 seconds")
