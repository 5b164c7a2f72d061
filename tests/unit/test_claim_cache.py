"""The per-claim results cache: a hit is what a fresh computation gives, a changed input recomputes only the
claims that read it, and a damaged entry is computed again.

Everything runs on a copy of the committed data in a temporary folder, with its own cache.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

import generator.build as build
from generator import claim_cache, paths
from generator.build import BuildConfig, claim_results, claims_stage, evidence_csv, load_stage
from generator.cache import ContentCache
from generator.catalog import spec
from generator.claims import all_claims, get
from generator.findings import dumps, findings
from generator.snapshot.store import SnapshotStore

CHANGED = "dff"
"""The series whose bytes one test changes (the effective fed funds rate: read by few claims)."""


def quiet(_line: str) -> None:
    pass


def snapshot_json(pairs) -> str:
    """The findings JSON of the pairs (the data section fixed: only the claims are compared)."""
    return dumps(findings(pairs, {}))


def evidence(pairs) -> dict[str, bytes]:
    return {pub.claim.id: evidence_csv(comp.evidence) for pub, lat in pairs
            if (comp := lat.computation or pub.computation) is not None and comp.evidence is not None}


def config_for(root: Path, cache_dir: Path) -> BuildConfig:
    return BuildConfig(offline=True, snapshot_dir=root / "series", datasets_dir=root / "datasets",
                       cache_dir=cache_dir, log=quiet)


@pytest.fixture(scope="module")
def primed(tmp_path_factory):
    """A copy of the data, every claim computed fresh once, and a cache holding the results."""
    root = tmp_path_factory.mktemp("claim-cache")
    shutil.copytree(paths.SNAPSHOT_DIR, root / "data" / "series")
    shutil.copytree(paths.DATA_DIR / "datasets", root / "data" / "datasets")
    config = config_for(root / "data", root / "cache")
    loaded = load_stage(config)
    results = claim_results(config, ContentCache(config.cache_dir))
    fresh = claims_stage(loaded, quiet, results=results)
    assert results.computed == [c.id for c in all_claims()]  # a cold cache computes every claim
    return root, loaded, fresh


@pytest.fixture
def counted(monkeypatch):
    """The claims evaluated, by id (two evaluations per computed claim: publication and latest)."""
    seen: list[str] = []
    real = build.evaluate

    def counting(claim, *args, **kwargs):
        seen.append(claim.id)
        return real(claim, *args, **kwargs)

    monkeypatch.setattr(build, "evaluate", counting)
    return seen


def own_cache(primed, tmp_path: Path) -> Path:
    root = primed[0]
    shutil.copytree(root / "cache", tmp_path / "cache")
    return tmp_path / "cache"


def test_a_cache_hit_gives_what_a_fresh_computation_gives(primed, tmp_path, counted):
    root, loaded, fresh = primed
    config = config_for(root / "data", own_cache(primed, tmp_path))
    store = ContentCache(config.cache_dir)
    again = claims_stage(loaded, quiet, results=claim_results(config, store))
    assert counted == []
    assert store.stats.hits == len(all_claims())
    assert snapshot_json(again) == snapshot_json(fresh)
    assert evidence(again) == evidence(fresh)
    assert all(pub.claim is get(pub.claim.id) and lat.claim is pub.claim for pub, lat in again)


def test_changing_one_series_recomputes_only_the_claims_that_read_it(primed, tmp_path, counted):
    root, _, fresh = primed
    data = tmp_path / "data"
    shutil.copytree(root / "data", data)
    store = SnapshotStore(data / "series")
    frame, manifest = store.read(spec(CHANGED))
    frame.iloc[-1, 0] += 0.01  # one value moves by a basis point
    store.write(spec(CHANGED), frame, manifest)

    config = config_for(data, own_cache(primed, tmp_path))
    results = claim_results(config, ContentCache(config.cache_dir))
    again = claims_stage(load_stage(config), quiet, results=results)

    readers = [c.id for c in all_claims() if CHANGED in (*c.needs, *c.optional)]
    assert readers and len(readers) < len(all_claims())
    assert results.computed == readers
    assert sorted(set(counted)) == sorted(readers) and len(counted) == 2 * len(readers)
    others = [(a, b) for a, b in zip(fresh, again, strict=True) if a[0].claim.id not in readers]
    assert snapshot_json([b for _, b in others]) == snapshot_json([a for a, _ in others])


def test_a_damaged_entry_is_computed_again(primed, tmp_path, counted):
    root, loaded, fresh = primed
    config = config_for(root / "data", own_cache(primed, tmp_path))
    store = ContentCache(config.cache_dir)
    results = claim_results(config, store)
    victim = all_claims()[3]
    entry = store.path(claim_cache.NAMESPACE, results.key(victim))
    raw = bytearray(entry.read_bytes())
    raw[-10] ^= 0xFF  # one flipped byte in the payload
    entry.write_bytes(bytes(raw))

    again = claims_stage(loaded, quiet, results=results)
    assert results.computed == [victim.id]
    assert store.stats.corrupt == [f"{claim_cache.NAMESPACE}/{results.key(victim)}"]
    assert snapshot_json(again) == snapshot_json(fresh)
    assert store.get(claim_cache.NAMESPACE, results.key(victim)) is not None  # written again, whole


def test_an_entry_that_does_not_unpickle_into_results_is_a_miss():
    claim = all_claims()[0]
    assert claim_cache.load_pair(b"not a pickle", claim) is None
    assert claim_cache.load_pair(claim_cache.pickle.dumps(("a", "b")), claim) is None


def test_the_key_covers_the_moment_the_cutoff_and_the_code(tmp_path):
    store = ContentCache(tmp_path / "cache")
    claim = get("RISK-CURVE")
    base = claim_cache.ClaimResults(store, paths.SNAPSHOT_DIR, paths.DATA_DIR / "datasets", paths.REFERENCE_DIR,
                                    datetime(2026, 1, 23, 4, tzinfo=UTC))
    keys = {
        base.key(claim),
        claim_cache.ClaimResults(store, paths.SNAPSHOT_DIR, paths.DATA_DIR / "datasets", paths.REFERENCE_DIR,
                                 datetime(2026, 1, 24, 4, tzinfo=UTC)).key(claim),
        claim_cache.ClaimResults(store, paths.SNAPSHOT_DIR, paths.DATA_DIR / "datasets", paths.REFERENCE_DIR,
                                 datetime(2026, 1, 23, 4, tzinfo=UTC), cutoff=datetime(2026, 3, 1, tzinfo=UTC)
                                 ).key(claim),
        base.key(replace(claim, id="RISK-CURVE-2")),
    }
    assert len(keys) == 4
    assert base.key(claim) != base.key(get("RUT-YTD-2026"))


def test_the_code_digest_follows_computing_code_not_presentation(tmp_path):
    root = tmp_path / "generator"
    for name in ("claims/x.py", "charts/c.py", "pages/p.py", "market.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("A = 1\n")
    digest = claim_cache.code_digest.__wrapped__  # the undecorated function: no memory between calls
    before = digest(root)
    (root / "charts" / "c.py").write_text("A = 2\n")
    (root / "pages" / "p.py").write_text("A = 2\n")
    assert digest(root) == before
    (root / "claims" / "x.py").write_text("A = 2\n")
    assert digest(root) != before


def test_a_claim_made_outside_the_registry_is_never_cached(primed, tmp_path, counted, monkeypatch):
    root, loaded, _ = primed
    config = config_for(root / "data", own_cache(primed, tmp_path))
    variant = replace(get("RUT-YTD-2026"), title="A variant whose code the digest does not cover")
    monkeypatch.setattr(build, "all_claims", lambda: (variant,))
    for _ in range(2):
        results = claim_results(config, ContentCache(config.cache_dir))
        claims_stage(loaded, quiet, results=results)
        assert results.computed == [variant.id]


def test_an_unchanged_chart_is_read_back_without_building_its_spec(primed, tmp_path, monkeypatch):
    """The chart recipe key: same claim inputs, data and label give the stored renderings, byte for byte, and
    altair is not asked for the spec; a damaged entry is drawn again; a changed input is another key."""
    from generator.charts import render

    root, _loaded, fresh = primed
    pairs = [p for p in fresh if p[0].claim.id in ("RISK-CURVE", "RUT-MEDIAN-CAP")]
    config = config_for(root / "data", tmp_path / "cache")
    store = ContentCache(config.cache_dir)
    specs: list[str] = []
    real = render.to_spec
    monkeypatch.setattr(render, "to_spec", lambda *a, **k: specs.append("spec") or real(*a, **k))

    def outputs(folder: Path) -> dict[str, str]:
        blocks = build.charts_stage(pairs, folder, store, claim_results(config, store))
        return {cid: block.html for cid, block in blocks.items()} | {
            p.name: p.read_text(encoding="utf-8") for p in sorted((folder / "claims").iterdir())}

    first = outputs(tmp_path / "first")
    assert len(specs) == 2
    again = outputs(tmp_path / "again")
    assert again == first and len(specs) == 2  # read back: no spec built
    recipes = [p for p in store.entries() if p.parent.parent.name == render.RECIPE_NAMESPACE]
    assert len(recipes) == 2
    recipes[0].write_bytes(recipes[0].read_bytes()[:-3])  # a torn entry
    assert outputs(tmp_path / "third") == first and len(specs) == 3
    claim = pairs[0][0].claim
    key = claim_results(config, store).key(claim)
    assert render.recipe_key(key, b"a,b\n1,2\n", "t", "l") != render.recipe_key(key, b"a,b\n1,3\n", "t", "l")
    assert render.recipe_key(key, b"x", "t", "l") != render.recipe_key(key, b"x", "t", "l2")
