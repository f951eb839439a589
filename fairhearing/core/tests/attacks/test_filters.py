"""SQL metacharacters, wildcards, NUL, very long and odd unicode values in every GET filter
and free path segment: never a 5xx, and never a wider result than an honest value gives.

Runs on SQLite and PostgreSQL (PostgreSQL refuses NUL in text, which used to surface as a
500 on every case route and API filter; `core.middleware.NulMiddleware` answers 404 for one
in a path and removes it from a query string, `api.core.StrictSchema` removes it from a
body). Checked that it can fail: with NulMiddleware taken out of MIDDLEWARE,
`test_case_filters...` and `test_path_segments...` failed on PostgreSQL on '\\x00'; with
`case_list`'s check on the assignee's length removed, `test_case_filters...` failed with
OverflowError on SQLite; with the ledger view's `size.isascii()` removed,
`test_public_parameters...` failed with ValueError on '²' on both databases; all restored.
"""

import re
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from fairhearing.conftest import signed_in
from fairhearing.dossiers.importing import dossier_import
from fairhearing.dossiers.models import DossierRow
from fairhearing.dossiers.services import dossier_receive
from fairhearing.people.models import person_hash

from .world import build_world

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "' OR 1=1 --",
    "' OR '1'='1",
    '"; DROP TABLE cases_case; --',
    "1) OR (1=1",
    "%",
    "_",
    "FH-%",
    "FH-2026-0000_",
    "*",
    "\\",
    "\\%",
    "\x00",
    "FH\x00-2026",
    "A" * 5000,
    "9" * 400,
    "-1",
    "²",
    "ẞ€\U0001d518🙂\u202e",  # a capital sharp s, a mathematical letter, a right-to-left mark
    "<script>",
]
REFERENCE = re.compile(r"\b(?:FH|EM)-\d{4}-\d{5}\b")
# Payloads that are an honest search once their NULs are removed (the start of every
# reference here), and what they must show no more than.
STRIPPED = {"FH\x00-2026": "FH-2026"}


def references_on(response) -> set[str]:
    return set(REFERENCE.findall(response.content.decode(errors="replace")))


@pytest.fixture
def world(organisation):
    return build_world(organisation)


def test_case_filters_in_the_list_and_the_api(world) -> None:
    visible = {world.a.reference, world.c.reference}  # b is another officer's, foreign elsewhere
    client = signed_in(world.officer)
    honest = client.get("/cases/", {"search": "FH-2026-99999"})
    assert honest.status_code == 200 and not references_on(honest) & (visible | {world.b.reference})
    # Everything the officer may see (with no parameters at all, the list opens on their own
    # cases: the "Assigned to me" queue).
    unfiltered = client.get("/cases/", {"queue": "all"})
    bearer: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {world.bearer}"}
    for payload in PAYLOADS:
        for param in ("search", "stage", "category", "assignee", "overdue", "page"):
            response = client.get("/cases/", {param: payload})
            assert response.status_code < 500, (param, payload)
            shown = references_on(response)
            assert world.b.reference not in shown and world.foreign.reference not in shown
            if param == "search" and response.status_code == 200 and len(payload) <= 40:
                # No wildcard matches: an accepted search shows what an unknown reference
                # does (a NUL is removed, so NULs alone are no search at all).
                expected = honest if payload.replace("\x00", "").strip() else unfiltered
                if payload in STRIPPED:
                    expected = client.get("/cases/", {"search": STRIPPED[payload]})
                assert shown <= references_on(expected), (payload, shown)
            htmx = client.get("/cases/", {param: payload}, HTTP_HX_REQUEST="true")
            assert htmx.status_code < 500, (param, payload)
        for param in ("search", "stage", "category", "assignee", "cursor", "limit"):
            response = Client().get("/api/v1/cases", {param: payload}, **bearer)
            assert response.status_code < 500, (param, payload)
            if response.status_code == 200:
                items = {i["reference"] for i in response.json()["items"]}
                if param == "search" and payload in STRIPPED:
                    honest_items = Client().get(
                        "/api/v1/cases", {param: STRIPPED[payload]}, **bearer
                    )
                    assert items <= {i["reference"] for i in honest_items.json()["items"]}
                elif param in {"search", "stage", "category"} and payload.strip("\x00"):
                    assert items == set(), (param, payload, items)
                assert world.b.reference not in items and world.foreign.reference not in items


def test_searching_for_a_wildcard_finds_nothing_an_exact_search_would_not(world) -> None:
    client = signed_in(world.officer)
    exact = references_on(client.get("/cases/", {"search": world.a.reference}))
    assert world.a.reference in exact
    for wildcard in ("%", "_", "FH-%", world.a.reference[:-1] + "_", "*"):
        found = references_on(client.get("/cases/", {"search": wildcard}))
        assert world.a.reference not in found and world.c.reference not in found, wildcard


def test_path_segments_never_break_a_query(world) -> None:
    client = signed_in(world.officer)
    for payload in PAYLOADS:
        segment = quote(payload, safe="")
        for url in (
            f"/cases/{segment}/",
            f"/cases/{segment}/evidence/",
            f"/cases/{world.a.reference}/act/{quote(payload.strip(), safe='')}/",
            f"/cases/{world.a.reference}/evidence/bundle/{segment}/",
            f"/cases/{world.a.reference}/related/{segment}/",
            f"/portal/cases/{segment}/",
            f"/statistics/{segment}/",
            f"/statistics/2026-Q1.{segment}",
            f"/api/v1/cases/{segment}",
            f"/api/v1/cases/{segment}/evidence",
        ):
            response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {world.bearer}")
            assert response.status_code < 500, (url, response.status_code)
            assert response.status_code != 200 or payload.strip() == "", (url, payload)
        # The sign-in page shows its button for any token; only the POST spends one.
        response = client.post(f"/portal/sign-in/{segment}/")
        assert response.status_code in {400, 404}, (payload, response.status_code)


def test_public_parameters_and_the_dossier_row_filter(world, organisation) -> None:
    dossier, _ = dossier_receive(
        actor=world.officer,
        organisation=organisation,
        source_name="Campaign for Fair Branches",
        filename="d.csv",
        data=b"respondent_name,category,description\nNell Quarry,bullying,Abuse.\nBo,gossip,X\n",
    )
    dossier_import(dossier=dossier)
    client = signed_in(world.officer)
    rows = DossierRow.objects.filter(dossier=dossier).count()
    for payload in PAYLOADS:
        for url, params in (
            (f"/dossiers/{dossier.pk}/", {"status": payload}),
            (f"/dossiers/{dossier.pk}/", {"page": payload}),
            (f"/dossiers/{dossier.pk}/", {"fragment": payload}),
            ("/ledger/proofs/inclusion", {"seq": payload}),
            ("/ledger/proofs/inclusion", {"seq": "1", "size": payload}),
            ("/ledger/proofs/consistency", {"from": payload, "to": payload}),
            ("/oversight/register/", {"page": payload}),
            ("/", {"q": payload}),
        ):
            response = client.get(url, params)
            assert response.status_code < 500, (url, params)
            if url.startswith("/dossiers/") and response.status_code == 200:
                shown = response.content.decode().count('data-row="')
                assert shown <= rows, (params, shown)
                if "status" in params:
                    assert shown in {0, rows}, (params, shown)  # unknown status: no filter
        api = Client().get(
            f"/api/v1/dossiers/{dossier.pk}/rows",
            {"status": payload},
            HTTP_AUTHORIZATION=f"Bearer {world.bearer}",
        )
        assert api.status_code < 500


def test_nul_in_an_api_body_is_removed_not_a_500(world) -> None:
    bearer: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {world.bearer}"}
    response = Client().post(
        f"/api/v1/cases/{world.a.reference}/witnesses",
        {"full_name": "Nell\x00 Quarry"},
        content_type="application/json",
        **bearer,
    )
    assert response.status_code == 201
    assert world.a.parties.filter(
        person__full_name_hash=person_hash("full_name", "Nell Quarry")
    ).exists()


def test_nul_in_a_path_is_no_such_page(world) -> None:
    client = signed_in(world.officer)
    assert client.get(f"/cases/{world.a.reference}%00/").status_code == 404
    api = Client().get(
        f"/api/v1/cases/{world.a.reference}%00", HTTP_AUTHORIZATION=f"Bearer {world.bearer}"
    )
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
