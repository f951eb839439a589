import pytest
from django.core.exceptions import ValidationError

from fairhearing.organisations.services import organisation_create


@pytest.mark.django_db
def test_two_organisations_cannot_share_a_reference_prefix(organisation) -> None:
    with pytest.raises(ValidationError, match="already uses this reference prefix"):
        organisation_create(actor=None, name="Southfield", slug="southfield")
    other = organisation_create(
        actor=None, name="Southfield", slug="southfield", reference_prefix="SF"
    )
    assert other.reference_prefix == "SF"
