"""Demo: a post captured from its link by the capture's own code (headless Chromium, as the
worker runs it), from a page the demo serves itself, and a like alleged as such (all
fictional).

The page is served at `POST_PATH` by the demo's own site when it runs with DEBUG (post_page.py,
so "Capture the link again" works there with `FAIRHEARING_CAPTURE_ALLOW_PRIVATE=127.0.0.1:8000`),
and, while the demo loads, by a small server started here on the site's address (or, if that
is taken by something else, on a free port). Only that address is let through the capture's
guard against private addresses, and only for this capture.
"""

import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.test.utils import override_settings

from fairhearing.accounts.models import User
from fairhearing.cases.models import AllegationType, Case, Channel
from fairhearing.evidence.capture_queue import capture_request
from fairhearing.evidence.capture_record import capture_run
from fairhearing.evidence.models import CaptureRequest
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.record import complaint_record
from fairhearing.organisations.models import Organisation
from fairhearing.people.services import PersonDetails
from fairhearing.workflow.services import case_assign

from .post_page import LIKER, POST_HTML, POST_PATH


class _PostHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, body = (200, POST_HTML) if self.path == POST_PATH else (404, b"Not found")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own site
            return bool(response.status == 200 and response.read() == POST_HTML)
    except OSError:
        return False


@contextmanager
def post_served(base_url: str) -> Iterator[str]:
    """The demo post's URL, served for as long as the block runs (see the module's
    docstring)."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if _answers(f"http://{host}:{port}{POST_PATH}"):
        yield f"http://{host}:{port}{POST_PATH}"
        return
    try:
        server = ThreadingHTTPServer((host, port), _PostHandler)
    except OSError:  # the address is taken by something that is not the demo
        server = ThreadingHTTPServer(("127.0.0.1", 0), _PostHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        served_port = server.server_address[1]
        served_host = host if served_port == port else "127.0.0.1"
        yield f"http://{served_host}:{served_port}{POST_PATH}"
    finally:
        server.shutdown()
        server.server_close()


def web_capture_demo(
    organisation: Organisation, users: dict[str, User], *, base_url: str = ""
) -> tuple[Case, CaptureRequest]:
    """A member alleged to have liked the Eastgate post, from her own account; the post
    captured from its link onto her case."""
    officer = users["officer"]
    with post_served(base_url or settings.SITE_URL) as url:
        complaint = complaint_record(
            actor=officer,
            organisation=organisation,
            channel=Channel.EMAIL,
            complainant=PersonDetails(full_name="Ottoline Marsh", email="ottoline@example.invalid"),
            respondents=[
                PersonDetails(
                    full_name="Tamsin Renwick", membership_number="NCL-77310", is_member=True
                )
            ],
            allegation=AllegationDetails(
                allegation_type=AllegationType.LIKE,
                category="racism",
                description=(
                    "A branch officer liked the Eastgate post saying one community is 'bussed "
                    "in to vote', from her own account, and it shows on the post."
                ),
                url=url,
                acting_account=LIKER,
            ),
            summary="Liked a post targeting members of one community.",
        )
        case = complaint.cases.get()
        case_assign(actor=officer, case=case, user=officer, role="case_officer")
        allowed = urlsplit(url).netloc
        with override_settings(CAPTURE_ALLOW_PRIVATE=[allowed]):
            asked = capture_request(
                actor=officer,
                case=case,
                url=url,
                description="The post she liked, captured from its link by the case officer.",
            )
            done = capture_run(request_id=asked.pk)
    return case, done
