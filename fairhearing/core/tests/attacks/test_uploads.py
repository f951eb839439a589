"""Upload attacks through every upload route, over HTTP: HTML and SVG with script, polyglots
(an image or PDF header with markup after it), a PDF with a JavaScript action, a
path-traversal name, a name that disagrees with the content, and an oversized file. Each is
refused beside its field and stores nothing; a traversal name on a good file never reaches the
filesystem (bytes live under their SHA-256 in EVIDENCE_ROOT, the name is only shown).

`evidence/tests/test_sniff.py` pins the sniffer itself; this file pins that every route goes
through it (a new form with a FileField fails `test_every_upload_form_is_attacked` until it is
added here). Checked that it can fail: with `sniff.check`'s script-marker loop emptied,
`test_every_attack_is_refused...` failed at once ('evidence:add_file', 'png polyglot': 302, stored);
restored.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fairhearing.cases.models import Case
from fairhearing.conftest import signed_in, walk
from fairhearing.dossiers.models import Dossier
from fairhearing.evidence.models import EvidenceItem
from fairhearing.evidence.tests.files import pdf, png
from fairhearing.intake.tests.test_anonymous import FORM, report_directly
from fairhearing.people.models import Person, person_hash
from fairhearing.workflow.sign_in import sign_in_link_send

from .world import World, build_world, new_case, snapshot

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>window.__xss=1</script>"
ATTACKS: dict[str, tuple[str, bytes]] = {
    "html": ("page.html", b"<!doctype html><html><body>" + SCRIPT + b"</body></html>"),
    "html named png": ("shot.png", b"<html><body>" + SCRIPT + b"</body></html>"),
    "svg": (
        "chart.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="window.__xss=1"><script>x</script></svg>',
    ),
    "svg named png": ("chart.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
    "png polyglot": ("shot.png", png() + b"<html>" + SCRIPT),
    "gif polyglot": ("anim.gif", b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;" + SCRIPT),
    "pdf polyglot": ("minutes.pdf", pdf() + b"\n<html>" + SCRIPT),
    "pdf with javascript": (
        "minutes.pdf",
        pdf().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript >>"),
    ),
    "text with script": ("notes.txt", b"Minutes of the meeting.\n" + SCRIPT),
    "name disagrees": ("minutes.pdf", png()),
    "oversized": ("big.png", png() + b"\0" * 4096),
}
COLOURS = ["red", "green", "blue", "yellow", "purple", "orange", "teal", "navy"]
SMALL_LIMIT = 2048  # EVIDENCE_MAX_BYTES in these tests, so "oversized" is over it


@dataclass
class UploadRoute:
    who: Callable[[World], Any]  # None: a visitor
    url: Callable[[World], str]
    field: str
    data: dict[str, Any]
    form: type[forms.Form]
    # The public forms keep a good file until the person has checked their answers: this
    # page then sends it (and the file becomes evidence).
    then: Callable[[World], str] | None = None


def _forms() -> dict[str, type[forms.Form]]:
    from fairhearing.dossiers.forms import DossierForm
    from fairhearing.evidence.forms import FileEvidenceForm, PostEvidenceForm
    from fairhearing.intake.forms import (
        AnonymousComplaintForm,
        ComplaintForm,
        ReporterEvidenceForm,
    )
    from fairhearing.portal.forms import ReplyForm

    return {
        "ReplyForm": ReplyForm,
        "FileEvidenceForm": FileEvidenceForm,
        "PostEvidenceForm": PostEvidenceForm,
        "AnonymousComplaintForm": AnonymousComplaintForm,
        "ComplaintForm": ComplaintForm,
        "ReporterEvidenceForm": ReporterEvidenceForm,
        "DossierForm": DossierForm,
    }


F = _forms()
UPLOAD_ROUTES: dict[str, UploadRoute] = {
    "evidence:add_file": UploadRoute(
        lambda w: w.officer,
        lambda w: reverse("evidence:add_file", args=[w.a.reference]),
        "file",
        {"description": "Evidence"},
        F["FileEvidenceForm"],
    ),
    "evidence:add_post": UploadRoute(
        lambda w: w.officer,
        lambda w: reverse("evidence:add_post", args=[w.a.reference]),
        "screenshot",
        {"captured_text": "The post.", "url": "https://x.com/rowan/status/1"},
        F["PostEvidenceForm"],
    ),
    "intake:anonymous": UploadRoute(
        lambda w: None,
        lambda w: reverse("intake:anonymous"),
        "file",
        FORM,
        F["AnonymousComplaintForm"],
        then=lambda w: reverse("intake:anonymous_check"),
    ),
    "intake:form": UploadRoute(
        lambda w: None,
        lambda w: reverse("intake:form"),
        "file",
        {
            **FORM,
            "complainant_name": "Priya Callender",
            "complainant_email": "priya@example.invalid",
            "complainant_is_member": "no",
        },
        F["ComplaintForm"],
        then=lambda w: reverse("intake:check"),
    ),
    "intake:report_evidence": UploadRoute(
        lambda w: "reporter",
        lambda w: reverse("intake:report_evidence"),
        "file",
        {"description": "More"},
        F["ReporterEvidenceForm"],
    ),
    "portal:reply": UploadRoute(
        lambda w: "respondent",
        lambda w: reverse("portal:reply", args=[_at_notice(w).reference]),
        "attachments",
        {"text": "I deny it."},
        F["ReplyForm"],
    ),
}
# Dossiers are spreadsheets, not evidence: their own reader refuses anything else.
DOSSIER_ROUTE = UploadRoute(
    lambda w: w.officer,
    lambda w: reverse("dossiers:list"),
    "file",
    {"source_name": "Campaign for Fair Branches"},
    F["DossierForm"],
)
# Forms with a file field that are not evidence: the recommendations import (CSV/JSON, for
# administrators, behind re-authentication) is read as data and never served.
NOT_SERVED = {"RecommendationsImportForm"}


def test_every_upload_form_is_attacked() -> None:
    import importlib

    found = set()
    for app in ("evidence", "intake", "dossiers", "reporting", "portal", "cases", "interests"):
        module = importlib.import_module(f"fairhearing.{app}.forms")
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
                and any(isinstance(f, forms.FileField) for f in value.base_fields.values())  # type: ignore[attr-defined]
            ):
                found.add(name)
    attacked = {r.form.__name__ for r in [*UPLOAD_ROUTES.values(), DOSSIER_ROUTE]}
    assert found - attacked - NOT_SERVED == set()


def _at_notice(world: World) -> Case:
    """A case of the world's at the notice stage, its respondent able to reply (by email)."""
    name = "Tamsin Okoro"
    found = Case.objects.filter(
        organisation=world.org, respondent__full_name_hash=person_hash("full_name", name)
    ).first()
    if found is not None:
        return found
    case = new_case(world.org, name)
    Person.objects.filter(pk=case.respondent_id).update(email="tamsin@example.invalid")
    case.respondent.refresh_from_db()
    return walk(case, world.officer, "acknowledge", "begin_assessment", "assess_investigate")


def client_for(route: UploadRoute, world: World, organisation) -> Client:
    who = route.who(world)
    if who == "respondent":
        case = _at_notice(world)
        sign_in_link_send(actor=None, case=case, person=case.respondent)
        link = re.search(r"/portal/sign-in/[^/\s]+/", str(mail.outbox[-1].body))
        assert link is not None
        client = Client()
        assert client.post(link.group(0)).status_code == 302
        return client
    if who == "reporter":
        code = str(report_directly(organisation).code)
        client = Client()
        assert client.post(reverse("intake:report"), {"code": code}).status_code == 302
        return client
    return signed_in(who) if who is not None else Client()


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def world(organisation, settings) -> World:
    settings.EVIDENCE_MAX_BYTES = SMALL_LIMIT
    return build_world(organisation)


def test_every_attack_is_refused_on_every_evidence_route(world, organisation, settings) -> None:
    root = Path(settings.EVIDENCE_ROOT)
    staged = Path(settings.UPLOAD_STAGING_ROOT)
    for name, route in UPLOAD_ROUTES.items():
        client = client_for(route, world, organisation)
        for attack, (filename, data) in ATTACKS.items():
            before, stored = snapshot(), files_under(root) | files_under(staged)
            upload = SimpleUploadedFile(filename, data, content_type="image/png")
            response = client.post(route.url(world), {**route.data, route.field: upload})
            assert response.status_code == 400, (name, attack, response.status_code)
            beside = re.search(rf'id="[^"]*{route.field}-error"', response.content.decode())
            assert beside, (name, attack, "no error beside the field")
            assert snapshot() == before, (name, attack)
            assert files_under(root) | files_under(staged) == stored, (name, attack)


@pytest.mark.parametrize("traversal", ["../../../etc/cron.d/x.png", "..\\..\\win.png", "/abs.png"])
def test_a_traversal_name_never_reaches_the_filesystem(world, organisation, settings, traversal):
    root = Path(settings.EVIDENCE_ROOT)
    staged = Path(settings.UPLOAD_STAGING_ROOT)
    outside = root.parent
    staged.mkdir(parents=True, exist_ok=True)  # the one other place a file may wait

    def elsewhere() -> set[Path]:
        return {p for p in outside.rglob("*") if not {root, staged} & {*p.parents, p}}

    assert len(UPLOAD_ROUTES) <= len(COLOURS)  # a different file each: none stored already
    for (name, route), colour in zip(UPLOAD_ROUTES.items(), COLOURS, strict=False):
        client = client_for(route, world, organisation)
        before_outside = elsewhere()
        upload = SimpleUploadedFile(traversal, png(colour=colour), content_type="image/png")
        response = client.post(route.url(world), {**route.data, route.field: upload})
        assert response.status_code == 302, (name, response.status_code)
        if route.then is not None:
            assert len(files_under(staged)) == 1, name  # kept, under a name of its own
            assert client.post(route.then(world)).status_code == 302, name
            assert files_under(staged) == set(), (name, "left waiting once sent")
        item = EvidenceItem.objects.order_by("-pk").first()
        assert item is not None and "/" not in item.original_name and ".." not in item.original_name
        assert "\\" not in item.original_name
        assert elsewhere() == before_outside, name
        for path in files_under(root):
            assert path.resolve().is_relative_to(root.resolve())


def test_dossier_uploads_refuse_markup_and_oversize(world, organisation, monkeypatch) -> None:
    from fairhearing.dossiers import services as dossier_services

    monkeypatch.setattr(dossier_services, "MAX_BYTES", SMALL_LIMIT)
    client = client_for(DOSSIER_ROUTE, world, organisation)
    for attack, (filename, data) in ATTACKS.items():
        before = Dossier.objects.count()
        upload = SimpleUploadedFile(filename, data, content_type="text/csv")
        response = client.post(DOSSIER_ROUTE.url(world), {**DOSSIER_ROUTE.data, "file": upload})
        assert response.status_code == 400, (attack, response.status_code)
        assert Dossier.objects.count() == before, attack
    # A traversal name: the multipart parser keeps only the last part of it.
    data = b"respondent_name,category,description\nNell Quarry,bullying,Abuse.\n"
    upload = SimpleUploadedFile("../../x.csv", data, "text/csv")
    response = client.post(DOSSIER_ROUTE.url(world), {**DOSSIER_ROUTE.data, "file": upload})
    assert response.status_code == 302
    assert Dossier.objects.order_by("-pk").values_list("filename", flat=True)[0] == "x.csv"
