"""The Merkle tree against RFC 6962's definition, with hypothesis."""

import hashlib
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairhearing.ledger import merkle


def reference_root(leaves: list[bytes]) -> bytes:
    """RFC 6962's recursive MTH, written as plainly as possible."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return merkle.leaf_hash(leaves[0])
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return merkle.node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


def leaves_of(n: int) -> list[bytes]:
    return [hashlib.sha256(str(i).encode()).digest() for i in range(n)]


def subtree_of(leaves: list[bytes]) -> Callable[[int, int], bytes]:
    return lambda start, end: reference_root(leaves[start:end])


@given(st.integers(min_value=0, max_value=70))
def test_the_streaming_root_matches_the_rfc_definition(n: int) -> None:
    leaves = leaves_of(n)
    assert merkle.root_from_leaf_hashes(merkle.leaf_hash(x) for x in leaves) == reference_root(
        leaves
    )


@given(st.data())
def test_every_inclusion_proof_verifies_and_a_tampered_one_does_not(data: st.DataObject) -> None:
    n = data.draw(st.integers(min_value=1, max_value=64))
    index = data.draw(st.integers(min_value=0, max_value=n - 1))
    leaves = leaves_of(n)
    root = reference_root(leaves)
    path = merkle.inclusion_path(index, n, subtree_of(leaves))
    assert merkle.verify_inclusion(index, n, leaves[index], path, root)
    other = hashlib.sha256(b"forged").digest()
    assert not merkle.verify_inclusion(index, n, other, path, root)
    if path:
        bent = [hashlib.sha256(path[0]).digest(), *path[1:]]
        assert not merkle.verify_inclusion(index, n, leaves[index], bent, root)
    if n > 1:
        assert not merkle.verify_inclusion((index + 1) % n, n, leaves[index], path, root)


@given(st.data())
def test_every_consistency_proof_verifies_and_a_rewritten_history_does_not(
    data: st.DataObject,
) -> None:
    new = data.draw(st.integers(min_value=1, max_value=64))
    old = data.draw(st.integers(min_value=1, max_value=new))
    leaves = leaves_of(new)
    old_root, new_root = reference_root(leaves[:old]), reference_root(leaves)
    path = merkle.consistency_path(old, new, subtree_of(leaves))
    assert merkle.verify_consistency(old, new, old_root, new_root, path)
    rewritten = list(leaves)
    rewritten[data.draw(st.integers(min_value=0, max_value=old - 1))] = b"\xff" * 32
    assert not merkle.verify_consistency(old, new, reference_root(rewritten[:old]), new_root, path)
    if old < new:
        assert not merkle.verify_consistency(
            old, new, old_root, hashlib.sha256(b"x").digest(), path
        )


@given(st.lists(st.integers(min_value=0, max_value=40), max_size=6), st.integers(0, 40))
def test_the_roots_at_many_sizes_come_from_one_pass_and_match_the_rfc(
    sizes: list[int], n: int
) -> None:
    leaves = leaves_of(n)
    wanted = sorted(set(sizes))
    got = list(merkle.roots_at(wanted, (merkle.leaf_hash(x) for x in leaves)))
    reached = [s for s in wanted if s <= n]
    assert got == [(s, reference_root(leaves[:s])) for s in reached]


@given(
    st.lists(st.integers(min_value=0, max_value=70), max_size=8),
    st.integers(0, 70),
    st.sampled_from([1, 2, 4, 8, 16]),
    st.booleans(),
)
def test_the_roots_from_chunks_of_leaves_match_the_rfc(
    sizes: list[int], n: int, chunk_size: int, empty_fetch_at_the_end: bool
) -> None:
    """Sizes inside a chunk, at its edges, past the last leaf; the last chunk short or full."""
    leaves = leaves_of(n)
    hashes = merkle.leaf_hashes(leaves)
    chunks = [hashes[i : i + chunk_size] for i in range(0, n, chunk_size)]
    if empty_fetch_at_the_end:
        chunks.append([])
    wanted = sorted(set(sizes))
    got = list(merkle.roots_at_chunks(wanted, iter(chunks), chunk_size))
    reached = [s for s in wanted if s <= n]
    assert got == [(s, reference_root(leaves[:s])) for s in reached]


def test_the_chunk_size_must_be_a_power_of_two() -> None:
    with pytest.raises(ValueError, match="power of two"):
        list(merkle.roots_at_chunks([1], iter([[b"x" * 32]]), 3))
