"""Who reads a case's file notes: the case team and oversight, never the panel or the
parties (a note reaches the parties only once shared with them, a recorded decision).

`NOTE_READERS` is the declared table: for each role that reads notes, the action on the case
(`cases.access.POLICY`) the role must hold there. A case officer or investigator reads the
notes of the cases they may act on; oversight, which reads every case (R-32), reads their
notes too. A seated panel member may open the case but not its notes: the panel decides on
the evidence and what the parties say, not on the case team's working file. A refusal is the
case's own: a 404, recorded in the interference register.
"""

from typing import Any

from django.http import HttpRequest

from fairhearing.accounts.models import Role
from fairhearing.cases.access import NOT_FOUND, Action, CaseNotFound, case_for, cases_visible_to
from fairhearing.cases.models import Case
from fairhearing.oversight.services import access_attempt_record

NOTE_READERS: dict[str, Action] = {
    Role.CASE_OFFICER: "act",
    Role.INVESTIGATOR: "act",
    Role.OVERSIGHT: "view",
}


def notes_case_for(user: Any, reference: str, *, request: HttpRequest | None = None) -> Case:
    """The case, if this user may read its file notes; otherwise record and refuse (404)."""
    action = NOTE_READERS.get(getattr(user, "role", ""))
    if action is None:
        case = Case.objects.filter(reference=reference).first()
        access_attempt_record(
            user=user, reference=reference, action="view", case=case, request=request
        )
        raise CaseNotFound(NOT_FOUND)
    return case_for(user, reference, action=action, request=request)


def notes_readable(user: Any, case: Case) -> bool:
    """Whether the case page shows this user the case's file notes (nothing is recorded: the
    page itself is theirs to open)."""
    action = NOTE_READERS.get(getattr(user, "role", ""))
    return action is not None and cases_visible_to(user, action).filter(pk=case.pk).exists()
