"""The embedded data snapshot: one CSV per series plus a manifest saying where it came from."""

from generator.snapshot.manifest import Manifest, Origin
from generator.snapshot.store import SnapshotError, SnapshotStore

__all__ = ["Manifest", "Origin", "SnapshotError", "SnapshotStore"]
