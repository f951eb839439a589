"""Every free-text field has a length limit: in every form, with the message in GOV.UK's
words, and in every API input (so the schema says it and a longer value is a 422)."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms

import fairhearing
from fairhearing.api.tests.test_api import api_for, assert_error
from fairhearing.api_urls import api
from fairhearing.core.forms import Form as PlainForm

pytestmark = pytest.mark.django_db


def form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for module in pkgutil.walk_packages(fairhearing.__path__, "fairhearing."):
        if not module.name.endswith(".forms"):
            continue
        loaded = importlib.import_module(module.name)
        found += [
            cls
            for cls in vars(loaded).values()
            if inspect.isclass(cls)
            and issubclass(cls, forms.BaseForm)
            and cls.__module__ == loaded.__name__
        ]
    return found


def test_every_text_field_of_every_form_has_a_limit_and_says_it_plainly() -> None:
    unlimited, django_words = [], []
    for cls in form_classes():
        for name, field in getattr(cls, "base_fields", {}).items():
            if type(field) is not forms.CharField:
                continue
            if field.max_length is None:
                unlimited.append(f"{cls.__module__}.{cls.__name__}.{name}")
            elif not issubclass(cls, PlainForm) and "max_length" not in field.error_messages:
                # Django's own words ("Ensure this value has at most…") would show.
                django_words.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert len(form_classes()) > 20
    assert unlimited == [], "give these a max_length (fairhearing/core/limits.py)"
    assert django_words == [], "give these a too_long() message (fairhearing/core/limits.py)"


def test_a_text_field_over_its_limit_is_named_in_plain_words() -> None:
    class Example(PlainForm):
        full_name = forms.CharField(label="Your full name", max_length=5)
        sent_by = forms.CharField(label="Which organisation sent it?", max_length=5)
        note = forms.CharField(max_length=5, error_messages={"max_length": "Keep it short."})

    form = Example({"full_name": "x" * 6, "sent_by": "y" * 6, "note": "z" * 6})
    assert not form.is_valid()
    assert form.errors == {
        "full_name": ["Your full name must be 5 characters or fewer."],
        "sent_by": ["Your answer must be 5 characters or fewer."],
        "note": ["Keep it short."],
    }


def test_every_text_input_of_the_api_has_a_limit() -> None:
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    unlimited = []
    for methods in schema["paths"].values():
        for operation in methods.values():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = content["schema"].get("$ref")
                props = (
                    components[ref.split("/")[-1]]["properties"]
                    if ref
                    else content["schema"].get("properties", {})
                )
                for name, prop in props.items():
                    kinds = [prop, *prop.get("anyOf", [])]
                    if any(
                        k.get("type") == "string" and not ({"maxLength", "enum", "format"} & set(k))
                        for k in kinds
                    ):
                        unlimited.append(f"{operation['operationId']}: {name}")
    assert unlimited == []


def test_reasons_over_the_limit_are_refused_by_the_api_and_nothing_changes(
    case, case_officer
) -> None:
    from fairhearing.ledger.models import Event
    from fairhearing.workflow.services import case_assign

    case_assign(actor=case_officer, case=case, user=case_officer, role="case_officer")
    api = api_for(case_officer)  # issuing its token is on the ledger too
    before = Event.objects.count()
    response = api.post(
        f"/cases/{case.reference}/transitions",
        {"transition": "acknowledge", "reasons": "x" * 10_001, "rule_applied": "R-02"},
    )
    body = assert_error(response, 422, "validation_error")
    assert "reasons" in body["fields"]
    case.refresh_from_db()
    assert case.stage == "received" and Event.objects.count() == before
