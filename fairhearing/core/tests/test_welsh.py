"""Welsh (issue 25, item 4): the pages translated so far say nothing in English when asked
in Welsh. A string a template or a form shows that the Welsh catalogue lacks fails here.

Each page is rendered twice, in English and in Welsh (the language switch's cookie); every
piece of text the Welsh page shows (its title, the header, the main content and the footer)
must differ from every piece the English one shows, but for what is the same in both
languages: names, references, the brand and the languages' own names."""

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.test.signals import setting_changed
from django.urls import reverse

from fairhearing.intake.views import SESSION_KEY

pytestmark = pytest.mark.django_db

# The same in both languages.
SAME = {
    "Fairhearing",
    "English",
    "Cymraeg",
    "Northfield Cooperative League",
    "\u2013",
    ",",
    ".",
    "!",
    ").",
    "SHA-256",
}
REFERENCE = re.compile(r"^[A-Z]{2,4}-\d{4}-\d{5}$")
# Numbers (an item of evidence's, a median's), and a file's SHA-256: the same in any language.
NUMBER_OR_HASH = re.compile(r"^(\d+(\.\d+)?|[0-9a-f]{64})$")


@pytest.fixture(autouse=True, scope="module")
def welsh_catalogue() -> None:
    """The Welsh catalogue compiled from its .po (as `make messages` does), so that a string
    added to the .po and not compiled cannot pass here by an old .mo."""
    po = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
    with po.open("rb") as source:
        catalog = read_po(source, locale="cy")
    untranslated = [m.id for m in catalog if m.id and (m.fuzzy or not _complete(m.string))]
    assert untranslated == [], f"the Welsh catalogue lacks: {untranslated}"
    with po.with_suffix(".mo").open("wb") as out:
        write_mo(out, catalog)
    # Django forgets the catalogues it read when the locale paths change: it reads the new .mo.
    setting_changed.send(
        sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False
    )


def _complete(string: object) -> bool:
    return all(string) if isinstance(string, tuple | list) else bool(string)


class _Text(HTMLParser):
    """The text a reader meets: the title, and everything in the body but scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        if tag in {"script", "style", "svg"}:
            self._skip += 1
        # What a screen reader says of a region or a table instead of, or beside, its text.
        label = dict(attrs).get("aria-label")
        if label and not self._skip:
            self.parts.append(" ".join(label.split()))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "svg"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._skip:
            self.parts.append(text)


def _text(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def _in_english(part: str, english: set[str], same: frozenset[str] = frozenset()) -> bool:
    return (
        part in english
        and part not in SAME | same
        and not REFERENCE.match(part)
        and not NUMBER_OR_HASH.match(part)
    )


def _both(client: Client, url: str, headers: dict[str, str] | None = None) -> tuple[_Text, _Text]:
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    english = _text(client.get(url, headers=headers).content.decode())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    welsh = _text(client.get(url, headers=headers).content.decode())
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    return english, welsh


def assert_all_welsh(
    client: Client,
    url: str,
    *,
    same: frozenset[str] = frozenset(),
    headers: dict[str, str] | None = None,
) -> None:
    """`same`: what the person typed, shown back to them as they typed it."""
    english, welsh = _both(client, url, headers)
    assert_welsh_of(english, welsh, url, same)


def assert_welsh_of(
    english: _Text, welsh: _Text, what: str, same: frozenset[str] = frozenset()
) -> None:
    assert (english.lang, welsh.lang) == ("en-GB", "cy")
    left = [part for part in welsh.parts if _in_english(part, set(english.parts), same)]
    assert left == [], f"{what} in Welsh still says: {left}"


def test_the_start_page_is_all_welsh(organisation) -> None:
    assert_all_welsh(Client(), reverse("intake:start"))


def test_the_complaint_received_page_is_all_welsh(make_complaint) -> None:
    complaint = make_complaint(respondents=("Rowan Ashby", "Ellis Moreno"))
    client = Client()
    session = client.session
    session[SESSION_KEY] = complaint.reference
    session.save()
    assert_all_welsh(client, reverse("intake:submitted"))


def test_the_switch_remembers_the_choice_and_goes_back(organisation) -> None:
    client = Client()
    start = reverse("intake:start")
    page = client.get(start).content.decode()
    assert f'href="/language/cy/?next={start}"' in page
    response = client.get(reverse("core:language", args=["cy"]), {"next": start})
    assert response.status_code == 302 and response["Location"] == start
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "cy" and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "Dechrau nawr" in client.get(start).content.decode()
    # Elsewhere, or an unknown language: never followed, never set.
    away = client.get(reverse("core:language", args=["en-gb"]), {"next": "https://evil.example/"})
    assert away["Location"] == "/"
    assert client.get(reverse("core:language", args=["fr"])).status_code == 404


def test_a_welsh_browser_gets_welsh(organisation) -> None:
    page = Client().get(reverse("intake:start"), headers={"accept-language": "cy,en;q=0.5"})
    assert 'lang="cy"' in page.content.decode() and "Dechrau nawr" in page.content.decode()


def test_the_complaint_form_is_all_welsh_with_its_errors_too(organisation) -> None:
    client = Client()
    form = reverse("intake:form")
    assert_all_welsh(client, form)
    # Sent empty, with a date that does not exist: every message in Welsh.
    bad = {"conduct_date-day": "31", "conduct_date-month": "2", "conduct_date-year": "2026"}
    english = _text(client.post(form, bad).content.decode())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    welsh = _text(client.post(form, bad).content.decode())
    assert "Mae problem wedi codi" in welsh.parts
    left = [part for part in welsh.parts if _in_english(part, set(english.parts))]
    assert left == [], f"the form's errors in Welsh still say: {left}"


def test_check_your_answers_is_all_welsh(organisation) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    answers = {
        "complainant_name": "Priya Callender",
        "complainant_email": "priya@example.invalid",
        "complainant_is_member": "no",
        "respondent_1_name": "Rowan Ashby",
        "respondent_2_name": "Ellis Moreno",
        "category": "bullying",
        "allegation_type": "post",
        "conduct_date-day": "3",
        "conduct_date-month": "3",
        "conduct_date-year": "2026",
        "description": "Posted a cartoon mocking a volunteer.",
    }
    response = client.post(reverse("intake:form"), answers)
    assert response.status_code == 302
    typed = frozenset(v for k, v in answers.items() if not k.startswith(("conduct", "category")))
    assert_all_welsh(client, reverse("intake:check"), same=typed)


def test_a_complaint_made_in_welsh_is_acknowledged_in_welsh_and_remembered(
    organisation, mailoutbox
) -> None:
    from fairhearing.cases.models import Complaint

    answers = {
        "complainant_name": "Priya Callender",
        "complainant_email": "priya@example.invalid",
        "complainant_is_member": "no",
        "respondent_1_name": "Rowan Ashby",
        "category": "bullying",
        "allegation_type": "post",
        "description": "Posted a cartoon mocking a volunteer.",
    }
    for language, email in (("cy", "priya@example.invalid"), ("", "ivo@example.invalid")):
        client = Client()
        if language:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        client.post(reverse("intake:form"), {**answers, "complainant_email": email})
        assert client.post(reverse("intake:check")).status_code == 302
    welsh, english = (
        Complaint.objects.get(complainant__email_hash=h)
        for h in (_email_hash("priya@example.invalid"), _email_hash("ivo@example.invalid"))
    )
    assert (welsh.complainant.language, english.complainant.language) == ("cy", "")
    to_priya, to_ivo = mailoutbox
    assert to_priya.subject == f"Rydym wedi cael eich cwyn: cyfeirnod {welsh.reference}"
    assert "Annwyl Priya Callender," in to_priya.body
    assert "Beth sy\u2019n digwydd nesaf:" in to_priya.body
    assert "/ledger/proofs/inclusion?seq=" in to_priya.body
    html = to_priya.alternatives[0][0]
    assert '<html lang="cy">' in html and "Eich cyfeirnod yw" in html
    assert to_ivo.subject == f"We have received your complaint: reference {english.reference}"
    assert "Dear" in to_ivo.body and "What happens next:" in to_ivo.body


def _email_hash(email: str) -> str:
    from fairhearing.people.models import person_hash

    return person_hash("email", email)


def test_the_anonymous_report_pages_are_all_welsh(organisation) -> None:
    client = Client()
    assert_all_welsh(client, reverse("intake:anonymous"))
    assert_all_welsh(client, reverse("intake:report"))
    # A wrong code, refused in Welsh.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    wrong = client.post(reverse("intake:report"), {"code": "ABCD-EFGH-JKMN-PQRS-TVWX-YZ23"})
    assert "Nid yw\u2019r cod derbynneb hwnnw\u2019n cyfateb" in wrong.content.decode()


def test_the_survey_is_all_welsh(case) -> None:
    from fairhearing.surveys.services import survey_invitations_make

    complainant = case.parties.get(role="complainant").person
    ((_, token),) = survey_invitations_make(
        actor=None, case=case, parties=[(complainant, "complainant")]
    )
    client = Client()
    page = reverse("surveys:answer", args=[token])
    assert_all_welsh(client, page)
    # Sent without answers: each statement's message in Welsh.
    unanswered = {"comments": ""}
    english = _text(client.post(page, unanswered).content.decode())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    welsh = _text(client.post(page, unanswered).content.decode())
    assert "Mae problem wedi codi" in welsh.parts
    assert [p for p in welsh.parts if _in_english(p, set(english.parts))] == []
    assert_all_welsh(Client(), reverse("surveys:answer", args=["no-such-link"]))


def test_a_welsh_party_is_invited_to_the_survey_in_welsh(case, mailoutbox) -> None:
    from fairhearing.notifications.sending import notifications_send_pending
    from fairhearing.notifications.services import notifications_for_survey
    from fairhearing.people.models import Person

    complainant = case.parties.get(role="complainant").person
    Person.objects.filter(pk=complainant.pk).update(language="cy")
    notifications_for_survey(actor=None, case=case)
    notifications_send_pending()
    (invitation,) = mailoutbox
    assert invitation.subject == "Sut yr ymdriniwyd \u00e2\u2019ch cwyn? Arolwg byr, dienw"
    assert "Annwyl Priya Callender," in invitation.body
    assert f"Mae achos {case.reference} wedi\u2019i gau." in invitation.body
    # The date in Welsh words too (Django's own Welsh month names).
    assert re.search(r"tan \d{1,2} \w+ \d{4}\.", invitation.body)
    months = "January|February|March|April|May|June|July|August|September|October|November"
    assert not re.search(months + "|December", invitation.body)
    assert '<html lang="cy">' in invitation.alternatives[0][0]


def test_the_switch_never_writes_a_query_string_into_the_page(organisation) -> None:
    page = Client().get(reverse("intake:start"), {"token": "s3cret-value"}).content.decode()
    assert "s3cret-value" not in page
    assert 'href="/language/cy/?next=/"' in page


def _reporter_with_two_cases(organisation, case_officer) -> tuple[Client, Any, str]:
    """An anonymous reporter back on their report with its code: two cases (one closed with
    its outcome), a message each way, a file they added."""
    from fairhearing.cases.models import AllegationType
    from fairhearing.conftest import walk
    from fairhearing.evidence.services import Upload
    from fairhearing.evidence.tests.files import png
    from fairhearing.intake import anonymous
    from fairhearing.intake.details import AllegationDetails
    from fairhearing.people.services import PersonDetails
    from fairhearing.portal.services import message_send

    submitted = anonymous.anonymous_report_submit(
        organisation=organisation,
        respondents=[
            PersonDetails(full_name="Tamsin Keogh"),
            PersonDetails(full_name="Ellis Moreno"),
        ],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST, category="bullying", description="A post."
        ),
        summary="A post.",
    )
    report = submitted.report
    first, second = report.complaint.cases.order_by("pk")
    anonymous.reporter_evidence_add(report=report, upload=Upload("shot.png", png()))
    walk(second, case_officer, "begin_assessment", "assess_no_further_action")
    walk(first, case_officer, "begin_assessment")
    anonymous.reporter_message_send(report=report, case=first, body="I have more screenshots.")
    message_send(
        case=first,
        party_person=report.complaint.complainant,
        party_role="complainant",
        body="Please send them.",
        from_staff=case_officer,
    )
    client = Client()
    entered = client.post(reverse("intake:report"), {"code": str(submitted.code)})
    assert entered.status_code == 302
    return client, first, str(submitted.code)


TYPED_BY_PARTIES = frozenset({"I have more screenshots.", "Please send them."})


def test_the_anonymous_reporters_own_pages_are_all_welsh(organisation, case_officer) -> None:
    client, case, _code = _reporter_with_two_cases(organisation, case_officer)
    status = reverse("intake:report_status")
    assert_all_welsh(client, status, same=TYPED_BY_PARTIES)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(status).content.decode()
    # The stage in plain words, and the closed case's outcome in the rulebook's words.
    assert "Mae swyddog achos yn asesu eich adroddiad" in page
    assert "Mae\u2019r achos wedi\u2019i gau. Canlyniad: Dim camau pellach ar ôl asesu." in page
    assert f"{case.reference}: am Tamsin Keogh" in page  # the case to write about, in Welsh
    assert_all_welsh(client, reverse("intake:report_evidence"))
    # Sent empty: the errors in Welsh; then a message sent, and leaving, said in Welsh.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    empty = {"description": ""}
    refused = _text(client.post(reverse("intake:report_evidence"), empty).content.decode())
    assert "Mae problem wedi codi" in refused.parts
    assert "Dewiswch ffeil i\u2019w huwchlwytho." in refused.parts
    sent = client.post(
        reverse("intake:report_message"), {"case": case.pk, "body": "Diolch."}, follow=True
    )
    assert "Neges wedi\u2019i hanfon at y tîm achos." in sent.content.decode()
    left = client.post(reverse("intake:report_forget"), follow=True)
    assert "Rydych wedi gadael eich adroddiad." in left.content.decode()


# --- the parties' portal ---------------------------------------------------------------------


def _party_signed_in(case, case_officer, person) -> Client:
    """A party on their case through the emailed one-time link (the browser has no language
    cookie yet)."""
    from django.core import mail

    from fairhearing.workflow.sign_in import sign_in_link_send

    sign_in_link_send(actor=case_officer, case=case, person=person)
    found = re.search(r"/portal/sign-in/[^/\s]+/", str(mail.outbox[-1].body))
    assert found
    client = Client()
    assert client.post(found.group(0)).status_code == 302
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    return client


def _at_notice(case, case_officer):
    from fairhearing.conftest import walk
    from fairhearing.people.models import Person

    Person.objects.filter(pk=case.respondent_id).update(email="rowan@example.invalid")
    case.respondent.refresh_from_db()
    return walk(case, case_officer, "acknowledge", "begin_assessment", "assess_investigate")


# What the case team and the parties wrote, shown as written: the stock reasons of
# conftest.walk, the rule they cite, the allegation, a reply, a companion's name.
WRITTEN = frozenset(
    {
        "Posted a cartoon demeaning a minority.",
        "Rulebook v1",
        "I did not post it; the account was shared.",
        "Dafydd Rees",
        "Priya Callender",
    }
    | {f"Reasons for {t}." for t in ("acknowledge", "begin_assessment", "assess_investigate")}
)


def test_the_respondents_portal_is_all_welsh(case, case_officer) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fairhearing.evidence.tests.files import png

    case = _at_notice(case, case_officer)
    party = _party_signed_in(case, case_officer, case.respondent)
    page = reverse("portal:case", args=[case.reference])
    assert_all_welsh(party, page, same=WRITTEN)
    for name in ("reply", "hearing"):
        assert_all_welsh(party, reverse(f"portal:{name}", args=[case.reference]))
    # A reply with a file, and a hearing asked for with a companion, said back in Welsh.
    party.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    reply = {
        "text": "I did not post it; the account was shared.",
        "attachments": SimpleUploadedFile("log.png", png(), content_type="image/png"),
    }
    sent = party.post(reverse("portal:reply", args=[case.reference]), reply, follow=True)
    assert "Mae eich ymateb wedi\u2019i anfon at y t\u00eem achos, gydag 1 ffeil." in (
        sent.content.decode()
    )
    asked = {"oral": "yes", "companion_name": "Dafydd Rees"}
    party.post(reverse("portal:hearing", args=[case.reference]), asked)
    welsh = party.get(page).content.decode()
    assert "Rydych wedi gofyn am wrandawiad llafar, gyda Dafydd Rees yn gydymaith i chi." in welsh
    assert "Anfonwyd gan yr atebydd gyda\u2019i ymateb" in welsh  # the file's description
    assert ">Hysbysiad i\u2019r atebydd</strong>" in welsh  # the rulebook's stage
    assert_all_welsh(party, page, same=WRITTEN | {"log.png", "Item 1: log.png"})
    # Sent without an answer: the form's errors in Welsh.
    party.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    empty = {"companion_name": ""}
    refused = _text(
        party.post(reverse("portal:hearing", args=[case.reference]), empty).content.decode()
    )
    assert "Dywedwch a ydych eisiau gwrandawiad llafar." in refused.parts


def test_signing_in_and_asking_for_a_link_are_all_welsh(case, case_officer) -> None:
    from fairhearing.portal.services import LINK_INVALID

    case = _at_notice(case, case_officer)
    assert_all_welsh(Client(), reverse("portal:start"))
    assert_all_welsh(Client(), reverse("portal:sign_in", args=["no-such-token"]))
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    refused = client.post(reverse("portal:sign_in", args=["no-such-token"])).content.decode()
    assert LINK_INVALID not in refused and "Mae\u2019r ddolen mewngofnodi hon" in refused
    asked = {"reference": case.reference, "email": "rowan@example.invalid"}
    said = client.post(reverse("portal:start"), asked, follow=True).content.decode()
    assert "rydym wedi anfon dolen mewngofnodi" in said


def test_the_challenge_pages_are_all_welsh(case, case_officer, organisation) -> None:
    from fairhearing.conftest import PASSWORD, TO_HEARING, walk
    from fairhearing.demo.panels import panel_pool_ensure, panel_prepare
    from fairhearing.panels.queries import active_seats, sitting_panel
    from fairhearing.people.models import Person

    Person.objects.filter(pk=case.respondent_id).update(email="rowan@example.invalid")
    case.respondent.refresh_from_db()
    panel_pool_ensure(organisation, password=PASSWORD)
    walk(case, case_officer, *TO_HEARING)
    panel_prepare(case, case_officer)
    panel = sitting_panel(case, "hearing")
    assert panel is not None
    members = [s.user for s in active_seats(panel)]
    names = frozenset(m.display_name for m in members)
    stock = {f"Reasons for {t}." for t in TO_HEARING}
    party = _party_signed_in(case, case_officer, case.respondent)
    assert_all_welsh(
        party, reverse("portal:case", args=[case.reference]), same=WRITTEN | names | stock
    )
    challenge = reverse("portal:challenge", args=[case.reference])
    assert_all_welsh(party, challenge, same=names)
    grounds = "She chairs the caucus I stood against."
    party.post(challenge, {"challenged": str(members[0].pk), "grounds": grounds})
    from fairhearing.interests.models import BiasChallenge

    sent = reverse("portal:challenge_sent", args=[case.reference, BiasChallenge.objects.get().pk])
    assert_all_welsh(party, sent, same=names | {grounds})


def test_a_party_who_switches_to_welsh_is_written_to_in_welsh(
    case, case_officer, mailoutbox
) -> None:
    from fairhearing.ledger.models import Event, EventKind
    from fairhearing.portal.services import message_send

    case = _at_notice(case, case_officer)
    party = _party_signed_in(case, case_officer, case.respondent)
    page = reverse("portal:case", args=[case.reference])
    # The portal's switch goes through the portal, which remembers the choice on the person.
    assert f'href="/portal/language/cy/?next={page}"' in party.get(page).content.decode()
    switched = party.get(reverse("portal:language", args=["cy"]), {"next": page})
    assert switched.status_code == 302 and switched["Location"] == page
    case.respondent.refresh_from_db()
    assert case.respondent.language == "cy"
    chosen = Event.objects.get(kind=EventKind.PERSON_LANGUAGE_CHOSEN)
    assert (chosen.case_id, chosen.actor_id) == (case.pk, None)
    assert chosen.payload == {"person": case.respondent.pk, "from": "", "to": "cy"}
    party.get(reverse("portal:language", args=["cy"]))  # the same again: nothing more to record
    assert Event.objects.filter(kind=EventKind.PERSON_LANGUAGE_CHOSEN).count() == 1
    # What we write to them now is in Welsh: a message from the case team, a new link.
    mailoutbox.clear()
    message_send(
        case=case,
        party_person=case.respondent,
        party_role="respondent",
        body="Please see the evidence list.",
        from_staff=case_officer,
    )
    (told,) = mailoutbox
    assert told.subject == f"Neges am achos {case.reference}"
    assert (
        f"Mae\u2019r t\u00eem achos wedi anfon neges atoch am achos {case.reference}." in told.body
    )
    from fairhearing.workflow.sign_in import sign_in_link_send

    sign_in_link_send(actor=case_officer, case=case, person=case.respondent)
    link = mailoutbox[-1]
    assert link.subject == f"Eich dolen mewngofnodi ar gyfer achos {case.reference}"
    assert "Annwyl Rowan Ashby," in link.body and '<html lang="cy">' in link.alternatives[0][0]
    # A browser with no choice of its own opens the case in the language they chose.
    found = re.search(r"/portal/sign-in/[^/\s]+/", str(link.body))
    assert found
    fresh = Client()
    opened = fresh.post(found.group(0))
    assert opened.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    assert 'lang="cy"' in fresh.get(page).content.decode()
    # Back to English: remembered too, and the emails follow.
    fresh.get(reverse("portal:language", args=["en-gb"]))
    case.respondent.refresh_from_db()
    assert case.respondent.language == ""


# --- the emails and letters to parties -------------------------------------------------------

ENGLISH_MONTHS = re.compile(
    r"January|February|March|April|May|June|July|August|September|October|November|December"
)


def _welsh(person) -> None:
    from fairhearing.people.models import Person

    Person.objects.filter(pk=person.pk).update(language="cy")
    person.refresh_from_db()


def test_a_welsh_respondent_is_given_notice_of_the_allegations_in_welsh(
    case, case_officer, mailoutbox
) -> None:
    from fairhearing.conftest import walk
    from fairhearing.notifications.sending import notifications_send_pending
    from fairhearing.people.models import Person

    Person.objects.filter(pk=case.respondent_id).update(email="rowan@example.invalid")
    _welsh(case.respondent)
    walk(case, case_officer, "acknowledge", "begin_assessment", "assess_investigate")
    notifications_send_pending()
    (notice,) = [m for m in mailoutbox if m.to == ["rowan@example.invalid"]]
    assert notice.subject == f"Cwyn amdanoch chi: achos {case.reference}"
    assert "Annwyl Rowan Ashby," in notice.body
    assert "Beth sy\u2019n cael ei honni:\n- Posted a cartoon demeaning a minority." in notice.body
    assert "(Y rheol a gymhwyswyd: Rulebook v1)" in notice.body
    # The last day to reply, in Welsh words.
    assert re.search(r"Gallwch ymateb tan \d\d \w+ \d{4}\. Ni fydd penderfyniad", notice.body)
    assert not ENGLISH_MONTHS.search(notice.body)
    assert '<html lang="cy">' in notice.alternatives[0][0]


def test_a_welsh_complainant_is_told_the_decision_in_welsh(case, case_officer, mailoutbox) -> None:
    from django.utils import timezone

    from fairhearing.conftest import TO_HEARING, walk
    from fairhearing.notifications.sending import notifications_send_pending
    from fairhearing.workflow.services import case_schedule_hearing

    complainant = case.parties.get(role="complainant").person
    _welsh(complainant)
    walk(case, case_officer, *TO_HEARING)
    soon = timezone.now() + dt.timedelta(days=21)
    case_schedule_hearing(actor=case_officer, case=case, hearing_at=soon)
    walk(case, case_officer, "hearing_held", "decide_upheld")
    mailoutbox.clear()
    notifications_send_pending()
    (decision,) = [m for m in mailoutbox if m.to == ["priya@example.invalid"]]
    assert decision.subject == f"Y penderfyniad ar achos {case.reference}"
    body = decision.body
    assert "Mae\u2019r panel wedi penderfynu: cadarnhawyd yr honiadau, gyda chosb." in body
    assert "Cosb: Rhybudd ffurfiol." in body  # the rulebook's sanction, in Welsh
    assert "Ei resymau: Reasons for decide_upheld.\n(Y rheol a gymhwyswyd: Rulebook v1)" in body
    assert not ENGLISH_MONTHS.search(body)


def test_a_welsh_party_without_email_is_sent_a_sign_in_letter_in_welsh(case, case_officer) -> None:
    import io

    from pypdf import PdfReader

    from fairhearing.notifications.models import Notification
    from fairhearing.notifications.services import letter_pdf, letter_text
    from fairhearing.workflow.sign_in import sign_in_link_send

    _welsh(case.respondent)  # no email: a letter for post
    sign_in_link_send(actor=case_officer, case=case, person=case.respondent)
    letter = Notification.objects.get(kind="sign_in_letter")
    text = letter_text(letter)
    assert text.subject == f"Dilyn eich achos {case.reference} ar-lein"
    assert text.body.startswith("Annwyl Rowan Ashby,")
    pdf = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(letter_pdf(letter))).pages
    )
    # The letter's own words and dates, in Welsh; the sign-in address as it is.
    assert f"Achos {case.reference}" in pdf and "Dilyn eich achos ar-lein" in pdf
    assert "Cysylltu \u00e2\u2019r t\u00eem achos" in pdf
    assert "mae\u2019n gweithio unwaith, tan" in pdf and "/portal/sign-in/" in pdf
    assert not ENGLISH_MONTHS.search(pdf)
    for english in ("Following your case", "Contacting the case team", "Write to", "Dear"):
        assert english not in pdf


def test_a_complainant_sends_a_link_to_a_post_in_welsh(case, case_officer) -> None:
    from fairhearing.evidence.capture import CaptureFailed
    from fairhearing.evidence.capture_queue import capture_request_by_party
    from fairhearing.evidence.capture_record import capture_fail
    from fairhearing.evidence.tests.captures import URL

    case = _at_notice(case, case_officer)
    complainant = case.parties.get(role="complainant").person
    party = _party_signed_in(case, case_officer, complainant)
    form = reverse("portal:capture", args=[case.reference])
    assert_all_welsh(party, form)
    party.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    refused = _text(party.post(form, {"url": "not a link"}).content.decode())
    assert "Rhowch gyfeiriad gwe llawn, fel https://x.com/enw/status/1." in refused.parts
    sent = party.post(form, {"url": URL}, follow=True).content.decode()
    assert "Diolch. Rydym wrthi\u2019n cadw\u2019r dudalen" in sent
    assert "Wrthi\u2019n cael ei chadw" in sent
    # One more than the day's limit: refused in Welsh.
    for n in range(case.rulebook.spec.captures_per_day - 1):
        capture_request_by_party(case=case, person=complainant, url=f"{URL}?n={n}")
    too_many = party.post(form, {"url": URL}).content.decode()
    assert "dolen yn ystod y diwrnod diwethaf" in too_many
    asked = case.captures.first()
    capture_fail(asked.pk, CaptureFailed("The page could not be reached.", code="unreachable"))
    # The page, with a capture being made and one that failed, saying why in Welsh.
    page = reverse("portal:case", args=[case.reference])
    assert_all_welsh(
        party,
        page,
        same=WRITTEN
        | {URL, f"{URL}?n=0", f"{URL}?n=1", f"{URL}?n=2", f"{URL}?n=3"}
        | {"The page could not be reached."},
    )


def test_a_complaint_through_the_api_may_say_the_complainants_language(
    case_officer, mailoutbox
) -> None:
    from fairhearing.api.tests.test_api import COMPLAINT, api_for, assert_error
    from fairhearing.cases.models import Complaint

    api = api_for(case_officer)
    welsh = {
        **COMPLAINT,
        "complainant": {
            **COMPLAINT["complainant"],
            "email": "priya@example.invalid",
            "language": "cy",
        },
    }
    response = api.post("/complaints", welsh)
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get(reference=response.json()["reference"])
    assert complaint.complainant.language == "cy"
    (acknowledgement,) = mailoutbox
    assert acknowledgement.subject.startswith("Rydym wedi cael eich cwyn")
    # The site's own language is kept as none chosen; any other is refused, field by field.
    english = {**welsh, "complainant": {**welsh["complainant"], "language": "en-gb"}}
    english["complainant"]["email"] = "ivo@example.invalid"
    assert api.post("/complaints", english).status_code == 201
    assert Complaint.objects.order_by("-pk")[0].complainant.language == ""
    french = {**welsh, "complainant": {**welsh["complainant"], "language": "fr"}}
    error = assert_error(api.post("/complaints", french), 422, "validation_error")
    assert "complainant.language" in error["fields"]


def test_a_file_refused_says_why_in_welsh(organisation) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fairhearing.evidence.tests.files import png

    answers = {
        "complainant_name": "Priya Callender",
        "complainant_email": "priya@example.invalid",
        "complainant_is_member": "no",
        "respondent_1_name": "Rowan Ashby",
        "category": "bullying",
        "allegation_type": "post",
        "description": "Posted a cartoon mocking a volunteer.",
    }
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    for name, data, said in (
        ("shot.pdf", png(), "Mae enw\u2019r ffeil yn gorffen .pdf ond delwedd PNG yw ei chynnwys."),
        ("empty.png", b"", "Mae\u2019r ffeil yn wag."),
        ("page.txt", b"<script>alert(1)</script>", "Mae\u2019r ffeil yn cynnwys cynnwys"),
    ):
        upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
        page = client.post(reverse("intake:form"), {**answers, "file": upload}).content.decode()
        assert said in page, name


# --- the other public pages: the footer's, the service status, the error pages --------------


@pytest.mark.parametrize("name", ["core:privacy", "core:accessibility", "core:cookies"])
def test_the_footer_pages_are_all_welsh(name) -> None:
    # The cookies' own names are the same in any language.
    cookies = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages"}
    assert_all_welsh(
        Client(), reverse(name), same=frozenset(cookies | {settings.LANGUAGE_COOKIE_NAME})
    )


def test_the_service_status_page_is_all_welsh() -> None:
    url = reverse("core:healthz")
    assert_all_welsh(Client(), url, headers={"accept": "text/html"})
    page = Client().get(url, headers={"accept": "text/html"})
    assert page.status_code == 200 and "The service is working normally." in page.content.decode()
    # A program (a load balancer, `make demo`) is still answered in JSON.
    assert Client().get(url).json()["status"] == "ok"


def test_the_not_found_pages_are_all_welsh(organisation) -> None:
    assert_all_welsh(Client(), "/no-such-page/")
    # A party's link to a case not open to them, and a statistics period that cannot be or
    # has nothing published: each says why, in Welsh.
    assert_all_welsh(Client(), reverse("portal:case", args=["NCL-2026-00001"]))
    assert_all_welsh(Client(), "/statistics/2099-Q9/")
    assert_all_welsh(Client(), reverse("reporting:report", args=["2020-Q1"]))
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    said = client.get(reverse("portal:case", args=["NCL-2026-00001"])).content.decode()
    assert "Nid oes achos gyda\u2019r cyfeirnod hwnnw ar agor i chi." in said


def test_a_form_refused_by_its_security_check_says_so_in_welsh(organisation) -> None:
    client = Client(enforce_csrf_checks=True)
    url = reverse("intake:report")
    english = _text(client.post(url, {"code": "x"}).content.decode())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    refused = client.post(url, {"code": "x"})
    assert refused.status_code == 403
    assert 'id="csrf-refused"' in refused.content.decode()
    assert_welsh_of(english, _text(refused.content.decode()), "the CSRF refusal")


def test_the_error_pages_django_renders_are_all_welsh() -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.utils import translation
    from django.views.defaults import bad_request, permission_denied, server_error

    def both(render) -> tuple[_Text, _Text]:
        pages = []
        for language in ("en-gb", "cy"):
            with translation.override(language):
                request = RequestFactory().get("/")
                request.session = SessionStore()
                request.user = AnonymousUser()
                pages.append(_text(render(request).content.decode()))
        return pages[0], pages[1]

    assert_welsh_of(*both(lambda r: server_error(r)), "the 500 page")
    assert_welsh_of(*both(lambda r: bad_request(r, ValueError())), "the 400 page")
    assert_welsh_of(*both(lambda r: permission_denied(r, PermissionDenied())), "the 403 page")
    # Without a request, as Django renders it: still the site's page.
    with translation.override("cy"):
        page = server_error(RequestFactory().get("/")).content.decode()
    assert 'lang="cy"' in page and "mae problem gyda\u2019r gwasanaeth" in page


# --- the published statistics, the tracker, the audit results, the record's proofs ---------

# Symbols and codes the same in any language: the suppressed counts, the quarters' names and
# the downloads' formats.
STATISTICS_SAME = frozenset({"1-5", "*", "2026-Q4", "2026-Q3", "JSON", "PDF", "\u00b7"})
# Cases closed by a panel: "Panel" in Welsh too.
STATISTICS_SAME |= {"Panel"}


def publish_statistics(organisation, make_complaint, case_officer):
    """2026-Q4's statistics with every section the page can show: the quarter's complaints
    (three closed by staff), and, over them, figures for the parts a small test cannot reach
    by itself (days to outcome by category and outcome, flags, time limits, the surveys)."""
    import time_machine

    from fairhearing.conftest import walk
    from fairhearing.reporting.queries import period_figures, period_parse
    from fairhearing.reporting.services import report_publish
    from fairhearing.surveys.models import QUESTIONS

    quarter = period_parse("2026-Q4")
    with time_machine.travel(dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC)):
        cases = [
            make_complaint(category="bullying" if i < 8 else "racism").cases.get()
            for i in range(12)
        ]
        for case in cases[:3]:
            walk(case, case_officer, "acknowledge", "begin_assessment", "assess_no_further_action")
    figures = period_figures(organisation, quarter)
    figures["times_by_category"] = {
        "Bullying or harassment": [8, 12.5, 30.0],
        "Racism": [6, 20.0, 41.5],
    }
    figures["times_by_outcome"] = {"No further action after assessment": [7, 9.0, 15.0]}
    figures["parity"]["flags"] = [
        {"category": "Racism", "median": 20.0, "rest_median": 12.5, "difference_percent": 60},
        {"category": "Online abuse", "median": 5.0, "rest_median": 12.5, "difference_percent": -60},
    ]
    figures["limits"] = {
        "Acknowledge the complaint": {"met": 9, "missed": 3},
        "Complete the assessment": {"met": 2, "missed": 0},
    }
    agree = {5: 4, 4: 4, 3: 2, 2: 1, 1: 1}  # 12 complainants answered: their tables published
    few = {5: 1, 4: 1, 3: 0, 2: 1, 1: 0}  # 3 respondents: withheld
    figures["survey"] = {
        "complainant": {q: dict(agree) for q in QUESTIONS},
        "respondent": {q: dict(few) for q in QUESTIONS},
    }
    return report_publish(actor=None, organisation=organisation, period=quarter, figures=figures)


def test_the_published_statistics_are_all_welsh(
    organisation, make_complaint, case_officer, settings, tmp_path
) -> None:
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "ledger.key"
    report = publish_statistics(organisation, make_complaint, case_officer)
    assert_all_welsh(Client(), reverse("reporting:list"), same=STATISTICS_SAME)
    page = reverse("reporting:report", args=[report.period])
    assert_all_welsh(Client(), page, same=STATISTICS_SAME)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    welsh = client.get(page).content.decode()
    # The rulebook's words and the tables' titles in Welsh, in the tables and in the charts.
    for said in (
        "Cwynion a ddaeth i law, yn ôl y categori fel y\u2019i canfyddir",
        "Bwlio neu aflonyddu",
        "Terfyn amser: Cydnabod y gŵyn",
        "Achwynwyr: 12 ateb",
        "Cytuno\u2019n gryf",
        "Dim camau pellach ar ôl asesu",
        "heb ei ddangos: caewyd llai na 6 achos",
        "Hiliaeth: canolrif o 20 diwrnod",
    ):
        assert said in welsh, said
    chart = re.search(r"<svg class=\"fh-chart\".*?</svg>", welsh, re.S)
    assert chart and "Bwlio neu aflonyddu" in chart.group(0) and "Bullying" not in chart.group(0)
    # Python's own words never reach the page.
    for leak in ("None", "{'", "[{", "gettext", "__proxy__"):
        assert leak not in welsh.split("<main", 1)[1], leak
    # The downloads stay as published: in English.
    csv = client.get(reverse("reporting:report_format", args=[report.period, "csv"]))
    assert '"Complaints received, by category as perceived",Bullying or harassment' in (
        csv.content.decode()
    )


def test_the_recommendations_tracker_is_all_welsh(organisation) -> None:
    from fairhearing.reporting.services import recommendations_import

    recommendations_import(
        actor=None,
        organisation=organisation,
        title="Independent review",
        published_on=dt.date(2026, 6, 1),
        data=(
            b"number,text,owner,due_on,status,evidence\n"
            b"R1,Publish the complaints procedure,General Secretary,2027-01-31,implemented,"
            b"Published in June\n"
            b"R2,Train every panel member,Head of Governance,2027-03-31,in_progress,\n"
            b"R3,Pay the panel,Treasurer,2027-03-31,not_accepted,Members serve unpaid\n"
            b"R4,Review the code,General Secretary,2027-06-30,not_started,\n"
        ),
        filename="r.csv",
    )
    typed = frozenset(
        {"Independent review", "General Secretary", "Head of Governance", "Treasurer"}
        | {"Publish the complaints procedure", "Train every panel member", "Pay the panel"}
        | {"Review the code", "Published in June", "Members serve unpaid"}
        | {"R1", "R2", "R3", "R4"}
    )
    assert_all_welsh(Client(), reverse("reporting:tracker"), same=typed)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(reverse("reporting:tracker")).content.decode()
    assert "Wedi\u2019i weithredu" in page and "31 Ionawr 2027" in page


def test_the_case_file_audit_results_are_all_welsh(
    organisation, make_complaint, case_officer
) -> None:
    import copy

    from fairhearing.accounts.models import Role
    from fairhearing.audits.services import (
        audit_finding_raise,
        audit_round_draw,
        audited_case_record,
    )
    from fairhearing.cases.models import Case
    from fairhearing.conftest import make_user, walk
    from fairhearing.organisations.default_rulebook import DEFAULT_RULEBOOK
    from fairhearing.organisations.services import rulebook_publish
    from fairhearing.reporting.queries import period_parse

    assert_all_welsh(Client(), reverse("audits:published"))  # nothing yet
    definition = copy.deepcopy(DEFAULT_RULEBOOK)
    definition["audit"]["sample_size"] = 3
    rulebook_publish(actor=None, organisation=organisation, definition=definition)
    quarter = period_parse("2026-Q3")
    for i in range(5):
        case = make_complaint(respondents=(f"Respondent {i}",)).cases.get()
        walk(case, case_officer, "acknowledge", "begin_assessment", "assess_no_further_action")
        at = dt.datetime(2026, 7, 1 + i, 12, tzinfo=dt.UTC)
        Case.objects.filter(pk=case.pk).update(closed_at=at)
    oversight = make_user(organisation, "odile", Role.OVERSIGHT)
    audit_round = audit_round_draw(
        actor=oversight, organisation=organisation, period=quarter, today=dt.date(2026, 10, 1)
    )
    met = {
        "reasons_given": "yes",
        "time_limits_met": "no",
        "notice_and_evidence_disclosed": "yes",
        "conflicts_checked": "not_applicable",
    }
    for audited in audit_round.audited.all():
        audited_case_record(actor=oversight, audited=audited, answers=met, findings="Late.")
    audit_finding_raise(
        actor=oversight,
        audited=audit_round.audited.order_by("pk")[0],
        text="Keep to the time limits.",
        owner="Case team",
        due_on=dt.date(2027, 1, 31),
    )
    assert_all_welsh(Client(), reverse("audits:published"), same=STATISTICS_SAME)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(reverse("audits:published")).content.decode()
    assert "Archwiliwyd 3 o\u2019r 5 achos a gaeodd yn y chwarter" in page
    assert "Rhesymau wedi\u2019u rhoi dros bob penderfyniad" in page


def test_the_records_proof_pages_are_all_welsh(make_complaint, settings, tmp_path) -> None:
    from fairhearing.ledger import heads
    from fairhearing.ledger.models import Event

    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "ledger.key"
    make_complaint()
    seq = Event.objects.order_by("-seq")[0].seq
    html = {"accept": "text/html,application/xhtml+xml"}
    inclusion = f"{reverse('ledger:inclusion')}?seq={seq}"
    # Before the next signed summary, then after it, and the summaries themselves.
    assert_all_welsh(Client(), inclusion, headers=html)
    assert_all_welsh(Client(), reverse("ledger:heads"), headers=html)
    heads.tree_head_sign()
    key = frozenset({heads.public_key_hex(), "fairhearing ledger check-proof"})
    assert_all_welsh(Client(), inclusion, same=key, headers=html)
    assert_all_welsh(Client(), reverse("ledger:heads"), same=key, headers=html)
    # Programs are answered in JSON as before; an entry that is not there, in Welsh.
    assert Client().get(reverse("ledger:heads")).json()["heads"][0]["tree_size"] == seq
    assert_all_welsh(Client(), f"{reverse('ledger:inclusion')}?seq=999999", headers=html)
    assert_all_welsh(Client(), f"{reverse('ledger:consistency')}?from=1&to=x")


# --- the rest of the anonymous report, and the survey's thanks ------------------------------

ANONYMOUS = {
    "respondent_1_name": "Rowan Ashby",
    "respondent_2_name": "Ellis Moreno",
    "category": "bullying",
    "allegation_type": "post",
    "conduct_date-day": "3",
    "conduct_date-month": "3",
    "conduct_date-year": "2026",
    "description": "Posted a cartoon mocking a volunteer.",
}


def test_checking_and_sending_an_anonymous_report_are_all_welsh(organisation) -> None:
    typed = frozenset({"Rowan Ashby", "Ellis Moreno", "Posted a cartoon mocking a volunteer."})
    client = Client()
    assert client.post(reverse("intake:anonymous"), ANONYMOUS).status_code == 302
    assert_all_welsh(client, reverse("intake:anonymous_check"), same=typed)
    # The receipt is shown once: one report sent in each language, the pages set side by side.
    received = []
    for language in ("", "cy"):
        client = Client()
        if language:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        client.post(reverse("intake:anonymous"), ANONYMOUS)
        page = client.post(reverse("intake:anonymous_check"), follow=True).content.decode()
        found = re.search(r'<strong id="receipt-code">([0-9A-Z-]{29})</strong>', page)
        assert found
        received.append((_text(page), found.group(1)))
    (english, english_code), (welsh, welsh_code) = received
    assert "Adroddiad wedi dod i law" in welsh.parts
    assert_welsh_of(english, welsh, "the receipt", frozenset({english_code, welsh_code}))


def test_the_surveys_thanks_is_all_welsh() -> None:
    assert_all_welsh(Client(), reverse("surveys:thanks"))
