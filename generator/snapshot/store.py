"""Snapshot series live in the project's one checksummed store (:mod:`generator.store`); this module keeps
the names the snapshot code has always imported from here."""

from generator.store import (
    MergeReport,
    SnapshotError,
    SnapshotStore,
    atomic_write,
    csv_bytes_to_frame,
    frame_to_csv_bytes,
    merge_frames,
    sha256_bytes,
)

__all__ = ["MergeReport", "SnapshotError", "SnapshotStore", "atomic_write", "csv_bytes_to_frame",
           "frame_to_csv_bytes", "merge_frames", "sha256_bytes"]
