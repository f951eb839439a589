"""No import of the project's own code hides inside a function to dodge a cycle: the layers
(pyproject.toml, `make lint`) say who may import whom, and an import that would point up
belongs one layer higher, not in a function body.

The exceptions are named here, each with its reason. A new deferred import fails this test
until it is moved to the top of its module (or, for a real exception, named with why).
"""

import ast
from pathlib import Path

import fairhearing

ROOT = Path(fairhearing.__file__).parent

# (module path relative to fairhearing/, function): why the import waits until it runs.
ALLOWED = {
    # Django loads models only once every app is ready: `ready()` is where an app registers
    # its tasks and checks, importing what it needs then.
    **{
        (f"{app}/apps.py", "ready"): "AppConfig.ready runs once the app registry is loaded"
        for app in (
            "accounts",
            "deadlines",
            "dossiers",
            "evidence",
            "intake",
            "notifications",
            "webhooks",
            "worker",
        )
    },
    # A PDF's maker brings reportlab (and pypdf): tens of megabytes a web worker need not
    # carry until it makes one (core/tests/test_worker_imports.py). Not a cycle.
    ("evidence/services.py", "bundle_make"): "loads reportlab and pypdf only to make a bundle",
    ("reporting/views.py", "report_view"): "loads reportlab only to make a PDF",
}


def deferred_imports() -> list[tuple[str, str, str, int]]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        parts = set(path.relative_to(ROOT).parts)
        if parts & {"tests", "migrations", "testing"}:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and (
                    node.level or (node.module or "").startswith("fairhearing")
                ):
                    module = "." * node.level + (node.module or "")
                    found.append((relative, function.name, module, node.lineno))
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.name.startswith("fairhearing"):
                            found.append((relative, function.name, alias.name, node.lineno))
    return found


def test_no_import_of_our_own_code_waits_inside_a_function() -> None:
    hidden = [
        f"{path}:{line} {function}() imports {module}"
        for path, function, module, line in deferred_imports()
        if (path, function) not in ALLOWED
    ]
    assert hidden == [], (
        "move these imports to the top of their modules (an upward one belongs a layer "
        "higher):\n" + "\n".join(hidden)
    )


def test_every_exception_is_still_needed() -> None:
    used = {(path, function) for path, function, _module, _line in deferred_imports()}
    assert set(ALLOWED) - used == set(), "remove the exceptions that no longer apply"


def test_the_scan_sees_a_deferred_import(tmp_path, monkeypatch) -> None:
    module = tmp_path / "cases" / "services.py"
    module.parent.mkdir()
    module.write_text(
        "def f():\n    from fairhearing.panels.queries import sitting_panel\n"
        "def g():\n    from .models import Case\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert [(p, f, m) for p, f, m, _line in deferred_imports()] == [
        ("cases/services.py", "f", "fairhearing.panels.queries"),
        ("cases/services.py", "g", ".models"),
    ]
