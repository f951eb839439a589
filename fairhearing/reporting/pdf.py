"""The published statistics as a PDF (tables only; the HTML page carries the charts)."""

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def _clock_stops(content: dict[str, Any]) -> str:
    """The clock-stop figures beside the tables (reports published before them have none)."""
    days = content.get("clock_stopped_days")
    if days is None:
        return ""
    shown = days["total"] if days["total"] is not None else days["note"]
    return (
        f" Days clocks stood stopped: {shown}."
        f" Clock stops escalated for their length: {content['clock_stops_escalated']}."
    )


def report_pdf(period: str, content: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=f"Complaints statistics {period}", author="Fairhearing"
    )
    story: list[Any] = [
        Paragraph(f"Complaints statistics, {period}", styles["Title"]),
        Paragraph(
            f"Received: {content['received']}. Closed: {content['closed']}. "
            f"Appeals lodged: {content['appeals_lodged']}. "
            f"Interim suspensions: {content['interim_suspensions']}." + _clock_stops(content),
            styles["Normal"],
        ),
        Spacer(1, 12),
    ]
    for table in content["tables"] + content.get("survey_tables", []) + content["limits"]:
        story.append(Paragraph(table["title"], styles["Heading3"]))
        if table["withheld"]:
            story.append(
                Paragraph(
                    "Withheld: the numbers are too small to publish safely.", styles["Normal"]
                )
            )
            continue
        rows = (
            [["", "Count"]]
            + [[r["label"], r["shown"]] for r in table["rows"]]
            + [["Total", table["total"]]]
        )
        grid = Table(rows, colWidths=[330, 80])
        grid.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                    ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black),
                    ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ]
            )
        )
        story += [grid, Spacer(1, 10)]
    head = content.get("ledger_head") or {}
    story.append(
        Paragraph(
            f"Made against the ledger's signed tree head of {head.get('tree_size')} events, root "
            f"{head.get('root_hash')}, signed {head.get('timestamp')} (key {head.get('key_id')}). "
            '"1-5" means a number from 1 to 5; "*" a number hidden so that a small one cannot be '
            "worked out.",
            styles["Normal"],
        )
    )
    doc.build(story)
    return buffer.getvalue()
