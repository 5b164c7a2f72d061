"""Fact-check site generator: fetch -> snapshot -> validate -> claims -> charts -> pages -> site."""

__version__ = "0.1.0"
