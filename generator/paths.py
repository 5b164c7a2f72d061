"""Where things live. Every path is anchored at the repository root, never the current directory."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"
SNAPSHOT_DIR = Path(os.environ["FACTCHECK_SNAPSHOT_DIR"]).resolve() if os.environ.get("FACTCHECK_SNAPSHOT_DIR") \
    else DATA_DIR / "series"
"""The committed snapshot; ``FACTCHECK_SNAPSHOT_DIR`` points it elsewhere (a test runs the suite on a refreshed copy)."""
REFERENCE_DIR = DATA_DIR / "reference"
TEMPLATES_DIR = REPO_ROOT / "templates"
SITE_SRC_DIR = REPO_ROOT / "site_src"
DOCS_DIR = SITE_SRC_DIR / "docs"
SITE_DIR = REPO_ROOT / "site"
CACHE_DIR = REPO_ROOT / ".cache"
SHARED_RAW_DIR = REPO_ROOT.parent / "shared" / "data" / "raw"
