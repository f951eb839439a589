"""Every refusal goes through an app's `access.py` (issue 22, item 4).

Who may open a page or call the API is decided in one place per app, named and tested, and
shared by the page and its API twin; the refusal it raises is recorded in the interference
register (by the access function, or by the refusal middleware and the API's 403 handlers for
a `PermissionDenied`). A view or API handler that decides it itself (raises `PermissionDenied`
or a 403, compares a user's role, or refuses on a party's role) is a refusal nobody named and
that may go unrecorded: this scan fails on one.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the fairhearing package
EDGES = sorted([*ROOT.glob("*/views.py"), *ROOT.glob("*/api.py")])
HINT = "move the decision into the app's access.py (see docs/architecture.md) and call it"


def _name(node: ast.AST) -> str:
    """The last name of a (dotted) name or call: `exceptions.PermissionDenied(...)` ->
    `PermissionDenied`."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _is_user(node: ast.AST) -> bool:
    """`user`, `request.user`, `self.request.user`, `actor`: a signed-in account."""
    return _name(node) in {"user", "actor"}


def _user_role(node: ast.AST) -> bool:
    """`user.role`, `request.user.role`, `getattr(user, "role", ...)`."""
    if isinstance(node, ast.Attribute) and node.attr == "role":
        return _is_user(node.value)
    if isinstance(node, ast.Call) and _name(node.func) == "getattr" and len(node.args) >= 2:
        attribute = node.args[1]
        return isinstance(attribute, ast.Constant) and attribute.value == "role"
    return False


def _account_role(node: ast.AST) -> bool:
    """`Role.ADMINISTRATOR` (the accounts' roles, not `Party.Role`), alone or in a set."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id == "Role"
    if isinstance(node, ast.Set | ast.Tuple | ast.List):
        return any(_account_role(element) for element in node.elts)
    return False


def _any_role(node: ast.AST) -> bool:
    """Any `<something>.role`: a user's or a party's."""
    return isinstance(node, ast.Attribute) and node.attr == "role"


def _raises(body: list[ast.stmt]) -> bool:
    return any(isinstance(statement, ast.Raise) for statement in body)


def _forbidden_status(call: ast.Call) -> bool:
    """`render(..., status=403)` and the like."""
    return any(
        keyword.arg == "status"
        and isinstance(keyword.value, ast.Constant)
        and keyword.value.value == 403
        for keyword in call.keywords
    )


def _refuses_on_a_role(node: ast.If) -> bool:
    """`if <anything>.role ...: raise ...`: a role (a party's too) that turns someone away."""
    return _raises(node.body) and any(
        isinstance(test, ast.Compare) and any(map(_any_role, [test.left, *test.comparators]))
        for test in ast.walk(node.test)
    )


def _raise(node: ast.Raise) -> str:
    if node.exc is None:
        return ""
    name = _name(node.exc)
    if name == "PermissionDenied":
        return "raises PermissionDenied"
    first = node.exc.args[0] if isinstance(node.exc, ast.Call) and node.exc.args else None
    if isinstance(first, ast.Constant) and first.value == 403:
        return f"raises {name}(403, ...)"
    return ""


def refusals_decided_here(source: str) -> list[tuple[int, str]]:
    """(line, what) for each refusal or role decision a view or API module makes itself."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        what = ""
        if isinstance(node, ast.Raise):
            what = _raise(node)
        elif isinstance(node, ast.Call) and _name(node) == "HttpResponseForbidden":
            what = "answers HttpResponseForbidden"
        elif isinstance(node, ast.Call) and _forbidden_status(node):
            what = "answers with status=403"
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_user_role(o) or _account_role(o) for o in operands):
                what = "compares a user's role"
        elif isinstance(node, ast.If) and _refuses_on_a_role(node):
            what = "refuses on a role"
        if what:
            found.append((getattr(node, "lineno", 0), what))
    return sorted(set(found))


def test_the_scan_sees_every_module() -> None:
    names = {f"{path.parent.name}/{path.name}" for path in EDGES}
    assert {"intake/views.py", "intake/api.py", "webhooks/views.py", "cases/api.py"} <= names
    assert len(EDGES) > 20


@pytest.mark.parametrize("path", EDGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_view_or_api_handler_decides_a_refusal_itself(path: Path) -> None:
    found = refusals_decided_here(path.read_text())
    where = "\n".join(f"  {path.parent.name}/{path.name}:{line}: {what}" for line, what in found)
    assert not found, f"a refusal decided outside access.py:\n{where}\n{HINT}"


# What the scan must catch: the inline checks it replaced, and their near relatives.
CAUGHT = {
    "role compared, PermissionDenied": """
def view(request):
    user = request.user
    if user.role != Role.CASE_OFFICER or user.organisation_id is None:
        raise PermissionDenied(ONLY_CASE_OFFICERS)
""",
    "API 403": """
def handler(request, payload):
    if payload.channel != Channel.WEB and request.user.role != Role.CASE_OFFICER:
        raise ApiError(403, "forbidden", ONLY_CASE_OFFICERS)
""",
    "ninja HttpError": """
def handler(request):
    raise HttpError(403, "No.")
""",
    "role decides what is offered": """
def view(request, user):
    form = MeetingForm(request.POST or None) if user.role == Role.ADMINISTRATOR else None
""",
    "getattr role in a set": """
def view(request):
    return {"may_edit": getattr(request.user, "role", None) in {Role.ADMINISTRATOR}}
""",
    "a party's role refused": """
def view(request, reference):
    party = party_case_for(request, reference)
    if party.role != PartyRole.RESPONDENT:
        raise Http404(ONLY_RESPONDENT_BUNDLE)
""",
    "bare PermissionDenied": """
def view(request):
    raise exceptions.PermissionDenied
""",
    "a forbidden response": """
def view(request):
    return render(request, "x.html", status=403)
""",
}

# What it must leave alone: access calls, not-found answers, and roles used as data.
LEFT = {
    "access call": """
def view(request):
    organisation = complaint_recorder(request.user)
    raise Http404("No such template.")
""",
    "party roles as data": """
def view(case):
    ids = [p.person_id for p in case.parties.all() if p.role == Party.Role.COMPLAINANT]
    return {"is_respondent": party.role == PartyRole.RESPONDENT}
""",
    "roles as a lookup": """
def view(request, user):
    return redirect(HOME_BY_ROLE.get(user.role, "interests:list"))
""",
}


@pytest.mark.parametrize("name", CAUGHT)
def test_the_scan_catches_an_inline_refusal(name: str) -> None:
    assert refusals_decided_here(CAUGHT[name]) != []


@pytest.mark.parametrize("name", LEFT)
def test_the_scan_leaves_access_calls_and_data_alone(name: str) -> None:
    assert refusals_decided_here(LEFT[name]) == []
