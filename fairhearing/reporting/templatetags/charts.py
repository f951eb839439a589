"""Bar charts drawn on the server as SVG: they print, and need no JavaScript."""

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()
ROW, LINE, LABEL_W, BAR_W = 28, 18, 260, 320
CHAR_W = 8  # about 8 units a character at 14px


def _lines(label: str, limit: int) -> list[str]:
    """`label` in lines of at most `limit` characters, broken between words (a word longer
    than a line keeps a line of its own): a long label, as Welsh ones often are, wraps under
    itself instead of running into its bar."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _label(lines: list[str], y: int) -> SafeString:
    spans = format_html_join(
        "",
        '<tspan x="0" dy="{}">{}</tspan>',
        ((0 if i == 0 else LINE, line) for i, line in enumerate(lines)),
    )
    return format_html('<text x="0" y="{}" font-size="14">{}</text>', y, spans)


@register.simple_tag
def bar_chart(table: dict[str, Any], chart_id: str) -> str:
    rows = table["rows"]
    limit = LABEL_W // CHAR_W
    labelled = [(row, _lines(str(row["label"]), limit)) for row in rows]
    # As wide as the longest line needs, so that a chart of short labels is not mostly blank
    # space, and reads larger on a phone.
    longest = max((len(line) for _, lines in labelled for line in lines), default=0)
    label_w = min(LABEL_W, max(80, CHAR_W * longest))
    numbers = [int(r["shown"]) for r in rows if r["shown"].isdigit()]
    top = max([*numbers, 5, 1])
    bars = []
    y = 5
    for row, lines in labelled:
        shown = row["shown"]
        if shown.isdigit():
            width, fill = BAR_W * int(shown) / top, "#106165"
        elif shown == "1-5":
            width, fill = BAR_W * 3 / top, "#9cc5c7"
        else:
            width, fill = 0, "none"
        bars.append(
            (
                _label(lines, y + 17),
                label_w + 4,
                y + 4,
                f"{width:.1f}",
                fill,
                f"{label_w + 10 + width:.1f}",
                y + 17,
                shown,
            )
        )
        y += ROW + LINE * (len(lines) - 1)
    body = format_html_join(
        "",
        '{}<rect x="{}" y="{}" width="{}" height="18" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="14">{}</text>',
        bars,
    )
    return format_html(
        '<svg class="fh-chart" role="img" aria-labelledby="{}-title" width="100%" '
        'viewBox="0 0 {} {}" xmlns="http://www.w3.org/2000/svg" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif">'
        '<title id="{}-title">{}</title>{}</svg>',
        chart_id,
        label_w + BAR_W + 80,
        y + 5,
        chart_id,
        table["title"],
        body,
    )
