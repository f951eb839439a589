"""Self-test of the browser harness: Debian Chromium via Playwright, and the axe-core check.

Serves fixed HTML from Python's http.server on 127.0.0.1 (no Django needed).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page

from fairhearing.core.testing.browser import assert_accessible

pytestmark = pytest.mark.browser

GOOD_PAGE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Harness: well-formed</title></head>
<body>
  <main>
    <h1>Make a complaint</h1>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Fairhearing logo">
    <form>
      <label for="name">Your name</label>
      <input id="name" name="name" type="text">
      <button type="submit">Continue</button>
    </form>
  </main>
</body>
</html>
"""

BAD_PAGE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Harness: broken</title></head>
<body>
  <main>
    <h1>Make a complaint</h1>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
    <form>
      <input id="name" name="name" type="text">
      <button type="submit">Continue</button>
    </form>
  </main>
</body>
</html>
"""

PAGES = {"/good": GOOD_PAGE, "/bad": BAD_PAGE, "/strict-csp": GOOD_PAGE}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = PAGES.get(self.path)
        if body is None:
            self.send_error(404)
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if self.path == "/strict-csp":
            self.send_header("Content-Security-Policy", "default-src 'self'; img-src data:")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def static_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_chromium_loads_a_page(page: Page, static_server: str) -> None:
    response = page.goto(f"{static_server}/good")
    assert response is not None and response.ok
    assert page.title() == "Harness: well-formed"
    assert page.get_by_role("heading", level=1).inner_text() == "Make a complaint"
    assert "Chrome/" in page.evaluate("() => navigator.userAgent")


def test_assert_accessible_passes_on_a_well_formed_page(page: Page, static_server: str) -> None:
    page.goto(f"{static_server}/good")
    assert_accessible(page, context="well-formed page")


def test_assert_accessible_lists_serious_violations(page: Page, static_server: str) -> None:
    page.goto(f"{static_server}/bad")
    with pytest.raises(AssertionError) as excinfo:
        assert_accessible(page, context="broken page")
    message = str(excinfo.value)
    assert "on broken page" in message
    assert "- image-alt (critical)" in message
    assert "- label (critical)" in message
    assert "    img" in message
    assert "    #name" in message


def test_assert_accessible_works_under_a_strict_csp(page: Page, static_server: str) -> None:
    page.goto(f"{static_server}/strict-csp")
    assert_accessible(page, context="page with a strict Content-Security-Policy")
    assert page.evaluate("() => typeof window.axe") == "object"


def test_assert_accessible_can_run_twice_on_one_page(page: Page, static_server: str) -> None:
    page.goto(f"{static_server}/good")
    assert_accessible(page)
    assert_accessible(page)


def test_a_csp_violation_is_caught(chromium_browser) -> None:
    from fairhearing.core.testing.browser import record_csp_violations

    context = chromium_browser.new_context()
    try:
        page = context.new_page()
        refused = record_csp_violations(page)
        page.set_content(
            '<meta http-equiv="Content-Security-Policy" content="script-src \'self\'">'
            "<script>document.title = 'ran'</script>"
        )
        page.wait_for_timeout(200)
        assert refused and "inline script" in refused[0]
        assert page.title() != "ran"
    finally:
        context.close()


@pytest.mark.django_db
def test_the_site_sends_its_content_security_policy(client) -> None:
    from fairhearing.core.middleware import POLICY

    response = client.get("/healthz")
    assert response["Content-Security-Policy"] == POLICY
    assert "script-src 'self'" in POLICY and "unsafe-inline" not in POLICY
