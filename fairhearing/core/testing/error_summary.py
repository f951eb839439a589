"""The GOV.UK error summary lists its errors in the order the fields appear on the page.

`summary_out_of_order(html)` reads a page: the links of its error summary (`href="#id"`) and
where each of those ids sits in the page; it names the first pair listed out of page order.
"""

from __future__ import annotations

from html.parser import HTMLParser
from itertools import pairwise

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Reader(HTMLParser):
    """Collects the error summary's links and the place of every id on the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.targets: list[str] = []  # the summary's links, in their order
        self.positions: dict[str, int] = {}  # id -> its place among the page's elements
        self._depth = 0  # > 0 while inside the error summary
        self._count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._count += 1
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if self._depth:
            href = values.get("href") or ""
            if tag == "a" and href.startswith("#"):
                self.targets.append(href[1:])
            if tag not in VOID:  # a void element (<input>, <br>) never closes
                self._depth += 1
        elif "govuk-error-summary" in classes:
            self._depth = 1
            return
        element_id = values.get("id")
        if element_id and not self._depth and element_id not in self.positions:
            self.positions[element_id] = self._count

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        depth = self._depth
        self.handle_starttag(tag, attrs)
        self._depth = depth  # <br/> opens and closes at once

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag not in VOID:
            self._depth -= 1


def summary_targets(html: str) -> list[str]:
    reader = _Reader()
    reader.feed(html)
    return reader.targets


def summary_out_of_order(html: str) -> str:
    """'' if the page's error summary (if any) links its fields in page order; otherwise what
    is wrong: a link to nothing on the page, or two links listed in the wrong order."""
    reader = _Reader()
    reader.feed(html)
    places = []
    for target in reader.targets:
        if target not in reader.positions:
            return f"the error summary links to #{target}, which is not on the page"
        places.append((reader.positions[target], target))
    for (before, first), (after, second) in pairwise(places):
        if after < before:
            return (
                f"the error summary lists #{first} before #{second}, "
                f"but the page shows #{second} first"
            )
    return ""
