"""An address that names nothing: the site's own page for people (never Django's list of
routes, even with DEBUG on, as the demo runs), the API's JSON error shape under /api/."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_page_is_the_sites_own_not_found_page(settings, debug) -> None:
    settings.DEBUG = debug
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "URLconf" not in page and "api/v1/" not in page and "DEBUG" not in page


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_api_route_answers_the_apis_error_shape(settings, debug) -> None:
    settings.DEBUG = debug
    response = Client().get("/api/v1/no-such-route")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["status"] == 404


def test_a_statistics_period_that_cannot_be_is_a_page_saying_how_to_write_one() -> None:
    response = Client().get("/statistics/2099-Q9/")
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
    assert "A period is a quarter written like 2026-Q3." in response.content.decode()
    assert Client().get("/statistics/2099-Q9.json").json()["error"]["code"] == "bad_period"
