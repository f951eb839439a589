"""Browser fixtures for pytest: Debian's Chromium driven by Playwright, plus an axe-core check.

Loaded for the whole suite by the root ``conftest.py``. Playwright never downloads a browser
here: it launches ``/usr/bin/chromium`` (installed by ``make system-deps``), headless.

Use in a test::

    import pytest
    from fairhearing.core.testing.browser import assert_accessible

    @pytest.mark.browser
    def test_intake_form(page, live_server):
        page.goto(live_server.url + "/")
        assert_accessible(page, context="intake start page")

Tests that use the ``page`` or ``chromium_browser`` fixtures are also marked ``browser``
automatically, so ``pytest -m "not browser"`` skips them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO_ROOT = Path(__file__).resolve().parents[3]
CHROMIUM_PATH = os.environ.get("FAIRHEARING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_RELATIVE_PATH = Path("node_modules") / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
BROWSER_FIXTURES = frozenset({"page", "chromium_browser"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that asks for a browser fixture with ``@pytest.mark.browser``."""
    for item in items:
        if BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    """One headless Debian Chromium for the whole test session."""
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM_PATH, os.X_OK):
        pytest.fail(f"{CHROMIUM_PATH} not found: run 'make system-deps' (Debian's chromium)")
    # Playwright's sync API keeps an asyncio loop on this thread, which makes Django think it
    # is in async context and refuse ORM calls from the test body; tests are synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def record_csp_violations(page: Page) -> list[str]:
    """A list that fills with the page's Content-Security-Policy violations as they happen."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


@pytest.fixture
def page(chromium_browser: Browser) -> Iterator[Page]:
    """A fresh browser context and page per test (no shared cookies), closed afterwards."""
    context = chromium_browser.new_context(locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    refused = record_csp_violations(page)
    try:
        yield page
    finally:
        context.close()
    # Every browser test also checks that nothing on its pages broke the site's CSP.
    assert refused == [], f"Content-Security-Policy violations: {refused}"


def _axe_script() -> Path:
    for root in (REPO_ROOT, Path.cwd()):
        candidate = root / AXE_RELATIVE_PATH
        if candidate.is_file():
            return candidate
    raise AssertionError(
        f"{AXE_RELATIVE_PATH} not found under {REPO_ROOT}: run 'make assets' (npm ci)"
    )


def _format_target(target: Any) -> str:
    # A node's target is a list of selectors; a nested list steps into iframes/shadow roots.
    if isinstance(target, list):
        return " >> ".join(_format_target(part) for part in target)
    return str(target)


def assert_accessible(page: Page, *, context: str = "") -> None:
    """Run axe-core on the page as it is now; fail listing every serious or critical issue."""

    has_axe = "() => typeof window.axe === 'object'"
    if not page.evaluate(has_axe):
        # Evaluated, not injected as a <script>: the site's Content-Security-Policy (rightly)
        # refuses inline script, and evaluation is not subject to it.
        page.evaluate(_axe_script().read_text(encoding="utf-8"))
    results = page.evaluate(
        "async () => await window.axe.run(document, {resultTypes: ['violations']})"
    )
    failures = [v for v in results["violations"] if v.get("impact") in FAILING_IMPACTS]
    if not failures:
        return
    where = context or page.url
    lines = [f"{len(failures)} serious/critical accessibility violation(s) on {where}:"]
    for violation in failures:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {_format_target(node['target'])}" for node in violation["nodes"])
    raise AssertionError("\n".join(lines))


def snapshot(page: Page, name: str) -> None:
    """With FAIRHEARING_SCREENSHOTS set to a directory, save the page at 1280 and 390 px wide
    (full length) as NAME-1280.png and NAME-390.png, for people to look at; otherwise nothing."""
    folder = os.environ.get("FAIRHEARING_SCREENSHOTS")
    if not folder:
        return
    size = page.viewport_size
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    if size:
        page.set_viewport_size(size)
