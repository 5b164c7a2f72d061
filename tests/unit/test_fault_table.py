"""The README's fault table names a test for each fault: every test it names exists."""

from __future__ import annotations

import re

from generator import paths


def named_tests() -> list[tuple[str, str]]:
    text = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## When a source fails", 1)[1].split("\n## ", 1)[0]
    found = []
    for row in (line for line in section.splitlines() if line.startswith("| ") and "::" in line):
        current = None
        for ref in re.findall(r"`([^`]*::test_[a-z0-9_]+)`", row):
            path, _, name = ref.rpartition("::")
            current = path or current
            found.append((current, name))
    return found


def test_every_test_the_fault_table_names_exists():
    found = named_tests()
    assert len(found) >= 20
    for path, name in found:
        source = (paths.REPO_ROOT / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {name}\(", source, re.M), f"{path}::{name} is named in the README but does not exist"
