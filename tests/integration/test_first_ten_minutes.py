"""A newcomer's first ten minutes, on a fresh copy of the repository with no network and no ../shared.

The README's commands run in order in a subprocess whose network is cut the way a machine without DNS is
(tests/fixtures/offline/sitecustomize.py). The install steps (virtual environment, ``pip install``) are not
repeated: the test runs in the environment they made. The test command runs as ``--collect-only`` (the
suite is already running). Their output must be quiet and self-explaining: no traceback, no raw curl text,
one line per unreachable source, and the stale-data note when the data are old.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator import paths
from generator.fetch import snapshot_date
from generator.snapshot.store import SnapshotStore
from generator.staleness import staleness

pytestmark = pytest.mark.integration

OFFLINE = Path(__file__).parents[1] / "fixtures" / "offline"
README = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
IGNORED = shutil.ignore_patterns(".git", "site", ".site*", "__pycache__", "*.egg-info", ".ruff_cache",
                                 ".pytest_cache", "node_modules", ".cache")
"""What a fresh clone lacks: git-ignored outputs and caches."""


def readme_commands() -> list[str]:
    """Every `python -m ...` command of the README's Quick start, in order (install steps left out)."""
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    found = re.findall(r"```bash\n(.+?)\n```|`(python -m generator [^`]+)`", quick, flags=re.S)
    commands = []
    for block, inline in found:
        for line in (block or inline).splitlines():
            commands += [c.strip() for c in line.split("&&") if c.strip().startswith("python -m ")]
    return commands


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """A copy of the repository without generated files, with no ../shared beside it."""
    root = tmp_path_factory.mktemp("clone") / "repo"
    shutil.copytree(paths.REPO_ROOT, root, ignore=IGNORED)
    for name in ("index.md", "methodology.md", "data.md", "changes.md", "how-to-read.md", "findings.json",
                 "feed.xml", "claims"):
        target = root / "site_src" / "docs" / name
        shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
    assert not (root.parent / "shared").exists()
    return root


def offline_env(root: Path) -> dict[str, str]:
    # a newcomer's build starts with an empty cache: the copy's own .cache, not the suite's shared one
    env = {k: v for k, v in os.environ.items()
           if k not in ("CI", "FACTCHECK_DEBUG", "FACTCHECK_CACHE_DIR", "FACTCHECK_TEST_CACHE_DIR")}
    env["PYTHONPATH"] = os.pathsep.join([str(OFFLINE), str(root)])
    env["FACTCHECK_PROGRESS"] = "0"
    return env


def run(command: str, root: Path) -> subprocess.CompletedProcess[str]:
    args = command.split()
    assert args[:2] == ["python", "-m"]
    if args[2] == "pytest":
        args += ["--collect-only", "-q"]
    return subprocess.run([sys.executable, *args[1:]], cwd=root, env=offline_env(root), capture_output=True,
                          text=True, timeout=600)


def test_the_readme_quick_start_is_quiet_and_explains_itself(fresh):
    commands = readme_commands()
    assert commands[:2] == ["python -m generator build", "python -m pytest"]
    outputs = {}
    for command in commands:
        if " serve" in command:
            continue  # a server never exits: test_serve_offline_answers_within_seconds runs it
        proc = run(command, fresh)
        outputs[command] = proc.stdout + proc.stderr
        if command == "python -m generator fetch":  # needs the network: fails, saying what to do instead
            assert proc.returncode == 1 and "next step: " in proc.stderr, outputs[command]
        else:
            assert proc.returncode == 0, f"{command}:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    for command, text in outputs.items():
        assert "Traceback" not in text, command
        assert "curl: (" not in text and "curl.se" not in text, command  # neither curl's error nor its help link
        assert "DNSError" not in text, command

    build = outputs["python -m generator build"]
    unreachable = [line for line in build.splitlines() if "unreachable" in line]
    day = snapshot_date(SnapshotStore(fresh / "data" / "series"))
    # one line per source: Yahoo Finance, FRED, iShares (Yahoo's datasets share Yahoo's line)
    assert len(unreachable) == 3, unreachable
    assert sum(line.startswith(("Yahoo Finance unreachable; ", "FRED (Federal Reserve Bank of St. Louis) "
                                "unreachable; ", "iShares unreachable; ")) for line in unreachable) == 3
    for line in unreachable[:2]:
        assert f"unreachable; using the snapshot of {day} (" in line
    age = staleness(day, datetime.now(UTC).date())
    if age.stale:
        assert age.log_line in build
        assert age.banner in (fresh / "site" / "index.html").read_text(encoding="utf-8")
    assert f"data through {day}" in build.splitlines()[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.enable_socket
def test_serve_offline_answers_within_seconds(fresh):
    """A timeout, not a benchmark: the preview address must answer long before the build is done."""
    assert "python -m generator serve --offline" in README
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--offline", "--dev-addr",
                             f"127.0.0.1:{port}"], cwd=fresh, env=offline_env(fresh),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # localhost, never a proxy
        deadline, status = time.monotonic() + 5.0, None
        while time.monotonic() < deadline and status is None:
            try:
                with opener.open(f"http://127.0.0.1:{port}/", timeout=1) as answer:
                    status = answer.status
            except OSError:
                time.sleep(0.1)
        assert status == 200, "serve --offline did not answer on localhost within 5 s"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
