"""Staff pages of the case team's working file: the notes, a note added, a note shared with
the parties, and the stage's checklist saved from the next-step panel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from fairhearing.cases.access import case_for, user_may_act
from fairhearing.core.errors import CaseError

from . import services
from .access import notes_case_for
from .forms import ChecklistForm, DiscloseForm, NoteForm
from .queries import checklist_of, note_of, notes_of

NOTE_ADDED = "File note added."
NOTE_SHARED = "Note shared with {audience}."
CHECKLIST_SAVED = "Checklist saved: {done} of {total} checks done."
CHECKLIST_UNCHANGED = "Nothing on the checklist changed."
CHECKLIST_MOVED_ON = "The case has moved to another stage: this is its checklist now."


def _case_page(reference: str, part: str) -> str:
    return f"{reverse('cases:detail', args=[reference])}#{part}"


@login_required
def note_list_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = notes_case_for(request.user, reference, request=request)
    return render(
        request,
        "notes/note_list.html",
        {
            "case": case,
            "notes": notes_of(case),
            "may_act": user_may_act(request.user, case),
            "note_form": NoteForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_add_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_add(actor=request.user, case=case, text=form.cleaned_data["text"])
        except CaseError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, NOTE_ADDED)
            return redirect(_case_page(case.reference, "file-notes"))
    return render(
        request,
        "notes/note_add.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_disclose_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    note = note_of(case, pk)
    form = DiscloseForm(request.POST or None)
    if request.method == "POST" and not note.is_disclosed and form.is_valid():
        try:
            note = services.note_disclose(
                actor=request.user,
                note=note,
                audience=form.cleaned_data["audience"],
                reasons=form.cleaned_data["reasons"],
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            audience = note.get_disclosed_to_display()
            messages.success(
                request, NOTE_SHARED.format(audience=audience[0].lower() + audience[1:])
            )
            return redirect(_case_page(case.reference, "file-notes"))
    return render(
        request,
        "notes/note_disclose.html",
        {"case": case, "note": note, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def checklist_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for(request.user, reference, action="act", request=request)
    form = ChecklistForm(request.POST, items=case.rulebook.spec.checklist_for(case.stage))
    if not form.is_valid():
        messages.error(request, CHECKLIST_MOVED_ON)
        return redirect(_case_page(case.reference, "next-step"))
    try:
        changed = services.checklist_update(
            actor=request.user,
            case=case,
            done=set(form.cleaned_data["done"]),
            shown_done=set(form.cleaned_data["shown_done"]),
        )
    except CaseError as error:
        messages.error(request, str(error))
    else:
        if changed:
            lines = checklist_of(case)
            done = len([line for line in lines if line.done])
            messages.success(request, CHECKLIST_SAVED.format(done=done, total=len(lines)))
        else:
            messages.info(request, CHECKLIST_UNCHANGED)
    return redirect(_case_page(case.reference, "next-step"))
