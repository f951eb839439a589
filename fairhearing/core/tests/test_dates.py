"""Dates people type stay in the range that makes sense for each, with GOV.UK's words."""

import datetime as dt

import pytest
from django.utils import timezone

from fairhearing.oversight.forms import ApproachForm
from fairhearing.portal.forms import HearingRequestForm

pytestmark = pytest.mark.django_db


def errors_for(form_class, field: str, day: dt.date) -> list[str]:
    form = form_class(data={field: day.isoformat()})
    form.is_valid()
    return form.errors.get(field, [])


def test_an_approach_cannot_be_dated_in_the_future_or_long_ago() -> None:
    today = timezone.localdate()
    assert errors_for(ApproachForm, "approached_on", dt.date(2031, 1, 1)) == [
        "The date you were approached must be today or in the past."
    ]
    long_ago = errors_for(ApproachForm, "approached_on", today - dt.timedelta(days=5 * 365))
    assert len(long_ago) == 1 and long_ago[0].startswith(
        "The date you were approached must be on or after"
    )
    assert errors_for(ApproachForm, "approached_on", today) == []


def test_a_companion_cannot_be_unavailable_on_a_day_gone_by() -> None:
    assert errors_for(HearingRequestForm, "companion_unavailable_on", dt.date(2020, 1, 1)) == [
        "The date your companion cannot attend must be today or in the future."
    ]
    soon = timezone.localdate() + dt.timedelta(days=10)
    assert errors_for(HearingRequestForm, "companion_unavailable_on", soon) == []


def test_the_services_refuse_the_same_dates_from_the_api(case, case_officer) -> None:
    from fairhearing.core.errors import CaseError
    from fairhearing.oversight.services import APPROACH_DATE, approach_record
    from fairhearing.portal.services import COMPANION_DATE, hearing_request_submit

    with pytest.raises(CaseError, match=APPROACH_DATE):
        approach_record(
            actor=case_officer,
            case=case,
            approached_on=dt.date(2031, 1, 1),
            approached_by="A councillor",
            channel="in_person",
            asked="Can you drop it?",
            answered="No.",
        )
    with pytest.raises(CaseError, match=COMPANION_DATE):
        hearing_request_submit(
            case=case,
            person=case.respondent,
            role="respondent",
            oral=True,
            companion_unavailable_on=dt.date(2020, 1, 1),
        )
