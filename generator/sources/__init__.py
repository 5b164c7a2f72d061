"""Upstream data sources. Each module implements :class:`generator.sources.base.Source` for one upstream."""
