"""Publishing the fact-check as a versioned site on GitHub Pages.

- ``claimreview``: schema.org ClaimReview JSON-LD for every claim page.
- ``cards``: a static preview image (PNG) per claim, referenced by ``og:image``.
- ``changes``: verdict drift between published versions and its Atom feed.
- ``site_pages``: the build hook that writes the cards, "How to read this site" and "What changed".
- ``gates``: the checks that must pass before anything is deployed (link checker included).
- ``versions``: a thin wrapper over mike (versions on the gh-pages branch).
- ``flow``: ``python -m generator publish``: build every version, run the gates, then deploy.

Nothing here imports :mod:`generator.build` at import time, so the build can import these modules.
"""
