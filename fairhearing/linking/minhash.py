"""Near-identical text: MinHash signatures on character shingles, banded for lookup (LSH), with
every candidate confirmed by exact Jaccard similarity.

128 permutations in 16 bands of 8 rows: two texts share a band with probability 1-(1-s^8)^16,
which is 0.98 at Jaccard similarity s=0.8 and 0.05 at s=0.5. Bands are stored as rows
(`Band`: band number, 64-bit value), so a lookup is one indexed query however many cases exist.
"""

import hashlib
import re
from functools import lru_cache

import numpy as np

SHINGLE = 5
NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SEED = 1
# Stored bands depend on it: changing it means re-fingerprinting every case.
SCHEME = "affine32"
# Shorter texts give too few shingles to say anything: they are matched by post only.
MIN_TEXT = 24


def normalise(text: str) -> str:
    """Lower case, letters and digits only, single spaces: the form shingles are taken from."""
    return re.sub(r"[^\w]+", " ", text.casefold()).strip()


def shingles(text: str) -> set[str]:
    norm = normalise(text)
    if len(norm) <= SHINGLE:
        return {norm} if norm else set()
    return {norm[i : i + SHINGLE] for i in range(len(norm) - SHINGLE + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch 2.0's affine32 permutations for SEED, drawn as it draws them: an odd `a` and
    any `b` for each of the NUM_PERM maps h -> a * h + b mod 2^32. Drawn here rather than taken
    from `datasketch.MinHash`, whose package imports scipy for its LSH classes: 57 MB in every
    web worker for two arrays (tests/test_minhash.py compares the signatures with datasketch's)."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


# A shingle's 32-bit hash, kept: the same few thousand shingles (parts of common words) recur
# in every text, and a dictionary look-up is several times cheaper than SHA-1.
_HASHES: dict[str, int] = {}
_HASHES_MAX = 500_000


def _hash(part: str) -> int:
    """datasketch's default (`sha1_hash32`): the first four bytes of SHA-1, little-endian."""
    value = _HASHES.get(part)
    if value is None:
        if len(_HASHES) >= _HASHES_MAX:
            _HASHES.clear()
        value = _HASHES[part] = int.from_bytes(hashlib.sha1(part.encode()).digest()[:4], "little")  # noqa: S324
    return value


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, which datasketch's affine32 scheme applies first."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


# Texts whose shingles are permuted together: texts share most of their shingles (parts of
# common words), so each distinct one is permuted once per batch (a few MB of hashes).
_BATCH = 512


def signatures(texts: list[set[str]]) -> np.ndarray:
    """The MinHash signature of each non-empty shingle set, one row each: the values
    datasketch's `MinHash(num_perm=128, seed=1, scheme="affine32").update_batch` gives
    (tests/test_minhash.py compares them), computed for many texts in a few array operations
    instead of one MinHash object each."""
    a, b = _permutations()
    out = np.empty((len(texts), NUM_PERM), dtype=np.uint32)
    for start in range(0, len(texts), _BATCH):
        batch = texts[start : start + _BATCH]
        index: dict[str, int] = {}
        positions = []
        for parts in batch:
            if not parts:
                raise ValueError("a signature needs at least one shingle")
            positions.append([index.setdefault(p, len(index)) for p in parts])
        unique = np.fromiter((_hash(p) for p in index), dtype=np.uint32, count=len(index))
        with np.errstate(over="ignore"):  # arithmetic modulo 2^32 is the point
            permuted = _fmix32(unique)[:, None] * a + b
        for offset, rows in enumerate(positions):
            out[start + offset] = permuted[rows].min(axis=0)
    return out


def signature(parts: set[str]) -> np.ndarray:
    return signatures([parts])[0]


def _banded(values: bytes) -> list[tuple[int, int]]:
    width = ROWS * 8
    out = []
    for band in range(BANDS):
        digest = hashlib.blake2b(values[band * width : (band + 1) * width], digest_size=8)
        out.append((band, int.from_bytes(digest.digest(), "big", signed=True)))
    return out


def bands(parts: set[str]) -> list[tuple[int, int]]:
    """(band number, signed 64-bit value) for each band of the text's signature."""
    return bands_many([parts])[0]


def bands_many(texts: list[set[str]]) -> list[list[tuple[int, int]]]:
    """`bands` for many texts at once (a dossier chunk's)."""
    if not texts:
        return []
    return [_banded(row.astype("<u8").tobytes()) for row in signatures(texts)]


def usable(text: str) -> bool:
    return len(normalise(text)) >= MIN_TEXT
