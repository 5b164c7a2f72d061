"""Reference facts from the public record: every fact carries its publisher, date, link and check date."""

import json

import pytest

from generator.paths import REFERENCE_DIR
from generator.reference_facts import ReferenceFileError, load_facts

GOOD = {"value": "x", "source": "Publisher", "date": "2025-01-30", "url": "https://example.org/a",
        "retrieved": "2026-12-02"}


def write(tmp_path, doc) -> str:
    (tmp_path / "f.json").write_text(json.dumps(doc), encoding="utf-8")
    return "f.json"


def test_a_single_fact_and_a_list_load(tmp_path):
    facts = load_facts(write(tmp_path, {"about": "a", "one": GOOD, "many": [GOOD, GOOD]}), tmp_path)
    assert facts["one"].source == "Publisher"
    assert len(facts["many"]) == 2


@pytest.mark.parametrize(("change", "message"), [
    ({"url": "example.org/a"}, "one: url"),
    ({"date": "30 January"}, "one: date"),
    ({"source": ""}, "one: source"),
    ({"extra": 1}, "one: extra"),
])
def test_a_fact_without_a_proper_source_is_a_one_line_error(tmp_path, change, message):
    with pytest.raises(ReferenceFileError, match=message) as err:
        load_facts(write(tmp_path, {"about": "a", "one": {**GOOD, **change}}), tmp_path)
    assert "data/reference/f.json" in str(err.value) and "\n" not in str(err.value)


def test_missing_and_broken_files_are_named(tmp_path):
    with pytest.raises(ReferenceFileError, match="file not found"):
        load_facts("nope.json", tmp_path)
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(ReferenceFileError, match="not valid JSON"):
        load_facts("bad.json", tmp_path)
    with pytest.raises(ReferenceFileError, match="'about'"):
        load_facts(write(tmp_path, {"one": GOOD}), tmp_path)


@pytest.mark.parametrize("name", ["jpmorgan_crypto_correlation.json", "fomc_easing_cycles.json"])
def test_the_projects_reference_files_validate(name):
    facts = load_facts(name, REFERENCE_DIR)
    assert facts
