"""Each BTC claim's chart marks the article's figure (and, where the window reaches it, the publication day)."""

import json

import pytest

from generator.article import PUBLISHED_AT
from generator.claimkit.evaluate import evaluate
from generator.claims import get

MARKS = {
    "BTC-2020-RUN": ["article: $10,000", "article: $69,000"],
    "BTC-NOV-2024": ["article: $100,000"],
    "BTC-HALVING-GAIN": ["+50% from the halving (the article's gain)", "last close before the article"],
    "BTC-CYCLE-MULTIPLES": ["article: 5x", "article: 27x", "last close before the article"],
    "BTC-INFLATION": ["article: 1.7%", "article: 0.85%", "last close before the article"],
    "BTC-MINED-SHARE": ["article: 94%", "last close before the article"],
    "BTC-ATH-BEFORE-HALVING": ["record broken (article: March 2024)", "last close before the article"],
}


@pytest.mark.parametrize("claim_id", sorted(MARKS))
def test_chart_marks_the_articles_figure(market, claim_id):
    claim = get(claim_id)
    comp = evaluate(claim, market, "publication", PUBLISHED_AT).computation
    spec = json.dumps(claim.chart(comp.evidence).to_dict())
    for label in MARKS[claim_id]:
        assert label in spec, f"{claim_id}: the chart does not mark {label!r}"
