"""A party signs out of the portal: the browser forgets their case (issue 20, item 9)."""

import pytest
from django.urls import reverse

from fairhearing.portal.tests.test_challenge import portal_of

pytestmark = pytest.mark.django_db


def test_a_party_signs_out_and_the_case_closes_to_that_browser(case, case_officer) -> None:
    complainant = case.parties.get(role="complainant").person  # the one with an email
    party = portal_of(case, case_officer, complainant)
    page = party.get(reverse("portal:case", args=[case.reference]))
    assert page.status_code == 200
    assert "Sign out of your case" in page.content.decode()
    response = party.post(reverse("portal:sign_out"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:start")
    assert "You have signed out." in response.content.decode()
    assert "Sign out of your case" not in response.content.decode()
    assert party.get(reverse("portal:case", args=[case.reference])).status_code == 404
    # Signing out takes a POST (a link cannot sign someone out).
    assert party.get(reverse("portal:sign_out")).status_code == 405
