"""Receipt codes: format, entropy, normalisation, and the hash that is all we keep."""

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairhearing.intake import receipts
from fairhearing.intake.receipts import (
    ALPHABET,
    ReceiptCode,
    ReceiptMalformed,
    receipt_code_new,
    receipt_code_parse,
)

SHOWN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$")


def test_the_alphabet_is_crockfords_base32() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)


def test_a_code_is_an_8_character_locator_and_an_80_bit_secret_shown_in_groups() -> None:
    code = receipt_code_new()
    assert len(code.locator) == 8 and len(code.secret) == 16
    assert set(code.locator + code.secret) <= set(ALPHABET)
    assert SHOWN.match(str(code)), str(code)
    assert len(code.secret) * math.log2(len(ALPHABET)) >= 80 == receipts.SECRET_BITS
    assert code.secret not in repr(code)  # never in a log line or traceback by accident


def test_codes_are_drawn_uniformly_and_never_repeat() -> None:
    codes = [receipt_code_new() for _ in range(2000)]
    assert len({c.secret for c in codes}) == len({c.locator for c in codes}) == 2000
    symbols = "".join(c.secret for c in codes)  # 32,000 symbols: each expected 1,000 times
    counts = [symbols.count(s) for s in ALPHABET]
    assert min(counts) > 800 and max(counts) < 1200


def test_what_is_typed_back_is_normalised() -> None:
    code = ReceiptCode(locator="0123ABCD", secret="EFGH1JKM0NPQRSTV")
    assert receipt_code_parse("0123-ABCD-EFGH-1JKM-0NPQ-RSTV") == code
    assert receipt_code_parse(" o123 abcd efgh ijkm onpq rstv ") == code  # O for 0, I for 1
    assert receipt_code_parse("O123abcdefghLjkmOnpqrstv") == code  # L for 1, no separators
    assert receipt_code_parse("0123\u2013ABCD\u2013EFGH\u20131JKM\u20130NPQ\u2013RSTV") == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0123-ABCD-EFGH-1JKM-0NPQ-RST",
        "0123-ABCD-EFGH-1JKM-0NPQ-RSTVW",
        "U123ABCDEFGH1JKM0NPQRSTV",
    ],
)
def test_anything_else_is_malformed(text: str) -> None:
    with pytest.raises(ReceiptMalformed):
        receipt_code_parse(text)


@given(
    st.text(alphabet=ALPHABET, min_size=24, max_size=24),
    st.lists(st.sampled_from([" ", "-", "", "  "]), min_size=24, max_size=24),
    st.lists(st.booleans(), min_size=24, max_size=24),
)
def test_any_casing_and_spacing_of_a_code_reads_back_as_it(plain, gaps, lower) -> None:
    code = ReceiptCode(locator=plain[:8], secret=plain[8:])
    typed = "".join(
        (ch.lower() if low else ch) + gap for ch, gap, low in zip(plain, gaps, lower, strict=True)
    )
    assert receipt_code_parse(typed) == code
    assert receipt_code_parse(str(code)) == code


def test_only_an_argon2id_hash_of_the_secret_is_kept() -> None:
    code = receipt_code_new()
    stored = receipts.secret_hash(code.secret)
    assert stored.startswith("$argon2id$") and code.secret not in stored
    assert receipts.secret_matches(code.secret, stored)
    assert not receipts.secret_matches(receipt_code_new().secret, stored)
    assert not receipts.secret_matches(code.secret, "not a hash")
    assert not receipts.secret_check_nothing(code.secret)
