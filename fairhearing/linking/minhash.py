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
from datasketch import MinHash

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
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def signature(parts: set[str]) -> np.ndarray:
    m = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_permutations(), scheme=SCHEME)
    m.update_batch([p.encode() for p in parts])
    return m.hashvalues


def bands(parts: set[str]) -> list[tuple[int, int]]:
    """(band number, signed 64-bit value) for each band of the text's signature."""
    values = signature(parts).astype("<u8").tobytes()
    width = ROWS * 8
    out = []
    for band in range(BANDS):
        digest = hashlib.blake2b(values[band * width : (band + 1) * width], digest_size=8)
        out.append((band, int.from_bytes(digest.digest(), "big", signed=True)))
    return out


def usable(text: str) -> bool:
    return len(normalise(text)) >= MIN_TEXT
