import csv
import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from fairhearing.cases.models import Case, Complaint
from fairhearing.conftest import signed_in
from fairhearing.dossiers import read
from fairhearing.dossiers.importing import dossier_import
from fairhearing.dossiers.models import Dossier, DossierRow
from fairhearing.dossiers.report import neutralise, report_csv
from fairhearing.dossiers.services import DossierRefused, dossier_receive
from fairhearing.evidence.models import EvidenceItem
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify

pytestmark = pytest.mark.django_db

POST = "Anyone who votes for the motion is a traitor to this party and should be thrown out."


def row(name="Rowan Ashby", **extra):
    base = {
        "respondent_name": name,
        "category": "bullying",
        "description": f"{name} posted abuse about members who voted for the motion.",
        "url": "",
        "post_text": "",
        "conduct_date": "2025-06-01",
    }
    base.update(extra)
    return base


def to_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=read.COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow(r)
    return out.getvalue().encode()


def receive(organisation, data, name="dossier.csv"):
    return dossier_receive(
        actor=None,
        organisation=organisation,
        source_name="Campaign for Fair Branches",
        filename=name,
        data=data,
    )


def statuses(dossier):
    return {r.number: (r.status, r.reasons) for r in dossier.rows.order_by("number")}


def test_good_rows_import_and_each_bad_row_is_reported(organisation) -> None:
    future = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    rows = [
        row("Ada One", url="https://x.com/adaone/status/1", post_text=POST),
        row("", description="No respondent."),
        row("Bo Two", category="gossip"),
        row("Cy Three", conduct_date=future),
        row("Ada One", url="https://twitter.com/AdaOne/status/1?s=1", post_text=POST),
        row("Di Four", url="ftp://example.org/x"),
    ]
    data = to_csv(rows)
    # A row in Latin-1 inside a UTF-8 file: that row alone is rejected.
    data += "Éamon Five,,,bullying,post,,,,,,Posted abuse about the vote.,\n".encode("latin-1")
    dossier, created = receive(organisation, data)
    assert created and dossier.total_rows == 7
    dossier = dossier_import(dossier=dossier)
    result = statuses(dossier)
    assert result[1] == ("accepted", [])
    assert result[2][0] == "rejected" and "Missing respondent_name." in result[2][1]
    assert result[3][0] == "rejected" and "Unknown category 'gossip'" in result[3][1][0]
    assert result[4] == ("rejected", ["conduct_date is in the future."])
    assert result[5] == ("rejected", ["Duplicate row: the same as row 1."])
    assert result[6][0] == "rejected" and "not a web address" in result[6][1][0]
    assert result[7] == ("rejected", [read.BAD_ENCODING])
    assert dossier.status == Dossier.Status.DONE
    complaint = DossierRow.objects.get(dossier=dossier, number=1).complaint
    assert complaint is not None
    case = complaint.cases.get()
    [capture] = EvidenceItem.objects.filter(case=case)
    assert capture.captured_text == POST and capture.source == "dossier"
    assert Case.objects.count() == 1
    [received] = Event.objects.filter(kind=EventKind.DOSSIER_RECEIVED)
    assert received.payload["sha256"] == dossier.sha256 and received.payload["rows"] == 7
    [finished] = Event.objects.filter(kind=EventKind.DOSSIER_FINISHED)
    assert (finished.payload["accepted"], finished.payload["rejected"]) == (1, 6)
    assert ledger_verify().ok


def test_the_same_dossier_twice_creates_nothing_new(organisation) -> None:
    data = to_csv([row("Ada One"), row("Bo Two")])
    first, _ = receive(organisation, data)
    dossier_import(dossier=first)
    counts = (Complaint.objects.count(), Case.objects.count(), Event.objects.count())
    again, created = receive(organisation, data, name="renamed.csv")
    assert not created and again.pk == first.pk
    dossier_import(dossier=again)
    assert (Complaint.objects.count(), Case.objects.count(), Event.objects.count()) == counts


def test_rows_about_open_cases_join_them_as_duplicates(organisation) -> None:
    first, _ = receive(
        organisation, to_csv([row("Ada One", url="https://x.com/adaone/status/9", post_text=POST)])
    )
    dossier_import(dossier=first)
    case = Case.objects.get()
    second, _ = receive(
        organisation,
        to_csv(
            [
                row("ada one", url="https://mobile.twitter.com/AdaOne/status/9/"),
                row("Ada One", post_text=POST.upper() + "!!"),
                row("Bo Two", url="https://x.com/botwo/status/3"),
            ]
        ),
        name="second.csv",
    )
    dossier = dossier_import(dossier=second)
    rows = {r.number: r for r in dossier.rows.all()}
    assert rows[1].status == "duplicate" and rows[1].duplicate_of == case
    assert rows[2].status == "duplicate" and rows[2].duplicate_of == case
    assert rows[3].status == "accepted"
    assert case.complaints.count() == 3
    assert Case.objects.count() == 2
    assert EvidenceItem.objects.filter(case=case).count() == 1  # the post captured once


def test_an_interrupted_import_resumes_without_duplicates(organisation) -> None:
    data = to_csv([row(f"Person {i}") for i in range(1, 8)])
    dossier, _ = receive(organisation, data)

    class Crash(Exception):
        pass

    def crash_after_first_chunk(done: int, total: int) -> None:
        raise Crash

    with pytest.raises(Crash):
        dossier_import(dossier=dossier, chunk=3, progress=crash_after_first_chunk)
    assert dossier.rows.count() == 3
    assert Case.objects.count() == 3
    dossier = dossier_import(dossier=dossier, chunk=3)
    assert dossier.rows.count() == 7
    assert Case.objects.count() == 7
    assert sorted(dossier.rows.values_list("number", flat=True)) == list(range(1, 8))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", read.EMPTY),
        (b"respondent_name,category\nAda,bullying\n", "lacks the column(s) description"),
        (b"respondent_name,category,description\n", read.NO_ROWS),
        (b'[{"respondent_name": "Ada"', "The JSON is not valid"),
        (b'{"rows": 3}', read.NOT_A_TABLE),
        (b"PK\x03\x04not really a zip", "The spreadsheet cannot be read"),
        # Files that are not tables at all say which files are, not which columns are missing.
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "upload a CSV file (UTF-8), an Excel"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "upload a CSV file (UTF-8), an Excel"),
        (b"%PDF-1.7\n%binary", "upload a CSV file (UTF-8), an Excel"),
    ],
)
def test_unreadable_files_are_refused_and_write_nothing(organisation, data, reason) -> None:
    with pytest.raises(DossierRefused, match=reason.replace("(", r"\(").replace(")", r"\)")):
        receive(organisation, data)
    assert Dossier.objects.count() == 0
    assert not Event.objects.filter(kind=EventKind.DOSSIER_RECEIVED).exists()


def test_xlsx_and_json_dossiers(organisation) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(read.COLUMNS)
    values = row("Xena Sheet")
    sheet.append([values.get(c, "") for c in read.COLUMNS])
    sheet.append(
        ["Yusuf Sheet", "", "", "Bullying or harassment", "post", dt.date(2025, 1, 2)]
        + [""] * 4
        + ["Described in a spreadsheet.", ""]
    )
    out = io.BytesIO()
    book.save(out)
    dossier, _ = receive(organisation, out.getvalue(), name="d.xlsx")
    assert dossier.file_format == "xlsx"
    assert statuses(dossier_import(dossier=dossier)) == {1: ("accepted", []), 2: ("accepted", [])}
    as_json = json.dumps({"rows": [row("Zoe Json")]}).encode()
    dossier, _ = receive(organisation, as_json, name="d.json")
    assert dossier.file_format == "json"
    assert statuses(dossier_import(dossier=dossier)) == {1: ("accepted", [])}


def test_the_report_neutralises_formulas(organisation) -> None:
    dossier, _ = receive(
        organisation,
        to_csv([row('=HYPERLINK("http://evil.example","x")', description="+SUM(A1:A2)")]),
    )
    dossier_import(dossier=dossier)
    report = report_csv(dossier)
    lines = list(csv.reader(io.StringIO(report)))
    assert lines[0][:6] == ["row", "status", "outcome", "case", "duplicate_of", "reasons"]
    assert lines[1][6].startswith("'=HYPERLINK")
    assert all(not cell.startswith(("=", "+", "-", "@")) for line in lines for cell in line)
    for value, shown in [("=1+1", "'=1+1"), ("-2", "'-2"), ("@x", "'@x"), ("ok", "ok")]:
        assert neutralise(value) == shown


def test_command_imports_with_a_progress_bar(organisation, tmp_path, capsys) -> None:
    path = tmp_path / "dossier.csv"
    path.write_bytes(to_csv([row("Ada One"), row("", description="x")]))
    call_command("dossier", "import", str(path), "--source", "Campaign for Fair Branches")
    captured = capsys.readouterr()
    assert "2/2 rows" in captured.err and "100%" in captured.err
    assert "1 accepted, 0 duplicates, 1 rejected" in captured.out
    call_command("dossier", "import", str(path), "--source", "Campaign for Fair Branches")
    assert "imported before" in capsys.readouterr().out
    assert Case.objects.count() == 1


def test_pages_upload_progress_report_and_templates(
    organisation, case_officer, investigator, django_capture_on_commit_callbacks
):
    client = signed_in(case_officer)
    upload = io.BytesIO(to_csv([row("Ada One"), row("Bo Two", category="nope")]))
    upload.name = "branch-dossier.csv"
    with django_capture_on_commit_callbacks(execute=True):  # the import task, once committed
        response = client.post(
            reverse("dossiers:list"), {"source_name": "Campaign for Fair Branches", "file": upload}
        )
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:detail", args=[dossier.pk])
    page = client.get(response["Location"]).content.decode()
    assert "1 accepted, 0 duplicates, 1 rejected" in page
    assert "Unknown category" in page
    report = client.get(reverse("dossiers:report", args=[dossier.pk]))
    assert report["Content-Disposition"].startswith("attachment")
    assert "rejected" in report.content.decode()
    template = client.get(reverse("dossiers:template", args=["xlsx"]))
    header = [c.value for c in next(load_workbook(io.BytesIO(template.content)).active.iter_rows())]
    assert header == read.COLUMNS
    empty = io.BytesIO(b"")
    empty.name = "empty.csv"
    bad = client.post(reverse("dossiers:list"), {"source_name": "X", "file": empty})
    assert bad.status_code == 400
    assert signed_in(investigator).get(reverse("dossiers:list")).status_code == 403


# --- several respondents in one row (R-04) -----------------------------------------------------


def test_a_row_naming_two_people_opens_a_case_for_each_and_says_so(
    organisation, case_officer
) -> None:
    from fairhearing.api.tests.test_api import api_for

    two = row(
        "Ada One; Bo Two",
        respondent_membership_number="M1;M2",
        url="https://x.com/adaone/status/4",
        post_text=POST,
    )
    data = to_csv([two, row("Cy Three\nDi Four", respondent_branch="Harbour")])
    dossier, _ = receive(organisation, data)
    dossier = dossier_import(dossier=dossier)
    first, second = dossier.rows.order_by("number")
    assert (first.status, second.status) == ("accepted", "accepted")
    assert first.complaint is not None and second.complaint is not None
    ada, bo = first.complaint.cases.order_by("pk")
    assert (ada.respondent.full_name, ada.respondent.membership_number) == ("Ada One", "M1")
    assert (bo.respondent.full_name, bo.respondent.membership_number) == ("Bo Two", "M2")
    # One complaint, each case holding it and the post captured on each.
    assert list(ada.complaints.all()) == list(bo.complaints.all()) == [first.complaint]
    assert [EvidenceItem.objects.filter(case=c).count() for c in (ada, bo)] == [1, 1]
    cy, di = second.complaint.cases.order_by("pk")
    assert [str(c.respondent.branch) for c in (cy, di)] == ["Harbour", "Harbour"]
    words = f"2 cases opened: {ada.reference} (Ada One), {bo.reference} (Bo Two)"
    # In words on the page, in the CSV report and on the API.
    page = signed_in(case_officer).get(reverse("dossiers:detail", args=[dossier.pk]))
    assert words in _text_only(page.content.decode())
    report = list(csv.DictReader(io.StringIO(report_csv(dossier))))
    assert report[0]["outcome"] == words
    assert report[0]["case"] == f"{ada.reference}, {bo.reference}"
    rows = api_for(case_officer).get(f"/dossiers/{dossier.pk}/rows").json()
    assert rows[0]["outcome"] == words and rows[0]["cases"] == [ada.reference, bo.reference]
    # The timeline's ledger: one complaint received, naming two people.
    received = Event.objects.filter(kind=EventKind.COMPLAINT_RECEIVED).order_by("seq")
    assert [e.payload["respondents"] for e in received] == [2, 2]
    assert ledger_verify().ok


def _text_only(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_the_same_people_about_the_same_post_again_create_nothing_new(organisation) -> None:
    two = row("Ada One; Bo Two", url="https://x.com/adaone/status/4", post_text=POST)
    first, _ = receive(organisation, to_csv([two]))
    dossier_import(dossier=first)
    counts = (Complaint.objects.count(), Case.objects.count(), Event.objects.count())
    again, created = receive(organisation, to_csv([two]), name="again.csv")
    assert not created
    dossier_import(dossier=again)
    assert (Complaint.objects.count(), Case.objects.count(), Event.objects.count()) == counts
    # Another file with the same row: a new complaint joining both cases, no new case.
    ada, bo = Case.objects.order_by("pk")
    other, _ = receive(organisation, to_csv([two, row("Cy Three")]), name="other.csv")
    other = dossier_import(dossier=other)
    joined = other.rows.get(number=1)
    assert joined.status == "duplicate" and joined.duplicate_of == ada
    assert Case.objects.count() == 3
    report = list(csv.DictReader(io.StringIO(report_csv(other))))
    assert report[0]["outcome"] == (
        f"Joined {ada.reference} (Ada One), {bo.reference} (Bo Two), already open about the same"
        " post"
    )


@pytest.mark.parametrize(
    ("cell", "extra", "reason"),
    [
        (
            "Hal Eight & Ivy Nine",
            {},
            read.AMBIGUOUS_RESPONDENT.format(value="Hal Eight & Ivy Nine"),
        ),
        ("Marks & Spencer", {}, read.AMBIGUOUS_RESPONDENT.format(value="Marks & Spencer")),
        (
            "Hal Eight and Ivy Nine",
            {},
            read.AMBIGUOUS_RESPONDENT.format(value="Hal Eight and Ivy Nine"),
        ),
        (
            "Hal Eight / Ivy Nine",
            {},
            read.AMBIGUOUS_RESPONDENT.format(value="Hal Eight / Ivy Nine"),
        ),
        ("Hal Eight, Ivy Nine", {}, read.AMBIGUOUS_COMMAS.format(value="Hal Eight, Ivy Nine")),
        ("Eight, Hal, Nine", {}, read.AMBIGUOUS_COMMAS.format(value="Eight, Hal, Nine")),
        ("Hal Eight; hal  eight", {}, read.SAME_RESPONDENT_TWICE.format(name="hal  eight")),
        (
            "Hal Eight; Ivy Nine",
            {"respondent_membership_number": "M8"},
            read.RESPONDENTS_MISMATCH.format(
                names=2, column="respondent_membership_number", given=1
            ),
        ),
        (
            "Hal Eight; Ivy Nine; Jo Ten",
            {"respondent_branch": "Harbour; Quay"},
            read.RESPONDENTS_MISMATCH.format(names=3, column="respondent_branch", given=2),
        ),
        (
            "; ".join(f"Person {i}" for i in range(11)),
            {},
            read.TOO_MANY_RESPONDENTS.format(limit=10),
        ),
        (" ; \n", {}, read.MISSING.format(column="respondent_name")),
    ],
)
def test_a_row_that_cannot_be_split_safely_is_rejected_with_its_reason(
    organisation, cell, extra, reason
) -> None:
    dossier, _ = receive(organisation, to_csv([row(cell, **extra)]))
    dossier = dossier_import(dossier=dossier)
    assert statuses(dossier) == {1: ("rejected", [reason])}
    assert Case.objects.count() == 0


def test_a_surname_first_name_is_one_person(organisation) -> None:
    dossier, _ = receive(organisation, to_csv([row("Ashby, Rowan")]))
    dossier = dossier_import(dossier=dossier)
    assert statuses(dossier) == {1: ("accepted", [])}
    assert Case.objects.get().respondent.full_name == "Ashby, Rowan"
