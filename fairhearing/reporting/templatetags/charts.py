"""Bar charts drawn on the server as SVG: they print, and need no JavaScript."""

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()
ROW, LABEL_W, BAR_W = 28, 260, 320


@register.simple_tag
def bar_chart(table: dict[str, Any], chart_id: str) -> str:
    rows = table["rows"]
    # As wide as the longest label needs (about 8 units a character at 14px), so that a chart
    # of short labels is not mostly blank space, and reads larger on a phone.
    label_w = min(LABEL_W, max(80, 8 * max((len(str(r["label"])) for r in rows), default=0)))
    numbers = [int(r["shown"]) for r in rows if r["shown"].isdigit()]
    top = max([*numbers, 5, 1])
    height = ROW * len(rows) + 10
    bars = []
    for i, row in enumerate(rows):
        y = i * ROW + 5
        shown = row["shown"]
        if shown.isdigit():
            width, fill = BAR_W * int(shown) / top, "#106165"
        elif shown == "1-5":
            width, fill = BAR_W * 3 / top, "#9cc5c7"
        else:
            width, fill = 0, "none"
        bars.append(
            (
                y + 17,
                row["label"],
                label_w + 4,
                y + 4,
                f"{width:.1f}",
                fill,
                f"{label_w + 10 + width:.1f}",
                y + 17,
                shown,
            )
        )
    body = format_html_join(
        "",
        '<text x="0" y="{}" font-size="14">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="18" fill="{}"></rect>'
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
        height,
        chart_id,
        table["title"],
        body,
    )
