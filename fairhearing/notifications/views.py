"""Letters for post, from their case: staff who may act on it print a letter and record it
posted; the API has the same (notifications/api.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from fairhearing.cases.access import case_for
from fairhearing.cases.models import Case
from fairhearing.evidence.responses import pdf_attachment

from . import services
from .forms import LetterPostedForm
from .models import Notification

NOT_A_LETTER = "That letter is not part of this case."


def letter_of_case(case: Case, pk: int) -> Notification:
    letter = (
        Notification.objects.filter(case=case, pk=pk, channel=Notification.Channel.POST)
        .select_related("case__organisation", "case__rulebook", "person", "posted_by")
        .first()
    )
    if letter is None:
        raise Http404(NOT_A_LETTER)
    return letter


def letter_pdf_response(letter: Notification) -> HttpResponse:
    case: Case = letter.case  # type: ignore[assignment]
    return pdf_attachment(services.letter_pdf(letter), f"letter-{case.reference}-{letter.pk}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def letter_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    letter = letter_of_case(case, pk)
    form = LetterPostedForm(request.POST or None, initial={"posted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_record_posted(
                actor=request.user, letter=letter, posted_on=form.cleaned_data["posted_on"]
            )
        except services.LetterError as error:
            form.add_error(None, str(error))
        else:
            letter.refresh_from_db()
            messages.success(
                request,
                f"Letter to {letter.to_name} recorded as posted on "
                f"{letter.posted_on:%-d %B %Y}: served on {letter.served_on:%-d %B %Y}.",
            )
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "notifications/letter.html",
        {"case": case, "letter": letter, "text": services.letter_text(letter), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def letter_pdf_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    return letter_pdf_response(letter_of_case(case, pk))
