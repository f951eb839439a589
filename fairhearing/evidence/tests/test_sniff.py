import re

import pytest

from fairhearing.evidence import sniff
from fairhearing.evidence.posts import platform_of, post_key

from .files import jpeg, pdf, png

LIMIT = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("shot.png", png(), "image/png"),
        ("photo.JPG", jpeg(), "image/jpeg"),
        ("minutes.pdf", pdf(), "application/pdf"),
        ("notes.txt", "Café minutes, 3 March\n".encode(), "text/plain"),
        ("no-extension", png(), "image/png"),
    ],
)
def test_accepted_files_are_typed_from_their_content(name, data, content_type) -> None:
    assert sniff.check(name, data, max_bytes=LIMIT).content_type == content_type


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.png", b"", sniff.EMPTY),
        ("big.png", png() + b"\0" * LIMIT, "larger than 1 MB"),
        ("shot.pdf", png(), "is named .pdf but its content is a PNG image"),
        ("page.html", b"<html><script>alert(1)</script></html>", "<script"),
        ("page.txt", b"<!DOCTYPE html><p>hi", "<!doctype"),
        (
            "image.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "<svg",
        ),
        ("x.svg", b'<?xml version="1.0"?><note/>', "<?xml"),
        ("polyglot.gif", b"GIF89a/*\x00\x00*/=1;<script>alert(1)</script>", "<script"),
        ("doc.pdf", b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript >> >>", "scripts"),
        ("app.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04", "cannot accept this kind"),
        ("binary.txt", b"\x00\x01\x02\x03", "cannot accept this kind"),
    ],
)
def test_bad_files_are_refused_with_a_reason(name, data, reason) -> None:
    with pytest.raises(sniff.FileRefused, match=re.escape(reason)):
        sniff.check(name, data, max_bytes=LIMIT)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system.ini", "system.ini"),
        ("/var/www/index.txt", "index.txt"),
        ("name\r\nSet-Cookie: x.txt", "nameSet-Cookie: x.txt"),
        ("", "file"),
        ("..", "file"),
    ],
)
def test_names_never_carry_a_path(name, shown) -> None:
    assert sniff.safe_name(name) == shown


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/RowanA/status/1790",
        "https://twitter.com/rowana/status/1790?s=20&t=abc",
        "http://mobile.twitter.com/RowanA/status/1790/",
        "x.com/rowana/status/1790#reply",
        "https://www.x.com/rowana/status/1790?utm_source=share",
    ],
)
def test_every_way_of_linking_a_post_has_one_key(url) -> None:
    assert post_key(url) == "x.com/rowana/status/1790"
    assert platform_of(url) == "x"


def test_identifying_parameters_are_kept() -> None:
    assert post_key("https://www.youtube.com/watch?v=abc&t=30") == "youtube.com/watch?v=abc"
    assert post_key("https://youtu.be/abc") == "youtube.com/watch?v=abc"
    assert post_key("https://facebook.com/permalink.php?story_fbid=1&id=2") != post_key(
        "https://facebook.com/permalink.php?story_fbid=3&id=2"
    )
    assert platform_of("https://example.org/blog/1") == "other"
