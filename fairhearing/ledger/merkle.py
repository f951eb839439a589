"""A Merkle tree over the ledger in the manner of RFC 6962 (Certificate Transparency).

Pure functions with no database, so that `fairhearing ledger check-proof` can check a signed
head, an inclusion proof and a consistency proof anywhere. A leaf is an event's chain hash
(32 bytes); leaf hash = SHA-256(0x00 || leaf), node hash = SHA-256(0x01 || left || right).
Verification follows RFC 9162 sections 2.1.3.2 and 2.1.4.2.
"""

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root_from_leaf_hashes(hashes: Iterable[bytes]) -> bytes:
    """The tree head of a stream of leaf hashes, in O(log n) memory.

    Keeps a stack of perfect subtrees; merging equal sizes gives the same shape as RFC 6962's
    recursive definition (left subtrees are the largest powers of two).
    """
    stack: list[tuple[int, bytes]] = []
    for h in hashes:
        size, node = 1, h
        while stack and stack[-1][0] == size:
            left_size, left = stack.pop()
            size, node = left_size + size, node_hash(left, node)
        stack.append((size, node))
    if not stack:
        return EMPTY_ROOT
    _, node = stack.pop()
    while stack:
        _, left = stack.pop()
        node = node_hash(left, node)
    return node


def roots_at(sizes: Sequence[int], hashes: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """The tree head at each of `sizes` (ascending), from one pass over the leaf hashes: the
    same stack as `root_from_leaf_hashes`, folded without being consumed whenever the count
    reaches a size (O(log n) per size). Stops early at the first size the stream does not
    reach, so a caller can tell that the leaves ran out before it."""
    wanted = iter(sizes)
    target = next(wanted, None)
    stack: list[tuple[int, bytes]] = []
    while target is not None and target == 0:
        yield 0, EMPTY_ROOT
        target = next(wanted, None)
    if target is None:
        return
    for count, h in enumerate(hashes, start=1):
        size, node = 1, h
        while stack and stack[-1][0] == size:
            left_size, left = stack.pop()
            size, node = left_size + size, node_hash(left, node)
        stack.append((size, node))
        while count == target:
            root = stack[-1][1]
            for _, left in reversed(stack[:-1]):
                root = node_hash(left, root)
            yield count, root
            target = next(wanted, None)
            if target is None:
                return


def leaf_hashes(leaves: Iterable[bytes]) -> list[bytes]:
    """`leaf_hash` of each leaf, as a list."""
    sha256 = hashlib.sha256
    return [sha256(b"\x00" + leaf).digest() for leaf in leaves]


def _levels(hashes: list[bytes]) -> list[list[bytes]]:
    """The perfect subtrees over `hashes`, a level at a time: levels[j][i] is the root of
    hashes[i * 2**j : (i + 1) * 2**j] (whole subtrees only, so a level may leave a hash out)."""
    sha256 = hashlib.sha256
    levels = [hashes]
    lower = hashes
    while len(lower) > 1:
        lower = [
            sha256(b"\x01" + lower[i] + lower[i + 1]).digest() for i in range(0, len(lower) - 1, 2)
        ]
        levels.append(lower)
    return levels


def roots_at_chunks(
    sizes: Sequence[int], chunks: Iterable[list[bytes]], chunk_size: int
) -> Iterator[tuple[int, bytes]]:
    """`roots_at`, from leaf hashes that come `chunk_size` at a time (a power of two; a shorter
    chunk is the last). A chunk starts at a multiple of its size, so its subtrees are the
    tree's own: each chunk is hashed a whole level at a time (`_levels`), a chunk's root joins
    the stack of the perfect subtrees before it, and a size inside a chunk folds that stack
    with the chunk's subtrees its offset spells in binary. Same results as `roots_at`, with
    the work per leaf in list comprehensions rather than a Python loop."""
    if chunk_size < 1 or chunk_size & (chunk_size - 1):
        raise ValueError("the chunk size must be a power of two")
    wanted = iter(sizes)
    target = next(wanted, None)
    while target is not None and target == 0:
        yield 0, EMPTY_ROOT
        target = next(wanted, None)
    stack: list[tuple[int, bytes]] = []  # the perfect subtrees before this chunk, largest first
    count = 0
    for chunk in chunks:
        if target is None:
            return
        if len(chunk) > chunk_size:
            raise ValueError("a chunk holds more leaves than the chunk size")
        levels = _levels(chunk)
        while target is not None and target <= count + len(chunk):
            nodes = [node for _, node in stack]
            offset, start = target - count, 0
            for j in range(len(levels) - 1, -1, -1):
                if offset >> j & 1:
                    nodes.append(levels[j][start >> j])
                    start += 1 << j
            root = nodes[-1]
            for left in reversed(nodes[:-1]):
                root = node_hash(left, root)
            yield target, root
            target = next(wanted, None)
        if len(chunk) < chunk_size:
            return
        size, node = chunk_size, levels[-1][0]
        while stack and stack[-1][0] == size:
            left_size, left = stack.pop()
            size, node = left_size + size, node_hash(left, node)
        stack.append((size, node))
        count += chunk_size


RangeRoot = Callable[[int, int], bytes]
"""Root of the subtree over leaves [start, end) (0-based)."""


def inclusion_path(index: int, size: int, subtree: RangeRoot) -> list[bytes]:
    """RFC 6962 PATH(m, D[n]) for leaf `index` in a tree of `size` leaves."""

    def path(m: int, start: int, n: int) -> list[bytes]:
        if n <= 1:
            return []
        k = _split(n)
        if m < k:
            return [*path(m, start, k), subtree(start + k, start + n)]
        return [*path(m - k, start + k, n - k), subtree(start, start + k)]

    if not 0 <= index < size:
        raise ValueError("the leaf is not in the tree")
    return path(index, 0, size)


def consistency_path(old_size: int, new_size: int, subtree: RangeRoot) -> list[bytes]:
    """RFC 6962 PROOF(m, D[n]): the old tree is a prefix of the new one."""

    def subproof(m: int, start: int, n: int, whole: bool) -> list[bytes]:
        if m == n:
            return [] if whole else [subtree(start, start + n)]
        k = _split(n)
        if m <= k:
            return [*subproof(m, start, k, whole), subtree(start + k, start + n)]
        return [*subproof(m - k, start + k, n - k, False), subtree(start, start + k)]

    if not 0 < old_size <= new_size:
        raise ValueError("sizes must satisfy 0 < old <= new")
    if old_size == new_size:
        return []
    return subproof(old_size, 0, new_size, True)


def verify_inclusion(
    index: int, size: int, leaf: bytes, path: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 2.1.3.2: does `leaf` (the raw leaf, not its hash) sit at `index` under `root`?"""
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    r = leaf_hash(leaf)
    for p in path:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = node_hash(p, r)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, path: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2: is the tree of `old_size` a prefix of the tree of `new_size`?"""
    if old_size == new_size:
        return old_root == new_root and not path
    if not 0 < old_size < new_size or not path:
        return False
    proof = list(path)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        proof.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0
