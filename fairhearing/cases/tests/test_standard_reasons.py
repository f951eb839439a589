"""Less typing, same rigour: a decision's form starts from the rulebook's usual reasons and
the rules that may apply; what is recorded is what the officer sends, in full."""

import html

import pytest
from django.urls import reverse

from fairhearing.cases.models import StageChange
from fairhearing.conftest import signed_in, walk
from fairhearing.organisations.default_rulebook import STANDARD_REASONS

pytestmark = pytest.mark.django_db


def test_every_decision_of_the_default_rulebook_has_usual_reasons_and_a_rule(case) -> None:
    spec = case.rulebook.spec
    bare = [t.key for t in spec.transitions.values() if not (t.standard_reasons and t.rules)]
    assert bare == []
    # Whole sentences, for a person to read: none left for the officer to finish.
    for reasons, rules in STANDARD_REASONS.values():
        assert reasons.endswith("."), reasons
        assert rules and all(rule.strip() for rule in rules)


def test_the_form_starts_from_them_and_offers_the_rules(case, case_officer) -> None:
    case = walk(case, case_officer, "acknowledge", "begin_assessment")
    client = signed_in(case_officer)
    url = reverse("cases:transition", args=[case.reference, "assess_no_further_action"])
    page = html.unescape(client.get(url).content.decode())
    reasons, rules = STANDARD_REASONS["assess_no_further_action"]
    assert f">\n{reasons}</textarea>" in page
    assert f'value="{rules[0]}"' in page and 'list="rules-assess_no_further_action"' in page
    assert '<datalist id="rules-assess_no_further_action">' in page
    for rule in rules:
        assert f'<option value="{rule}">' in page


def test_what_is_recorded_is_what_the_officer_sends(case, case_officer) -> None:
    case = walk(case, case_officer, "acknowledge", "begin_assessment")
    client = signed_in(case_officer)
    url = reverse("cases:transition", args=[case.reference, "assess_investigate"])
    reasons = "The post, if it is his, would breach CC-1.3: he is told and may reply."
    response = client.post(url, {"reasons": reasons, "rule_applied": "Code of Conduct CC-1.3"})
    assert response.status_code == 302
    change = StageChange.objects.get(case=case, transition="assess_investigate")
    assert (change.reasons, change.rule_applied) == (reasons, "Code of Conduct CC-1.3")
    # Emptied, the usual reasons do not come back by themselves: the decision needs reasons.
    case.refresh_from_db()
    refused = client.post(
        reverse("cases:transition", args=[case.reference, "reply_window_elapsed"]),
        {"reasons": "", "rule_applied": "Procedure 4.3"},
    )
    assert refused.status_code in (400, 409)
    assert not StageChange.objects.filter(case=case, transition="reply_window_elapsed").exists()
