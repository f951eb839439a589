"""CSRF: a cross-site POST (no token, or a token that is not the victim's, or a foreign
Origin) to any route is refused with 403 by Django's CsrfViewMiddleware and changes nothing.

Routes come from the URL resolver and are checked against ROUTES, so a new route is attacked
without being listed. Checked by hand that the test can fail: decorating
`cases.views.case_witness_view` with `csrf_exempt` made `test_a_post_without_a_token_...`
fail on `cases:witness` (400, not 403), and taking CsrfViewMiddleware out of MIDDLEWARE made
every route fail; both restored.

The JSON API is not exposed to CSRF: it authenticates every request by an
`Authorization: Bearer` header (api.core.TokenAuth), which a browser never adds to a
cross-site request, and it never reads the session cookie; the last test proves the second
half.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.urls.converters import IntConverter

from fairhearing.cases.models import Case
from fairhearing.conftest import signed_in
from fairhearing.core.tests.test_access_matrix import ROUTES
from fairhearing.people.models import person_hash

from .routes import Route, site_routes
from .world import World, build_world, snapshot

pytestmark = pytest.mark.django_db

# The site's own page for a refusal by CsrfViewMiddleware (templates/403_csrf.html).
CSRF_REFUSED = 'id="csrf-refused"'


def path_of(route: Route, world: World) -> str:
    """A URL for the route, naming case a and real objects where the argument is known (the
    middleware refuses before the view, so any value would do; real ones make the
    'nothing changed' check meaningful)."""
    known: dict[str, Any] = {
        "reference": world.a.reference,
        "other": world.c.reference,
        "transition": "hearing_held",
        "kind": "hearing",
        "audience": "panel",
        "period": "2026-Q1",
        "fmt": "csv",
        "file_format": "csv",
        "token": "not-a-real-token",
        "number": 1,
        "person_id": world.a.respondent_id,
        "link_id": world.link_b.pk,
        "dossier_id": world.dossier_other.pk,
        "task_id": "00000000-0000-4000-8000-000000000000",
    }
    kwargs = {}
    for arg, kind in route.converters.items():
        kwargs[arg] = known.get(arg, 1 if issubclass(kind, IntConverter) else "x")
    if route.name in {"cases:deadlines:pause", "cases:deadlines:resume"}:
        kwargs["pk"] = world.a.deadlines.all()[0].pk
    return reverse(route.name, kwargs=kwargs)


def actor_for(rule: str, world: World) -> Client:
    """A client of someone the route is meant for, enforcing CSRF like a browser."""
    user = None
    if rule.startswith("role:"):
        role = rule.removeprefix("role:").split("|")[0]
        user = {
            "case_officer": world.officer,
            "oversight": None,
            "administrator": world.admin,
            "governing_body": world.governing,
        }[role]
        if role == "oversight":
            from fairhearing.accounts.models import Role, User
            from fairhearing.conftest import make_user

            # One oversight user for every route of oversight's (the register, the audits).
            user = User.objects.filter(username="otto").first() or make_user(
                world.org, "otto", Role.OVERSIGHT
            )
    elif rule in {
        "case:view",
        "case:act",
        "case:member",
        "case:stops",
        "chair",
        "list",
        "signed_in",
    }:
        user = world.officer
    elif rule == "own_seat":
        user = world.member_a
    client = signed_in(user) if user is not None else Client()
    client.handler.enforce_csrf_checks = True
    return client


@pytest.fixture
def world(organisation) -> World:
    return build_world(organisation, reach_both=True)


def test_every_route_is_in_the_access_table() -> None:
    assert set(site_routes()) == set(ROUTES)


def test_a_post_without_a_token_is_refused_on_every_route_and_changes_nothing(world) -> None:
    posted = 0
    for name, route in site_routes().items():
        client = actor_for(ROUTES[name], world)
        client.get("/")  # the CSRF cookie, as a browser holding a session would have
        url = path_of(route, world)
        before = snapshot()
        response = client.post(url, {"reasons": "Forged.", "body": "Forged.", "text": "Forged."})
        assert response.status_code == 403, (name, url, response.status_code)
        assert CSRF_REFUSED in response.content.decode(), (name, "refused, but not by CSRF")
        assert snapshot() == before, name
        posted += 1
    assert posted == len(ROUTES)


def test_a_token_from_another_session_or_a_foreign_origin_is_refused(world) -> None:
    url = reverse("cases:witness", args=[world.a.reference])
    data = {"full_name": "Forged Witness", "email": "", "membership_number": ""}
    attacker = Client(enforce_csrf_checks=True)
    attacker.get(reverse("intake:form"))
    foreign_token = attacker.cookies["csrftoken"].value
    victim = actor_for("case:act", world)
    victim.get(reverse("cases:detail", args=[world.a.reference]))
    before = snapshot()
    forged = victim.post(url, {**data, "csrfmiddlewaretoken": foreign_token})
    assert forged.status_code == 403 and CSRF_REFUSED in forged.content.decode()
    own_token = victim.cookies["csrftoken"].value
    elsewhere = victim.post(
        url, {**data, "csrfmiddlewaretoken": own_token}, HTTP_ORIGIN="https://evil.example"
    )
    assert elsewhere.status_code == 403 and CSRF_REFUSED in elsewhere.content.decode()
    assert snapshot() == before
    # The control: the same request from the site itself goes through.
    honest = victim.post(url, {**data, "csrfmiddlewaretoken": own_token})
    assert honest.status_code == 302
    assert world.a.parties.filter(
        person__full_name_hash=person_hash("full_name", "Forged Witness")
    ).exists()


def test_a_session_cookie_alone_does_not_authenticate_the_api(world) -> None:
    browser = signed_in(world.officer)  # a verified staff session, as a victim's browser has
    detail = f"/api/v1/cases/{world.a.reference}"
    assert browser.get(detail).status_code == 401
    before = Case.objects.get(pk=world.a.pk).stage
    response = browser.post(
        f"/api/v1/cases/{world.a.reference}/witnesses",
        {"full_name": "Forged Witness"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert Case.objects.get(pk=world.a.pk).stage == before
    assert not world.a.parties.filter(
        person__full_name_hash=person_hash("full_name", "Forged Witness")
    ).exists()
    # The control: the bearer token does authenticate.
    ok = Client().get(detail, HTTP_AUTHORIZATION=f"Bearer {world.bearer}")
    assert ok.status_code == 200
