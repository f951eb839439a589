import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fairhearing.linking import minhash

POST = (
    "Members of the Riverside branch should be ashamed of letting those people vote "
    "on anything that matters to this party."
)


def test_near_identical_texts_share_a_band_and_score_high() -> None:
    variant = POST.upper().replace("ashamed", "ashamed!!") + "  #branchpolitics"
    a, b = minhash.shingles(POST), minhash.shingles(variant)
    assert minhash.jaccard(a, b) >= 0.85
    assert set(minhash.bands(a)) & set(minhash.bands(b))


def test_unrelated_texts_share_no_band() -> None:
    other = "The treasurer's report was late again and the minutes were never circulated."
    a, b = minhash.shingles(POST), minhash.shingles(other)
    assert minhash.jaccard(a, b) < 0.1
    assert not set(minhash.bands(a)) & set(minhash.bands(b))


def test_bands_are_stable_across_calls() -> None:
    assert minhash.bands(minhash.shingles(POST)) == minhash.bands(minhash.shingles(POST))
    assert len(minhash.bands(minhash.shingles(POST))) == minhash.BANDS


@settings(max_examples=50)
@given(st.text(min_size=30, max_size=300))
def test_identical_text_always_collides(text: str) -> None:
    parts = minhash.shingles(text)
    assert minhash.jaccard(parts, minhash.shingles(text)) == 1.0
    assert minhash.bands(parts) == minhash.bands(minhash.shingles(text))


def test_permutations_are_datasketchs() -> None:
    """The permutations are drawn as datasketch draws them, not taken from it (its package
    imports scipy into every worker): both arrays, value by value and type."""
    from datasketch import MinHash

    a, b = MinHash(num_perm=minhash.NUM_PERM, seed=minhash.SEED, scheme=minhash.SCHEME).permutations
    ours_a, ours_b = minhash._permutations()
    assert ours_a.dtype == ours_b.dtype == np.uint32
    assert ours_a.tolist() == a.tolist()
    assert ours_b.tolist() == b.tolist()
    assert all(v % 2 == 1 for v in ours_a.tolist())


def _datasketch_signature(parts: set[str]) -> list[int]:
    from datasketch import MinHash

    m = MinHash(num_perm=minhash.NUM_PERM, seed=minhash.SEED, scheme=minhash.SCHEME)
    m.update_batch([p.encode() for p in parts])
    return [int(v) for v in m.hashvalues]


@settings(max_examples=50)
@given(st.lists(st.text(min_size=1, max_size=200), min_size=1, max_size=40))
def test_signatures_are_datasketchs_values(texts: list[str]) -> None:
    """Stored bands depend on these values: the vectorised signatures must be exactly what
    datasketch's MinHash gives for each text, in any batch, with shingles seen before or not."""
    sets = [minhash.shingles(t) for t in texts]
    sets = [s for s in sets if s]
    if not sets:
        return
    got = minhash.signatures(sets)
    assert [[int(v) for v in row] for row in got] == [_datasketch_signature(s) for s in sets]
    assert minhash.bands_many(sets) == [minhash.bands(s) for s in sets]


def test_signatures_across_batches(monkeypatch) -> None:
    monkeypatch.setattr(minhash, "_BATCH", 3)
    sets = [minhash.shingles(f"{POST} variant number {i}") for i in range(8)]
    assert [[int(v) for v in row] for row in minhash.signatures(sets)] == [
        _datasketch_signature(s) for s in sets
    ]
