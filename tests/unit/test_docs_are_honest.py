"""The README and the documented findings.json shape say what the code does."""

from __future__ import annotations

import re

from click.testing import CliRunner

from generator import findings, paths
from generator.cli import cli

README = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_the_readme_names_exists_and_has_help():
    named = set(re.findall(r"python -m generator ([a-z-]+)", README))
    assert {"build", "fetch", "serve", "publish", "import-snapshot"} <= named
    runner = CliRunner()
    for command in sorted(named):
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage:" in result.output


def test_ci_runs_the_test_command_the_readme_gives():
    fenced = re.findall(r"```bash\n(.+?)\n```", README, flags=re.S)
    test_command = fenced[1].strip()
    assert test_command == "python -m pytest"
    ci = (paths.REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_the_documented_findings_shape_names_every_key_the_build_writes(market):
    from generator.article import PUBLICATION_DATE
    from generator.build import BuildConfig, data_info
    from generator.claimkit.evaluate import evaluate
    from generator.claims import get
    from generator.load import load_snapshot
    from generator.snapshot.store import SnapshotStore

    claim = get("RUT-YTD-2026")
    doc = findings.findings([(evaluate(claim, market, "publication", PUBLICATION_DATE),
                              evaluate(claim, market, "latest"))], {"data_date": "x"})
    documented = findings.__doc__
    keys = set(doc) | set(doc["article"]) | set(doc["claims"][0]) | set(doc["claims"][0]["publication"])
    loaded = load_snapshot(SnapshotStore(paths.SNAPSHOT_DIR))
    data_block = data_info(loaded, BuildConfig(), fetched=False)
    keys |= set(data_block)
    assert data_block["origin"] in documented
    keys |= set(doc["claims"][0]["publication"]["readings"][0])
    missing = sorted(k for k in keys if f'"{k}"' not in documented)
    assert missing == []
