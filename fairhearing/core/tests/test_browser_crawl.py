"""The demo in a real browser at 390 px wide, as each staff role: every page reached from
the role's landing page (and a case page) fits the phone's width and passes axe-core. The
words on every page are checked by test_crawl.py, which reaches many more pages."""

import io
import re
from collections import deque
from urllib.parse import urldefrag

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from fairhearing.core.testing.browser import assert_accessible
from fairhearing.core.testing.pages import sign_in, sign_out
from fairhearing.demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]

PAGES_PER_ROLE = 12
PHONE = 390
SKIP = re.compile(r"^/(accounts/sign-out|api/|ledger/|healthz|readyz|static/)|\.(csv|pdf|json)$")


def too_wide(page: Page) -> int:
    """How much wider than the screen the page is (0 if it fits)."""
    return max(int(page.evaluate("document.documentElement.scrollWidth")) - PHONE, 0)


def links_on(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "main a[href^='/'], nav a[href^='/']", "els => els.map(e => e.getAttribute('href'))"
    )
    return [urldefrag(h)[0] for h in hrefs if h]


def test_every_page_fits_a_phone_and_passes_axe_as_every_role(page: Page, live_server) -> None:
    call_command("load_demo", "--cases", "24", stdout=io.StringIO())
    base = live_server.url
    problems = []
    for username in ["officer", "oversight", "governing", "admin", "lawyer1"]:
        page.set_viewport_size({"width": 1280, "height": 900})
        sign_in(page, base, username, password=DEMO_PASSWORD)
        page.set_viewport_size({"width": PHONE, "height": 900})
        landing = page.url.removeprefix(base)
        queue = deque([landing])
        seen: set[str] = set()
        case_pages = [h for h in links_on(page) if re.match(r"^/cases/FH-\d{4}-\d+/$", h)]
        queue.extend(case_pages[:1])
        while queue and len(seen) < PAGES_PER_ROLE:
            path = queue.popleft()
            if path in seen or SKIP.search(path):
                continue
            seen.add(path)
            page.goto(base + path)
            if extra := too_wide(page):
                problems.append(f"{username} {path}: {extra} px wider than a {PHONE} px screen")
            try:
                assert_accessible(page, context=f"{username} {path}")
            except AssertionError as exc:
                problems.append(str(exc))
            queue.extend(links_on(page))
        page.set_viewport_size({"width": 1280, "height": 900})
        sign_out(page)
    # Public pages a person reaches from an email or a mistyped address.
    page.set_viewport_size({"width": PHONE, "height": 900})
    for path in ["/ledger/proofs/inclusion?seq=3", "/no-such-page/", "/statistics/2099-Q9/"]:
        page.goto(base + path)
        if extra := too_wide(page):
            problems.append(f"public {path}: {extra} px wider than a {PHONE} px screen")
        try:
            assert_accessible(page, context=f"public {path}")
        except AssertionError as exc:
            problems.append(str(exc))
    assert not problems, "\n".join(problems)
