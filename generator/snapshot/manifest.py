"""The series manifest models, defined beside the store in :mod:`generator.manifests`."""

from generator.manifests import Manifest, Origin

__all__ = ["Manifest", "Origin"]
