"""The parties' portal: no staff account; a one-time emailed link opens a case to its party."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from fairhearing.accounts.models import User
from fairhearing.cases.access import case_for
from fairhearing.cases.models import Party
from fairhearing.compliance.queries import conditions_of
from fairhearing.core.errors import CaseError
from fairhearing.core.views import language as language_switch
from fairhearing.evidence.capture_queue import capture_request_by_party
from fairhearing.evidence.forms import upload_of
from fairhearing.evidence.redaction import RESPONDENT
from fairhearing.evidence.responses import pdf_attachment
from fairhearing.evidence.services import EvidenceRefused, bundle_make
from fairhearing.interests.models import BiasChallenge
from fairhearing.panels.queries import panel_members_for_parties
from fairhearing.people.models import Person
from fairhearing.people.services import person_language_choose
from fairhearing.workflow import sign_in
from fairhearing.workflow.bias import challenge_raise

from . import services
from .access import (
    bundle_party_for,
    capture_party_for,
    party_case_for,
    party_grants,
    party_session_end,
    party_session_grant,
)
from .forms import (
    ChallengeForm,
    HearingRequestForm,
    LinkRequestForm,
    MessageForm,
    MoveHearingForm,
    PartyCaptureForm,
    ReplyForm,
)
from .models import HearingRequest, Message, PartyRole
from .queries import party_captures, party_evidence, party_notes

LINK_MAYBE_SENT = _(
    "If the reference and email address match a party to the case, we have sent a sign-in "
    "link. It can take a few minutes to arrive. If nothing arrives, check the reference in the "
    "email we sent you (it starts FH- or FHC-) and that the address is the one you gave us."
)


def _in_words(refused: Exception) -> str:
    """A service's refusal in the reader's language: each refusal a party can meet is marked
    for the catalogue where it is defined (`gettext_noop`); any other is shown as it is."""
    if isinstance(refused, services.HearingMoveTooFar):
        return gettext(services.MOVE_TOO_FAR).format(
            days=services.COMPANION_MOVE_WORKING_DAYS, latest=date_format(refused.latest, "j F Y")
        )
    return gettext(str(refused))


@require_http_methods(["GET", "POST"])
def link_request_view(request: HttpRequest) -> HttpResponse:
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sign_in.sign_in_link_request(**form.cleaned_data)
        messages.success(request, LINK_MAYBE_SENT)
        return redirect("portal:start")
    return render(
        request, "portal/link_request.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def sign_in_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST uses the link, so mail scanners that follow links do
    not spend it."""
    error = ""
    if request.method == "POST":
        try:
            link = services.sign_in_link_use(token=token)
        except CaseError as exc:
            error = _in_words(exc)
        else:
            party_session_grant(
                request, case_id=link.case_id, person_id=link.person_id, role=link.role
            )
            response = redirect("portal:case", reference=link.case.reference)
            chosen = link.person.language
            if chosen and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
                # Their case in the language they chose (on the form, or here before), on a
                # browser that has not chosen one.
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    chosen,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                    samesite="Lax",
                )
            return response
    return render(request, "portal/sign_in.html", {"error": error}, status=400 if error else 200)


def language_view(request: HttpRequest, code: str) -> HttpResponse:
    """The language switch for a signed-in party: as the site's (a cookie, back to the page),
    and their choice remembered on each person this browser is signed in as, so that the
    emails and letters we write to them follow it (recorded on the ledger)."""
    response = language_switch(request, code)  # 404 for a language we do not have
    people = {grant.person_id: grant.case_id for grant in party_grants(request)}
    for person in Person.objects.filter(pk__in=people):
        person_language_choose(person=person, language=code, case_id=people[person.pk])
    return response


def case_view(request: HttpRequest, reference: str) -> HttpResponse:
    party = party_case_for(request, reference)
    case = party.case
    spec = case.rulebook.spec
    complainants = case.parties.filter(role=Party.Role.COMPLAINANT).select_related("person")
    context = {
        "party": party,
        "case": case,
        "spec": spec,
        "decisions": case.stage_changes.order_by("at"),
        "allegations": case.allegations.all(),
        "complainants": complainants,
        "reply_window": case.deadlines.filter(kind="respondent_reply", status="open").first(),
        "replies": case.replies.filter(person=party.person)
        .prefetch_related("evidence")
        .order_by("at"),
        "hearing_request": HearingRequest.objects.filter(case=case).first(),
        "thread": Message.objects.filter(case=case, party_person=party.person).order_by("at"),
        "message_form": MessageForm(),
        "is_respondent": party.role == PartyRole.RESPONDENT,
        "evidence": party_evidence(case, person=party.person, role=party.role),
        "panel_members": panel_members_for_parties(case),
        "challenges": _challenges_by(party),
        "shared_notes": party_notes(case, role=party.role),
        # What the sanction asks of the respondent, and where each stands (not the team's
        # notes on it).
        "conditions": conditions_of(case) if party.role == PartyRole.RESPONDENT else [],
        # A complainant's own links to posts not (yet) captured, and whether they may send one.
        "captures": party_captures(case, person=party.person),
        "may_capture": party.role == PartyRole.COMPLAINANT
        and spec.complainant_capture
        and not case.is_closed,
    }
    return render(request, "portal/case.html", context)


def _challenges_by(party: Any) -> Any:
    return BiasChallenge.objects.filter(case=party.case, raised_by=party.person).select_related(
        "challenged"
    )


SIGNED_OUT = _(
    "You have signed out. To come back to your case, use a sign-in link: ask for a new one "
    "below if yours has been used."
)
NO_PANEL = _("No panel sits on your case yet, so there is nobody to challenge.")
CHALLENGE_NOT_YOURS = _("No challenge of yours has that number.")
REPLY_SENT = _("Your reply has been sent to the case team.")
HEARING_REQUESTED = _("Your hearing request has been recorded.")
HEARING_MOVED = _("The hearing has been moved so that your companion can attend.")
MESSAGE_SENT = _("Message sent to the case team.")
MESSAGE_EMPTY = _("Write your message before sending it.")
CAPTURE_ASKED = _(
    "Thank you. We are capturing the page: it will be listed under “Evidence you sent” in a "
    "minute or two. If it cannot be captured, we say why there."
)


@require_http_methods(["GET", "POST"])
def challenge_view(request: HttpRequest, reference: str) -> HttpResponse:
    """A party challenges a member of their case's panel for bias, with their grounds."""
    party = party_case_for(request, reference)
    members = panel_members_for_parties(party.case)
    if not members:
        messages.info(request, NO_PANEL)
        return redirect("portal:case", reference=reference)
    form = ChallengeForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = challenge_raise(
                actor=None,
                case=party.case,
                challenged=User.objects.get(pk=form.cleaned_data["challenged"]),
                raised_by=party.person,
                grounds=form.cleaned_data["grounds"],
            )
        except CaseError as exc:
            form.add_error("challenged", _in_words(exc))
        else:
            return redirect("portal:challenge_sent", reference=reference, pk=challenge.pk)
    return render(
        request,
        "portal/challenge.html",
        {"case": party.case, "form": form},
        status=400 if form.errors else 200,
    )


def challenge_sent_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """What happens to a challenge the party raised, and, once decided, how and why."""
    party = party_case_for(request, reference)
    challenge = _challenges_by(party).filter(pk=pk).first()
    if challenge is None:
        raise Http404(CHALLENGE_NOT_YOURS)
    return render(
        request, "portal/challenge_sent.html", {"case": party.case, "challenge": challenge}
    )


def bundle_view(request: HttpRequest, reference: str) -> HttpResponse:
    """The respondent's hearing bundle: made now, its disclosure recorded on the ledger."""
    party = bundle_party_for(request, reference)
    bundle = bundle_make(actor=None, case=party.case, audience=RESPONDENT, person=party.person)
    return pdf_attachment(bundle.pdf, f"bundle-{party.case.reference}-respondent.pdf")


@require_http_methods(["GET", "POST"])
def reply_view(request: HttpRequest, reference: str) -> HttpResponse:
    party = party_case_for(request, reference)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = form.cleaned_data["attachments"]
        try:
            services.reply_submit(
                case=party.case,
                person=party.person,
                role=party.role,
                text=form.cleaned_data["text"],
                uploads=[upload for upload in map(upload_of, files) if upload is not None],
            )
        except EvidenceRefused as refused:
            form.add_error("attachments", _in_words(refused))
        except CaseError as exc:
            form.add_error("text", _in_words(exc))
        else:
            sent = len(files)
            messages.success(
                request,
                ngettext(
                    "Your reply has been sent to the case team, with %(count)d file.",
                    "Your reply has been sent to the case team, with %(count)d files.",
                    sent,
                )
                % {"count": sent}
                if sent
                else REPLY_SENT,
            )
            return redirect("portal:case", reference=reference)
    return render(
        request,
        "portal/reply.html",
        {"case": party.case, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def hearing_request_view(request: HttpRequest, reference: str) -> HttpResponse:
    party = party_case_for(request, reference)
    form = HearingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hearing_request_submit(
                case=party.case,
                person=party.person,
                role=party.role,
                oral=form.cleaned_data["oral"] == "yes",
                companion_name=form.cleaned_data["companion_name"],
                companion_unavailable_on=form.cleaned_data["companion_unavailable_on"],
            )
        except CaseError as exc:
            form.add_error(None, _in_words(exc))
        else:
            messages.success(request, HEARING_REQUESTED)
            return redirect("portal:case", reference=reference)
    return render(
        request,
        "portal/hearing_request.html",
        {"case": party.case, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def hearing_move_view(request: HttpRequest, reference: str) -> HttpResponse:
    party = party_case_for(request, reference)
    form = MoveHearingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hearing_move_for_companion(
                case=party.case,
                person=party.person,
                role=party.role,
                new_date=form.cleaned_data["new_date"],
            )
        except CaseError as exc:
            form.add_error("new_date", _in_words(exc))
        else:
            messages.success(request, HEARING_MOVED)
            return redirect("portal:case", reference=reference)
    return render(
        request,
        "portal/hearing_move.html",
        {"case": party.case, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def capture_view(request: HttpRequest, reference: str) -> HttpResponse:
    """A complainant sends the link to a post; the worker captures it as an item of theirs."""
    party = capture_party_for(request, reference)
    case = party.case
    form = PartyCaptureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            capture_request_by_party(
                case=case,
                person=party.person,
                url=form.cleaned_data["url"],
                description=form.cleaned_data["description"],
            )
        except EvidenceRefused as refused:
            form.add_error("url", str(refused))
        else:
            messages.success(request, CAPTURE_ASKED)
            return redirect("portal:case", reference=case.reference)
    return render(
        request,
        "portal/capture.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def message_view(request: HttpRequest, reference: str) -> HttpResponse:
    party = party_case_for(request, reference)
    form = MessageForm(request.POST)
    if form.is_valid():
        services.message_send(
            case=party.case,
            party_person=party.person,
            party_role=party.role,
            body=form.cleaned_data["body"],
        )
        messages.success(request, MESSAGE_SENT)
    else:
        messages.error(request, MESSAGE_EMPTY)
    return redirect("portal:case", reference=reference)


@login_required
@require_POST
def staff_send_link_view(request: HttpRequest, reference: str, person_id: int) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    person = get_object_or_404(Person, pk=person_id, organisation_id=case.organisation_id)
    try:
        sign_in.sign_in_link_send(actor=request.user, case=case, person=person)
    except CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Sign-in link sent to {person.full_name}."
            if person.email
            else f"Sign-in letter made for {person.full_name}: print it and post it from "
            "“Letters to post”.",
        )
    return redirect("cases:detail", reference=case.reference)


@login_required
@require_POST
def staff_message_view(request: HttpRequest, reference: str, person_id: int) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    person = get_object_or_404(Person, pk=person_id, organisation_id=case.organisation_id)
    role = services.party_role(case, person)
    form = MessageForm(request.POST)
    if role is None or not form.is_valid():
        messages.error(request, "Write a message to one of the parties.")
    else:
        services.message_send(
            case=case,
            party_person=person,
            party_role=role,
            body=form.cleaned_data["body"],
            from_staff=request.user,
        )
        messages.success(request, f"Message sent to {person.full_name}.")
    return redirect("cases:detail", reference=case.reference)


@require_POST
def sign_out_view(request: HttpRequest) -> HttpResponse:
    """A party leaves: this browser forgets their case until they use a sign-in link again."""
    party_session_end(request)
    messages.success(request, SIGNED_OUT)
    return redirect("portal:start")
