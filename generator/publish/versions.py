"""The gh-pages branch, through mike: which versions exist, their files, deploying a built site as a version.

mike is used through its Python API (``mike.commands``, ``mike.git_utils``, ``mike.versions``) so that the site
deployed is exactly the one the gates checked: mike's ``deploy`` command would build the docs again, after the
gates. mike works on the git
repository of the current directory, so every call runs inside :func:`inside`.

Choices, and the pitfalls they avoid:

- ``site_url`` is the site's *root*; each version is built with ``<root><version>/`` as its own site_url, so
  canonical links, ``og:url`` and ClaimReview ``url`` name the dated version (mike's plugin would append the
  version the same way; a site_url that already contains a version or ``latest`` gives ``/latest/<v>/``).
- aliases are *copies* (what mike's ``alias_type=copy`` writes; since the shared assets moved out, a copy is
  only the version's pages): GitHub Pages' branch deployments reject symlinks (mike 2's
  default), and redirect aliases cover only HTML pages, so ``latest/feed.xml`` would not exist.
- ``set-default latest`` writes the root ``index.html`` redirect; Pages must serve the gh-pages branch.
- :meth:`Pages.commit` writes a whole publish (new versions and their aliases, shared assets, archive rewrites,
  ``versions.json``) as one commit with mike's ``git_utils.Commit`` (git fast-import) and mike's ``Versions``,
  the same way ``mike deploy`` does, so the branch never shows a version whose shared assets are missing.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mike import commands as mike_commands
from mike import git_utils

DEFAULT_BRANCH = "gh-pages"


class PagesError(Exception):
    """A git or mike operation on the pages branch failed."""


@dataclass(frozen=True)
class DeployedVersion:
    name: str
    title: str
    aliases: tuple[str, ...]


@dataclass
class Change:
    """One commit's worth of changes to the pages branch."""

    message: str
    versions: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    """(name, title, aliases) added or updated in versions.json (aliases move to the version)."""
    retitled: dict[str, str] = field(default_factory=dict)
    """version -> new title (archived versions)."""
    delete: list[str] = field(default_factory=list)
    """Paths (files or folders) removed before ``add`` is written."""
    add: dict[str, Path] = field(default_factory=dict)
    """Branch path -> local file whose bytes are committed there."""


@contextmanager
def inside(repo: Path) -> Iterator[None]:
    """Run mike (which uses the current directory's repository) inside ``repo``."""
    before = Path.cwd()
    os.chdir(repo)
    try:
        yield
    finally:
        os.chdir(before)


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise PagesError(f"git {' '.join(args)}: {proc.stderr.strip()}")
    return proc


class Pages:
    """The pages branch of a local repository."""

    def __init__(self, repo: Path, branch: str = DEFAULT_BRANCH) -> None:
        self.repo = Path(repo)
        self.branch = branch

    def head(self) -> str | None:
        """The branch's commit, or None before the first deploy."""
        proc = git(self.repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{self.branch}", check=False)
        return proc.stdout.strip() or None

    def versions(self) -> list[DeployedVersion]:
        """mike's versions list (versions.json), newest first as mike sorts it."""
        with inside(self.repo):
            found = mike_commands.list_versions(self.branch)
        return [DeployedVersion(str(v.version), v.title, tuple(sorted(v.aliases))) for v in found]

    def versions_json(self) -> list[dict]:
        data = self.read_file("versions.json")
        return json.loads(data) if data else []

    def read_file(self, path: str) -> bytes | None:
        """A file of the branch (None if absent)."""
        proc = subprocess.run(["git", "show", f"refs/heads/{self.branch}:{path}"], cwd=self.repo, capture_output=True)
        return proc.stdout if proc.returncode == 0 else None

    def findings(self, version: str) -> dict | None:
        """A version's findings.json, or the gzipped copy an archived version keeps (None if neither)."""
        data = self.read_file(f"{version}/findings.json")
        if data:
            return json.loads(data)
        packed = self.read_file(f"{version}/findings.json.gz")
        return json.loads(gzip.decompress(packed)) if packed else None

    def sizes(self, prefix: str = "") -> dict[str, int]:
        """Every file of the branch (under ``prefix``, a folder) with its size in bytes; {} before the first deploy."""
        if self.head() is None:
            return {}
        args = ["ls-tree", "-r", "-l", "-z", "--full-tree", f"refs/heads/{self.branch}"]
        if prefix:
            args += ["--", prefix.rstrip("/") + "/"]
        out: dict[str, int] = {}
        for entry in git(self.repo, *args).stdout.split("\0"):
            if entry:
                meta, path = entry.split("\t", 1)
                size = meta.split()[3]
                out[path] = int(size) if size.isdigit() else 0
        return out

    def read_dir(self, folder: str) -> dict[str, bytes]:
        """Every file under ``folder`` of the branch, by its path inside the folder."""
        paths = sorted(self.sizes(folder))
        if not paths:
            return {}
        batch = "".join(f"refs/heads/{self.branch}:{p}\n" for p in paths).encode("utf-8")
        proc = subprocess.run(["git", "cat-file", "--batch"], cwd=self.repo, input=batch, capture_output=True)
        if proc.returncode != 0:
            raise PagesError(f"git cat-file: {proc.stderr.decode(errors='replace').strip()}")
        out, data, pos = {}, proc.stdout, 0
        for path in paths:
            end = data.index(b"\n", pos)
            size = int(data[pos:end].split()[2])
            out[path[len(folder.rstrip("/")) + 1:]] = data[end + 1:end + 1 + size]
            pos = end + 1 + size + 1
        return out

    def commit(self, change: Change) -> None:
        """Write ``change`` as one commit on the branch (created if absent)."""
        try:
            with inside(self.repo):
                versions = mike_commands.list_versions(self.branch)
                for name, title, aliases in change.versions:
                    versions.add(name, title, list(aliases), update_aliases=True)
                for name, title in change.retitled.items():
                    versions.update(name, title=title)
                with git_utils.Commit(self.branch, change.message) as commit:
                    commit.delete_files(sorted(set(change.delete)))
                    for path, source in sorted(change.add.items()):
                        commit.add_file(git_utils.FileInfo(path, source.read_bytes()))
                    commit.add_file(mike_commands.versions_to_file_info(versions))
                    commit.add_file(mike_commands.make_nojekyll())
        except (git_utils.GitError, ValueError, KeyError) as exc:
            raise PagesError(f"commit to {self.branch}: {exc}") from exc

    def set_default(self, identifier: str) -> bool:
        """Make the site root redirect to ``identifier``; False if it already did."""
        try:
            with inside(self.repo):
                mike_commands.set_default(identifier, branch=self.branch,
                                          message=f"Set the default version to {identifier} with mike")
        except git_utils.GitEmptyCommit:
            return False
        except (git_utils.GitError, ValueError) as exc:
            raise PagesError(f"mike set-default {identifier}: {exc}") from exc
        return True

    def sync(self, remote: str) -> bool:
        """Bring the remote's pages branch into the local one (fast-forward only); False if the remote has none."""
        if git(self.repo, "ls-remote", "--exit-code", "--heads", remote, self.branch, check=False).returncode != 0:
            return False
        git(self.repo, "fetch", "--no-tags", remote, f"refs/heads/{self.branch}:refs/heads/{self.branch}")
        return True

    def push(self, remote: str) -> None:
        git(self.repo, "push", remote, f"refs/heads/{self.branch}:refs/heads/{self.branch}")
