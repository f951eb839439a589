"""The register sees everything (issue 19, item 1): refusals wherever they happen, recorded; the
register pages through the whole history with filters and counts."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.api.services import api_token_create
from fairhearing.conftest import make_user, signed_in
from fairhearing.ledger.models import Event, EventKind
from fairhearing.oversight.models import AccessAttempt
from fairhearing.oversight.queries import RegisterFilters, register_counts, register_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def oversight(organisation):
    return make_user(organisation, "odile", Role.OVERSIGHT, first_name="Odile", last_name="M")


# Role-wide pages and exports, each with a role it is refused to.
ROLE_PAGES = [
    ("dossiers:list", [], Role.GOVERNING_BODY),
    ("dataprotection:sar_list", [], Role.PANEL_MEMBER),
    ("oversight:register", [], Role.CASE_OFFICER),
    ("worker:status", [], Role.OVERSIGHT),
    ("panels:training", [], Role.CASE_OFFICER),
    ("audits:rounds", [], Role.GOVERNING_BODY),
    ("compliance:follow_up", [], Role.PANEL_MEMBER),
    ("surveys:comments", [], Role.CASE_OFFICER),
    ("webhooks:log", [], Role.CASE_OFFICER),
    ("reporting:packs", [], Role.CASE_OFFICER),
    ("reporting:workload", [], Role.GOVERNING_BODY),
    ("dossiers:template", ["csv"], Role.INVESTIGATOR),
]


@pytest.mark.parametrize(("name", "args", "role"), ROLE_PAGES)
def test_a_page_refused_to_a_role_is_in_the_register(organisation, name, args, role) -> None:
    user = make_user(organisation, "nosy", role)
    url = reverse(name, args=args)
    assert signed_in(user).get(url, {"q": "x"}).status_code == 403
    attempt = AccessAttempt.objects.get(user=user)
    assert (attempt.action, attempt.path, attempt.asked) == ("page", url, "q=x")
    assert attempt.organisation_id == organisation.pk and attempt.role == role
    assert Event.objects.filter(kind=EventKind.ACCESS_REFUSED, actor_id=user.pk).count() == 1


def test_a_governing_body_search_of_the_case_list_is_recorded(
    case, governing_member, oversight
) -> None:
    response = signed_in(governing_member).get(reverse("cases:list"), {"search": "Rowan Ashby"})
    assert response.status_code == 403
    attempt = AccessAttempt.objects.get(user=governing_member)
    assert attempt.asked == "search=Rowan Ashby"
    assert attempt.path == reverse("cases:list")  # the name stays out of the plain columns
    page = signed_in(oversight).get(reverse("oversight:register")).content.decode()
    assert "Asked for: search=Rowan Ashby" in page


def test_a_search_for_a_case_outside_need_to_know_is_recorded_and_answers_as_nothing(
    case, make_complaint, organisation
) -> None:
    investigator = make_user(organisation, "ivy", Role.INVESTIGATOR)
    client = signed_in(investigator)
    hidden = client.get(reverse("cases:list"), {"search": case.reference})
    missing = client.get(reverse("cases:list"), {"search": "FH-2026-99999"})
    assert hidden.status_code == missing.status_code == 200
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    bodies = [
        token.sub("", r.content.decode().replace(ref, "REF"))
        for r, ref in ((hidden, case.reference), (missing, "FH-2026-99999"))
    ]
    assert bodies[0] == bodies[1]  # the same answer whether the case exists or not
    attempt = AccessAttempt.objects.get(user=investigator)
    assert (attempt.action, attempt.case, attempt.reference) == ("search", case, case.reference)


def test_case_addresses_tried_while_signed_out_are_recorded_with_the_address(
    case, oversight
) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for url in (
        reverse("cases:detail", args=[case.reference]),
        reverse("cases:detail", args=["FH-2026-99999"]),
        reverse("evidence:list", args=[case.reference]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    client.post(reverse("cases:transition", args=[case.reference, "acknowledge"]), {})
    attempts = list(AccessAttempt.objects.order_by("pk"))
    assert [(a.role, a.reference, a.action) for a in attempts] == [
        ("anonymous", case.reference, "view"),
        ("anonymous", "FH-2026-99999", "view"),
        ("anonymous", case.reference, "view"),
        ("anonymous", case.reference, "act"),
    ]
    assert {a.ip_address for a in attempts} == {"203.0.113.7"}
    # Nobody's organisation is known for a case that does not exist: every oversight sees it.
    page = signed_in(oversight).get(reverse("oversight:register")).content.decode()
    assert "FH-2026-99999" in page and "203.0.113.7" in page
    # The parties' portal has its own sign-in (by link) and records its own refusals, once.
    Client().get(reverse("portal:case", args=[case.reference]))
    assert AccessAttempt.objects.count() == 5
    assert AccessAttempt.objects.latest("pk").action == "portal"


def test_the_register_pages_through_everything_with_filters_and_counts(
    organisation, case, oversight, governing_member
) -> None:
    officer = make_user(organisation, "olga", Role.CASE_OFFICER, first_name="Olga")
    for n in range(60):
        signed_in(governing_member).get(reverse("cases:detail", args=[f"FH-2020-{n:05d}"]))
    signed_in(officer).get(reverse("dossiers:template", args=["csv"]))  # allowed: no entry
    signed_in(officer).get(reverse("oversight:register"))  # refused
    AccessAttempt.objects.filter(reference="FH-2020-00000").update(
        at=timezone.now() - dt.timedelta(days=40)
    )
    client = signed_in(oversight)
    first = client.get(reverse("oversight:register")).content.decode()
    assert "61 entries; showing 1 to 50, newest first" in first
    assert "Refused attempts (61)" in first and "Recusals (0)" in first
    second = client.get(reverse("oversight:register"), {"page": 2}).content.decode()
    assert "FH-2020-00000" in second and "Page </span>2 of 2" in second
    by_officer = client.get(
        reverse("oversight:register"), {"user": str(officer.pk), "kind": "attempts"}
    ).content.decode()
    assert "1 entry matches the filters" in by_officer and "Olga" in by_officer
    old = client.get(
        reverse("oversight:register"),
        {"until": (timezone.localdate() - dt.timedelta(days=30)).isoformat()},
    ).content.decode()
    assert "1 entry matches the filters" in old and "FH-2020-00000" in old
    today = timezone.localdate()
    backwards = {"since": today.isoformat(), "until": (today - dt.timedelta(days=9)).isoformat()}
    wrong = client.get(reverse("oversight:register"), backwards)
    assert wrong.status_code == 400
    assert "The end of the period must be on or after its start." in wrong.content.decode()
    filters = RegisterFilters(role=Role.GOVERNING_BODY, case="fh-2020-00007")
    assert [a.reference for a in register_entries(organisation.pk, "attempts", filters)] == [
        "FH-2020-00007"
    ]
    assert register_counts(organisation.pk, RegisterFilters(action="page"))["attempts"] == 1


def test_the_register_api_pages_with_the_same_filters(
    organisation, case, oversight, governing_member
) -> None:
    for n in range(5):
        signed_in(governing_member).get(reverse("cases:detail", args=[f"FH-2020-{n:05d}"]))
    _, clear = api_token_create(actor=None, user=oversight, name="x", scopes=["cases:read"])
    api = Client(headers={"Authorization": f"Bearer {clear}"})
    seen, cursor = [], None
    while True:
        query: dict[str, str | int] = {"kind": "attempts", "role": Role.GOVERNING_BODY, "limit": 2}
        if cursor:
            query["cursor"] = cursor
        body = api.get("/api/v1/oversight/register", query).json()
        seen += [item["case_reference"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == [f"FH-2020-{n:05d}" for n in range(5)]
    assert body["counts"]["attempts"] == 5 and body["items"][0]["what"] == "Open a case"
    refused = api.get("/api/v1/oversight/register", {"kind": "nonsense"})
    assert refused.status_code == 422


def test_an_api_call_with_a_token_is_not_taken_for_a_signed_out_visitor(case, case_officer) -> None:
    # The session is anonymous on API calls (the bearer token signs them in): only the API's
    # own refusals are recorded, and a valid call none at all.
    _, clear = api_token_create(actor=None, user=case_officer, name="x", scopes=["cases:read"])
    Client(headers={"Authorization": f"Bearer {clear}"}).get(f"/api/v1/cases/{case.reference}")
    assert not AccessAttempt.objects.filter(role="anonymous").exists()
