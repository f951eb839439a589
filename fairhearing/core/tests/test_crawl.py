"""Every page a person can reach in the demo, as each role and as the public: no server
error, and no internal text (a Python object's repr, a snake_case key, a bare None) where
people read. A crawl from each role's landing page follows every link on the site."""

import io
import re
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from fairhearing.accounts.models import User

pytestmark = pytest.mark.django_db

PAGES_PER_ROLE = 120
ROLES = ["officer", "investigator", "oversight", "governing", "admin", "lawyer1"]
PUBLIC = ["/", "/complaint/anonymous/", "/report/", "/portal/", "/statistics/"]
# Never followed: they change state on GET-less forms (sign out is a POST anyway) or are
# machine answers (JSON, proofs) checked elsewhere.
SKIP = re.compile(r"^/(accounts/sign-out|api/|ledger/|healthz|readyz|static/)")

# Internal text: what code prints when a template shows an object instead of words.
INTERNAL = [
    re.compile(r"\b[A-Z][A-Za-z]+\((?:[a-z_]+=|')"),  # a dataclass's or namedtuple's repr
    re.compile(r"<[A-Za-z.]+ object at 0x[0-9a-f]+>"),
    re.compile(r"<(?:QuerySet|[A-Z][A-Za-z]+): "),  # a queryset's or a model's repr
    re.compile(r"\bNone\b(?! yet| of | have| has)"),  # a bare None
    re.compile(r"\b[A-Za-z]+(?:_[a-z]+)+\b"),  # a snake_case key, even capitalised
    re.compile(r"\{'[a-z_]+': "),  # a dict
]


class Page(HTMLParser):
    """The visible text of a page (not scripts, styles, code or hidden inputs) and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "code", "pre", "textarea"}:
            self._hidden += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "code", "pre", "textarea"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.text.append(data.strip())


def internal_text(text: str) -> list[str]:
    found = []
    for pattern in INTERNAL:
        for match in pattern.finditer(text):
            start = max(match.start() - 40, 0)
            found.append(f"…{text[start : match.end() + 40]}…")
    return found


def crawl(client: Client, starts: list[str]) -> Iterator[tuple[str, int, list[str]]]:
    """(path, status, internal text found) for each page reached from `starts`."""
    seen: set[str] = set()
    queue = deque(starts)
    while queue and len(seen) < PAGES_PER_ROLE:
        path = urldefrag(queue.popleft())[0]
        if path in seen or SKIP.match(path):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in {301, 302}:
            location = response["Location"]
            if location.startswith("/"):
                queue.append(location)
            continue
        content_type = response.get("Content-Type", "")
        if not content_type.startswith("text/html"):
            yield path, response.status_code, []
            continue
        page = Page()
        page.feed(response.content.decode())
        yield path, response.status_code, internal_text(" ".join(page.text))
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue  # another site, mailto:, or a fragment
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))


@pytest.fixture
def demo() -> None:
    call_command("load_demo", "--cases", "40", stdout=io.StringIO())


@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_role_reaches_is_in_peoples_words(demo, username) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    problems = []
    pages = 0
    for path, status, internal in crawl(client, ["/accounts/home/"]):
        pages += 1
        if status >= 500:
            problems.append(f"{path}: {status}")
        problems += [f"{path}: {text}" for text in internal]
    assert pages > 3
    assert not problems, "\n".join(problems[:40])


def test_every_public_page_is_in_peoples_words(demo) -> None:
    problems = []
    for path, status, internal in crawl(Client(), PUBLIC):
        if status >= 500:
            problems.append(f"{path}: {status}")
        problems += [f"{path}: {text}" for text in internal]
    assert not problems, "\n".join(problems[:40])


def test_the_crawl_would_see_a_raw_object() -> None:
    from fairhearing.organisations.rulebook import Transition

    shown = str(Transition(key="assess", source="a", target="b", label="Assess"))
    assert internal_text(f"Decisions so far {shown}")
    assert internal_text("Respondent_reply: due")
    assert internal_text("charge_decision: due 2026-12-18")
    assert internal_text("Emails to the parties: None")
    assert not internal_text("Emails to the parties: None yet. Case FH-2026-00001.")


def test_every_page_a_party_reaches_is_in_peoples_words(demo, mailoutbox) -> None:
    """Each respondent and complainant of a few cases at different stages, signed in with
    their emailed link, and the demo's anonymous reporter with their receipt code."""
    from fairhearing.cases.models import Case
    from fairhearing.demo.data import DEMO_RECEIPT
    from fairhearing.workflow.sign_in import sign_in_link_send

    problems = []
    stages_seen: set[str] = set()
    for case in Case.objects.select_related("respondent").order_by("pk"):
        if case.stage in stages_seen:
            continue
        people = [case.respondent] + [p.person for p in case.parties.filter(role="complainant")]
        for person in [p for p in people if p.email][:2]:
            stages_seen.add(case.stage)
            mailoutbox.clear()
            sign_in_link_send(actor=None, case=case, person=person)
            link = re.search(r"/portal/sign-in/[^\s\"<]+", mailoutbox[0].body)
            assert link is not None
            client = Client()
            client.post(link.group(0))
            assert client.get(f"/portal/cases/{case.reference}/").status_code == 200
            for path, status, internal in crawl(client, [f"/portal/cases/{case.reference}/"]):
                if status >= 500:
                    problems.append(f"{path}: {status}")
                problems += [f"{path}: {text}" for text in internal]
    assert len(stages_seen) >= 3
    reporter = Client()
    reporter.post("/report/", {"code": DEMO_RECEIPT})
    assert reporter.get("/report/status/").status_code == 200  # signed in with the receipt
    for path, status, internal in crawl(reporter, ["/report/status/"]):
        if status >= 500:
            problems.append(f"{path}: {status}")
        problems += [f"{path}: {text}" for text in internal]
    assert not problems, "\n".join(problems[:40])
