"""Demo file notes and a stage checklist part done, on one of the officer's cases (fictional
text only): what the case team keeps on the file, and one note shared with the respondent."""

from fairhearing.accounts.models import User
from fairhearing.cases.models import Case
from fairhearing.notes.services import checklist_tick, note_add, note_disclose
from fairhearing.organisations.models import Organisation

NOTES = (
    "Rang the complainant to confirm the date of the branch meeting: 3 March, as in the "
    "complaint. She will send the screenshots she still has.",
    "The branch secretary says the minutes of that meeting are being typed up; asked for a "
    "copy when they are agreed.",
)
SHARED = (
    "We have asked the branch for the minutes of the meeting on 3 March, and will add them to "
    "the evidence when they arrive. You will be able to read them here before any decision."
)


def _case_for_notes(organisation: Organisation, officer: User) -> Case | None:
    """The officer's first open case at the notice stage (or, in a small demo, at any stage
    with a checklist)."""
    mine = Case.objects.filter(
        organisation=organisation,
        closed_at__isnull=True,
        assignments__user=officer,
        assignments__ended_at__isnull=True,
    ).order_by("reference")
    at_notice = mine.filter(stage="notice").first()
    if at_notice is not None:
        return at_notice
    spec = organisation.current_rulebook_spec()
    return mine.filter(stage__in=list(spec.checklists)).first()


def file_notes_demo(organisation: Organisation, users: dict[str, User]) -> Case | None:
    officer = users["officer"]
    case = _case_for_notes(organisation, officer)
    if case is None:
        return None
    for text in NOTES:
        note_add(actor=officer, case=case, text=text)
    shared = note_add(actor=officer, case=case, text=SHARED)
    note_disclose(
        actor=officer,
        note=shared,
        audience="respondent",
        reasons="The respondent asked by message what evidence is still to come.",
    )
    for item in case.rulebook.spec.checklist_for(case.stage)[:2]:
        checklist_tick(actor=officer, case=case, key=item.key, done=True)
    return case
