"""Verdict drift between versions and its Atom feed, on constructed findings documents."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.pages.changes import PublishedVersion, Release, atom_feed, drift, headline, timeline

ATOM = "{http://www.w3.org/2005/Atom}"


def moment(verdict, value, status="computed"):
    return {"status": status, "verdict": verdict, "missing": None if verdict else "psct is live-only",
            "primary_reading": "main",
            "readings": [{"key": "main", "headline": "ret", "figures": [{"key": "ret", "value": value, "unit": "%"}]},
                         {"key": "other", "headline": "ret", "figures": [{"key": "ret", "value": 1.0, "unit": "%"}]}]}


def claim(cid, latest, publication=None, title="A claim"):
    return {"id": cid, "slug": cid.lower(), "title": title, "latest": latest,
            "publication": publication or moment("Accurate", 9.0)}


def findings(data_date, *claims):
    return {"data": {"data_date": data_date}, "claims": list(claims)}


def test_headline_is_the_primary_readings_headline_figure_as_shown():
    assert headline(moment("Misleading", 7.5446)) == ("Misleading", "7.54%")
    assert headline(moment(None, None, status="needs-live-data")) == ("Needs live data", "needs live data")


def test_drift_lists_verdict_and_figure_changes_per_moment():
    before = findings("2026-06-30", claim("A", moment("Accurate", 9.0)), claim("B", moment("Accurate", 9.0)),
                      claim("GONE", moment("Opinion", 1.0)))
    after = findings("2026-08-20", claim("A", moment("Inaccurate", 4.0)), claim("B", moment("Accurate", 9.001)),
                     claim("NEW", moment("Accurate", 2.0)))
    changes = drift(before, after)
    assert [(c.claim_id, c.moment, c.kind) for c in changes] == [
        ("A", "latest", "still-true answer and headline figure"),
        ("NEW", "publication", "new claim"),
        ("GONE", "publication", "claim removed"),
    ]  # B's figure moved by less than the shown precision: not a change for readers
    assert changes[0].summary() == ("still true? Accurate → Inaccurate; headline figure 9.00% → 4.00% "
                                    "(still true on the latest data)")


def test_on_the_latest_data_the_still_true_answer_drifts_not_the_verdict():
    """The feed asks the home page's two questions: on the latest data, 'Still holds' -> 'No longer holds'."""
    a_before, a_after = claim("A", moment("Accurate", 9.0)), claim("A", moment("Inaccurate", 4.0))
    a_before["still_true"], a_after["still_true"] = "Still holds", "No longer holds"
    [change] = drift(findings("2026-06-30", a_before), findings("2026-08-20", a_after))
    assert (change.moment, change.verdict_before, change.verdict_after) == ("latest", "Still holds", "No longer holds")


def test_a_publication_moment_change_is_reported_separately():
    before = findings("2026-06-30", claim("A", moment("Accurate", 9.0), moment("Accurate", 9.0)))
    after = findings("2026-08-20", claim("A", moment("Accurate", 9.0), moment("Mostly accurate", 8.0)))
    [change] = drift(before, after)
    assert (change.moment, change.verdict_before, change.verdict_after) == ("publication", "Accurate", "Mostly accurate")


def versions():
    return [
        PublishedVersion("2026-08-20", "Data through 2026-08-20", "2026-08-20",
                         findings("2026-08-20", claim("A", moment("Inaccurate", 4.0)))),
        PublishedVersion("as-published", "As published", "2026-01-23",
                         findings("2026-01-23", claim("A", moment("Accurate", 9.0)))),
        PublishedVersion("2026-06-30", "Data through 2026-06-30", "2026-06-30",
                         findings("2026-06-30", claim("A", moment("Accurate", 9.0)))),
    ]


def test_timeline_orders_versions_by_data_date_and_compares_each_with_the_one_before():
    history = timeline(versions())
    assert [(h.version.name, h.previous.name if h.previous else None, len(h.changes)) for h in history] == [
        ("2026-08-20", "2026-06-30", 1), ("2026-06-30", "as-published", 0), ("as-published", None, 0)]


def test_the_feed_is_atom_with_one_entry_per_change_linking_the_claim_in_its_version():
    release = Release("2026-08-20", "Data through 2026-08-20", "https://example.github.io/factcheck/")
    text = atom_feed(timeline(versions()), release, "https://example.github.io/factcheck/latest/feed.xml",
                     "https://example.github.io/factcheck/latest/changes/")
    root = ET.fromstring(text)
    assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}updated").text == "2026-08-20T00:00:00Z"
    [entry] = root.findall(f"{ATOM}entry")
    assert "still true? Accurate → Inaccurate" in entry.find(f"{ATOM}title").text
    assert entry.find(f"{ATOM}link").get("href") == "https://example.github.io/factcheck/2026-08-20/claims/a/"
    assert entry.find(f"{ATOM}id").text.startswith("urn:uuid:")
    assert atom_feed(timeline(versions()), release, "f", "p") == atom_feed(timeline(versions()), release, "f", "p")


def test_feed_text_is_escaped():
    hostile = findings("2026-08-20", claim("A", moment("Inaccurate", 4.0), title="<b>&</b>"))
    chain = [PublishedVersion("x", "x", "2026-01-01", findings("2026-01-01", claim("A", moment("Accurate", 1.0)))),
             PublishedVersion("y", "y", "2026-02-01", hostile)]
    root = ET.fromstring(atom_feed(timeline(chain), Release("y", "y"), "feed.xml", "changes/"))
    assert root.find(f"{ATOM}entry/{ATOM}summary").text.startswith("<b>&</b>.")
