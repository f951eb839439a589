"""Privacy, accessibility and cookies: linked from every page's footer (issue 20, item 9)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "heading", "says"),
    [
        ("core:privacy", "Privacy notice", "subject access request"),
        ("core:accessibility", "Accessibility statement", "WCAG) version 2.2 at level AA"),
        ("core:cookies", "Cookies", "no analytics"),
    ],
)
def test_each_footer_page_is_public_and_linked_from_every_page(
    organisation, name, heading, says
) -> None:
    url = reverse(name)
    page = Client().get(url).content.decode()
    assert f">{heading}</h1>" in page and says in page
    start = Client().get(reverse("intake:start")).content.decode()
    assert f'href="{url}"' in start


def test_the_cookies_page_names_the_cookies_the_settings_set() -> None:
    page = Client().get(reverse("core:cookies")).content.decode()
    assert settings.SESSION_COOKIE_NAME in page and settings.CSRF_COOKIE_NAME in page
    assert f"after {settings.SESSION_IDLE_TIMEOUT // 60} minutes" in page
