"""What a web worker loads before it serves anything: the site's every URL, view and middleware,
but not the libraries only some requests need (PDFs, spreadsheets) or only the tests need
(datasketch, which brings scipy). Each is tens of megabytes in every gunicorn worker
(docs/performance.md, "Where it is still short")."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
HEAVY = ("reportlab", "pypdf", "openpyxl", "datasketch", "scipy", "playwright", "warcio")

LOAD = f"""
import sys
from fairhearing.wsgi import application
from django.urls import get_resolver
get_resolver().url_patterns
print(",".join(m for m in {HEAVY!r} if m in sys.modules))
import gc
print(gc.get_freeze_count(), len(gc.get_objects()), file=sys.stderr)
"""


def loaded(tmp_path: Path, then: str = "") -> tuple[str, list[str]]:
    """The heavy modules loaded in a fresh process after the WSGI app and every URL (and
    `then`), comma-separated; and the collector's frozen and tracked object counts."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env.update(DJANGO_SETTINGS_MODULE="fairhearing.settings", FAIRHEARING_VAR_DIR=str(tmp_path))
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", LOAD.replace("url_patterns", f"url_patterns\n{then}")],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip(), result.stderr.split()


def test_a_web_worker_does_not_load_what_only_some_requests_need(tmp_path: Path) -> None:
    assert loaded(tmp_path)[0] == ""


def test_a_web_worker_sets_start_ups_objects_aside_from_the_collector(tmp_path: Path) -> None:
    """`fairhearing.wsgi` settles the worker: what loading made is frozen, so a full collection
    in a request walks only what requests made since, not the whole of Django."""
    frozen, tracked = (int(n) for n in loaded(tmp_path)[1][-2:])
    assert frozen > 50_000
    assert tracked < frozen / 10


def test_the_pdf_modules_do_load_what_they_need(tmp_path: Path) -> None:
    """The check above can fail: the modules that make PDFs still bring reportlab and pypdf."""
    assert loaded(tmp_path, "import fairhearing.evidence.bundle")[0] == "reportlab,pypdf"
