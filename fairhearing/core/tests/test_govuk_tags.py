"""The GOV.UK form tags and the base page template. No database needed.

This module doubles as the URLconf for the base template tests (the header links to URL
names that the domain apps own), so the tests do not depend on those apps' URLs.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import RequestFactory, override_settings
from django.urls import include, path

from fairhearing.core.templatetags.govuk import error_target_id


def _dummy(request: HttpRequest) -> HttpResponse:
    return HttpResponse("dummy")


urlpatterns = [
    path(
        "",
        include(
            (
                [
                    path("healthz", _dummy, name="healthz"),
                    path("privacy/", _dummy, name="privacy"),
                    path("accessibility/", _dummy, name="accessibility"),
                    path("cookies/", _dummy, name="cookies"),
                    path("language/<str:code>/", _dummy, name="language"),
                ],
                "core",
            )
        ),
    ),
    path("complain/", include(([path("", _dummy, name="start")], "intake"))),
    path("cases/", include(([path("", _dummy, name="list")], "cases"))),
    path("interests/", include(([path("", _dummy, name="list")], "interests"))),
    path("panels/", include(([path("", _dummy, name="seats")], "panels"))),
    path("oversight/", include(([path("", _dummy, name="register")], "oversight"))),
    path("webhooks/", include(([path("", _dummy, name="log")], "webhooks"))),
    path(
        "statistics/",
        include(
            (
                [
                    path("", _dummy, name="list"),
                    path("t/", _dummy, name="tracker"),
                    path("p/", _dummy, name="packs"),
                ],
                "reporting",
            )
        ),
    ),
    path(
        "portal/",
        include(
            (
                [path("", _dummy, name="start"), path("sign-out/", _dummy, name="sign_out")],
                "portal",
            )
        ),
    ),
    path(
        "accounts/",
        include(
            (
                [
                    path("login/", _dummy, name="login"),
                    path("logout/", _dummy, name="logout"),
                    path("home/", _dummy, name="home"),
                ],
                "accounts",
            )
        ),
    ),
]

BUILT_CSS = Path(__file__).resolve().parents[2] / "static" / "dist" / "fairhearing.css"


class ComplaintForm(forms.Form):
    """A throwaway form with one field of each kind the tags support."""

    name = forms.CharField(label="Your name", help_text="As it appears on letters", max_length=50)
    email = forms.EmailField(label="Email address")
    age = forms.IntegerField(label="Age", required=False)
    details = forms.CharField(label="What happened?", widget=forms.Textarea)
    service = forms.ChoiceField(
        label="Which service?", choices=[("", "Choose a service"), ("a", "A"), ("b", "B")]
    )
    contact = forms.ChoiceField(
        label="How should we contact you?",
        choices=[("email", "Email"), ("post", "Post")],
        widget=forms.RadioSelect,
        help_text="We will only use this for your complaint",
    )
    topics = forms.MultipleChoiceField(
        label="What was it about?",
        choices=[("conduct", "Conduct"), ("delay", "Delay")],
        widget=forms.CheckboxSelectMultiple,
    )
    happened_on = forms.DateField(label="When did it happen?", widget=forms.DateInput)
    agree = forms.BooleanField(label="I confirm this is true")
    password = forms.CharField(label="Password", widget=forms.PasswordInput, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("name") == "Nobody":
            raise forms.ValidationError("Nobody cannot complain <b>twice</b>")
        return cleaned


VALID = {
    "name": "Ada",
    "email": "ada@example.com",
    "details": "It went wrong",
    "service": "a",
    "contact": "post",
    "topics": ["delay"],
    "happened_on": "2024-05-01",
    "agree": "on",
}


def render(source: str, context: dict | None = None, request: HttpRequest | None = None) -> str:
    return engines["django"].from_string("{% load govuk %}" + source).render(context, request)


def attrs_of(html: str, tag: str, **match: str) -> list[dict[str, str | None]]:
    """Attributes of every ``tag`` element in ``html`` whose attributes include ``match``."""
    found: list[dict[str, str | None]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, name, attrs):
            attributes = dict(attrs)
            wanted = {k.rstrip("_").replace("_", "-"): v for k, v in match.items()}
            if name == tag and all(attributes.get(k) == v for k, v in wanted.items()):
                found.append(attributes)

    Parser().feed(html)
    return found


def field_html(form: forms.Form, name: str, **kwargs: object) -> str:
    args = "".join(f" {key}={key}" for key in kwargs)
    return render(f"{{% govuk_field form.{name}{args} %}}", {"form": form, **kwargs})


# --- error summary -------------------------------------------------------------------------


def test_error_summary_renders_nothing_for_unbound_or_valid_forms():
    assert render("{% govuk_error_summary form %}", {"form": ComplaintForm()}).strip() == ""
    valid = ComplaintForm(data=VALID)
    assert valid.is_valid(), valid.errors
    assert render("{% govuk_error_summary form %}", {"form": valid}).strip() == ""


def test_error_summary_links_to_every_invalid_field():
    form = ComplaintForm(data={"name": "", "email": "not an email"})
    assert not form.is_valid()
    html = render("{% govuk_error_summary form %}", {"form": form})

    assert 'data-module="govuk-error-summary"' in html
    assert 'role="alert"' in html
    assert "There is a problem" in html
    links = [a["href"] for a in attrs_of(html, "a")]
    assert links == [
        "#id_name",
        "#id_email",
        "#id_details",
        "#id_service",
        "#id_contact_0",  # radios link to the first radio
        "#id_topics_0",  # and checkboxes to the first checkbox
        "#id_happened_on",
        "#id_agree",
    ]
    assert "Enter a valid email address." in html
    # Every link target exists on the page that renders the fields.
    page = render("{% for field in form %}{% govuk_field field %}{% endfor %}", {"form": form})
    ids = {a["id"] for a in attrs_of(page, "input") + attrs_of(page, "textarea")}
    ids |= {a["id"] for a in attrs_of(page, "select")}
    assert {str(link)[1:] for link in links} <= ids


def test_error_summary_lists_non_field_errors_as_escaped_text():
    form = ComplaintForm(data={**VALID, "name": "Nobody"})
    assert not form.is_valid()
    html = render("{% govuk_error_summary form %}", {"form": form})
    assert "<li>Nobody cannot complain &lt;b&gt;twice&lt;/b&gt;</li>" in html
    assert attrs_of(html, "a") == []


def test_error_target_id_for_radios_is_the_first_radio():
    form = ComplaintForm()
    assert error_target_id(form["contact"]) == "id_contact_0"
    assert error_target_id(form["name"]) == "id_name"


# --- fields --------------------------------------------------------------------------------


def test_text_input_with_hint_and_no_errors():
    html = field_html(ComplaintForm(), "name", label_size="m", classes="govuk-input--width-20")
    assert 'class="govuk-form-group"' in html
    assert '<label class="govuk-label govuk-label--m" for="id_name">Your name</label>' in html
    assert '<div id="id_name-hint" class="govuk-hint">As it appears on letters</div>' in html
    (field,) = attrs_of(html, "input")
    assert field["class"] == "govuk-input govuk-input--width-20"
    assert field["type"] == "text"
    assert field["name"] == "name"
    assert field["aria-describedby"] == "id_name-hint"
    assert field["maxlength"] == "50"
    assert "required" not in field
    assert "value" not in field


def test_invalid_field_gets_error_message_class_and_aria_describedby():
    form = ComplaintForm(data={"name": "", "email": "nope"})
    form.is_valid()
    html = field_html(form, "email")
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert '<p id="id_email-error" class="govuk-error-message">' in html
    assert '<span class="govuk-visually-hidden">Error:</span> Enter a valid email address.' in html
    (field,) = attrs_of(html, "input")
    assert field["class"] == "govuk-input govuk-input--error"
    assert field["type"] == "email"
    assert field["aria-describedby"] == "id_email-error"
    assert field["value"] == "nope"  # the submitted value is kept

    html = field_html(form, "name")
    (field,) = attrs_of(html, "input")
    assert field["aria-describedby"] == "id_name-hint id_name-error"


def test_submitted_values_are_html_escaped():
    evil = '"><script>alert(1)</script>'
    form = ComplaintForm(
        data={**VALID, "name": evil, "details": f"</textarea>{evil}", "service": evil}
    )
    form.is_valid()
    html = render("{% for field in form %}{% govuk_field field %}{% endfor %}", {"form": form})
    assert "<script>" not in html
    assert "</textarea><" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    (name,) = attrs_of(html, "input", id="id_name")
    assert name["value"] == evil  # exactly what was typed, once parsed back
    # Django's "Select a valid choice. X is not one of the available choices." is escaped too.
    assert "&quot;&gt;&lt;script&gt;" in html


def test_labels_and_hints_are_escaped():
    class Form(forms.Form):
        field = forms.CharField(label="<i>Name</i>", help_text="<b>bold</b>")

    html = field_html(Form(), "field")
    assert "&lt;i&gt;Name&lt;/i&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_textarea_and_select():
    form = ComplaintForm(data={**VALID, "details": "Line one\nLine two", "service": ""})
    form.is_valid()
    html = field_html(form, "details")
    (textarea,) = attrs_of(html, "textarea")
    assert textarea["class"] == "govuk-textarea"
    assert ">\nLine one\nLine two</textarea>" in html

    html = field_html(form, "service")
    (select,) = attrs_of(html, "select")
    assert select["class"] == "govuk-select govuk-select--error"
    assert select["aria-describedby"] == "id_service-error"
    assert [o["value"] for o in attrs_of(html, "option")] == ["", "a", "b"]

    form = ComplaintForm(data={**VALID, "service": "b"})
    html = field_html(form, "service")
    assert "selected" in attrs_of(html, "option", value="b")[0]
    assert "selected" not in attrs_of(html, "option", value="a")[0]


def test_radios_render_in_a_fieldset_with_a_legend():
    form = ComplaintForm(data={**VALID, "contact": "post"})
    html = field_html(form, "contact", label_size="m")
    (fieldset,) = attrs_of(html, "fieldset")
    assert fieldset["class"] == "govuk-fieldset"
    assert fieldset["aria-describedby"] == "id_contact-hint"
    assert re.search(
        r'<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">'
        r"How should we contact you\?</legend>",
        html,
    )
    assert 'class="govuk-radios" data-module="govuk-radios"' in html
    radios = attrs_of(html, "input", type="radio")
    assert [(r["id"], r["value"], r["name"]) for r in radios] == [
        ("id_contact_0", "email", "contact"),
        ("id_contact_1", "post", "contact"),
    ]
    assert "checked" not in radios[0]
    assert "checked" in radios[1]
    assert '<label class="govuk-label govuk-radios__label" for="id_contact_1">Post</label>' in html
    assert all("required" not in r for r in radios)


def test_radios_as_page_heading_and_with_errors():
    form = ComplaintForm(data={})
    form.is_valid()
    html = field_html(form, "contact", label_is_page_heading=True)
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--l">' in html
    assert '<h1 class="govuk-fieldset__heading">How should we contact you?</h1>' in html
    (fieldset,) = attrs_of(html, "fieldset")
    assert fieldset["aria-describedby"] == "id_contact-hint id_contact-error"
    assert "govuk-form-group--error" in html


def test_checkboxes_keep_their_values():
    form = ComplaintForm(data={**VALID, "topics": ["conduct", "delay"]})
    html = field_html(form, "topics")
    assert attrs_of(html, "fieldset")
    assert 'class="govuk-checkboxes" data-module="govuk-checkboxes"' in html
    boxes = attrs_of(html, "input", type="checkbox")
    assert [b["id"] for b in boxes] == ["id_topics_0", "id_topics_1"]
    assert all("checked" in b for b in boxes)


def test_single_checkbox():
    html = field_html(ComplaintForm(data={**VALID, "agree": "on"}), "agree")
    (box,) = attrs_of(html, "input")
    assert box["class"] == "govuk-checkboxes__input"
    assert box["type"] == "checkbox"
    assert "checked" in box
    assert "<fieldset" not in html
    assert 'for="id_agree">I confirm this is true</label>' in html

    html = field_html(ComplaintForm(data={**VALID, "agree": ""}), "agree")
    (box,) = attrs_of(html, "input")
    assert "checked" not in box


def test_date_input_is_a_native_date_field_in_iso_format():
    html = field_html(
        ComplaintForm(initial={"happened_on": datetime.date(2024, 5, 1)}), "happened_on"
    )
    (field,) = attrs_of(html, "input")
    assert field["type"] == "date"
    assert field["class"] == "govuk-input govuk-input--width-10"
    assert field["value"] == "2024-05-01"

    form = ComplaintForm(data={**VALID, "happened_on": "yesterday"})
    form.is_valid()
    (field,) = attrs_of(field_html(form, "happened_on"), "input")
    assert field["value"] == "yesterday"
    assert field["class"] == "govuk-input govuk-input--width-10 govuk-input--error"


def test_number_password_and_hidden_inputs():
    form = ComplaintForm(data={**VALID, "age": "41", "password": "secret", "token": "abc"})
    (age,) = attrs_of(field_html(form, "age"), "input")
    assert (age["type"], age["value"], age["class"]) == ("number", "41", "govuk-input")
    (password,) = attrs_of(field_html(form, "password"), "input")
    assert password["type"] == "password"
    assert "value" not in password  # never sent back to the browser
    html = field_html(form, "token")
    (token,) = attrs_of(html, "input")
    assert (token["type"], token["value"]) == ("hidden", "abc")
    assert "govuk-form-group" not in html


def test_label_as_page_heading():
    html = field_html(ComplaintForm(), "name", label_is_page_heading=True)
    assert (
        '<h1 class="govuk-label-wrapper"><label class="govuk-label govuk-label--l" for="id_name">'
        "Your name</label></h1>"
    ) in html


def test_unknown_label_size_is_an_error():
    with pytest.raises(ValueError, match="label_size"):
        field_html(ComplaintForm(), "name", label_size="huge")


def test_button():
    html = render('{% govuk_button "Save and continue" %}')
    (button,) = attrs_of(html, "button")
    assert button == {
        "type": "submit",
        "class": "govuk-button",
        "data-prevent-double-click": "true",
        "data-module": "govuk-button",
    }
    assert ">Save and continue</button>" in html
    html = render('{% govuk_button "Cancel" href="/x" classes="govuk-button--secondary" %}')
    (link,) = attrs_of(html, "a")
    assert link["href"] == "/x"
    assert link["class"] == "govuk-button govuk-button--secondary"
    assert link["role"] == "button"


# --- base template -------------------------------------------------------------------------

PAGE = (
    '{% extends "base.html" %}{% block title %}Test page{% endblock %}'
    '{% block content %}<h1 class="govuk-heading-l">Hello</h1>{% endblock %}'
)


def render_page(user: object, messages: Sequence[tuple[int, str]] = ()) -> str:
    request = RequestFactory().get("/")
    request.user = user  # type: ignore[assignment]
    storage = CookieStorage(request)
    for level, text in messages:
        storage.add(level, text)
    request._messages = storage  # type: ignore[attr-defined]
    return engines["django"].from_string(PAGE).render({}, request)


@override_settings(ROOT_URLCONF=__name__)
def test_base_page_for_anonymous_users():
    html = render_page(AnonymousUser())
    assert html.startswith("<!DOCTYPE html>")
    assert attrs_of(html, "html") == [{"lang": "en-GB", "class": "govuk-template"}]
    assert attrs_of(html, "body") == [{"class": "govuk-template__body"}]
    assert "<title>Test page \u2013 Fairhearing</title>" in html  # en dash
    (skip,) = attrs_of(html, "a", class_="govuk-skip-link")
    assert skip["href"] == "#main-content"
    assert attrs_of(html, "main", id="main-content")
    assert attrs_of(html, "a", href="/", class_="govuk-generic-header__homepage-link")
    assert attrs_of(html, "a", href="/complain/")
    assert attrs_of(html, "a", href="/accounts/login/")
    assert not attrs_of(html, "a", href="/cases/")
    assert "Sign out" not in html
    assert attrs_of(html, "a", href="/healthz")
    for footer in ("/privacy/", "/accessibility/", "/cookies/"):
        assert attrs_of(html, "a", href=footer, class_="govuk-footer__link")

    # Not GOV.UK: no GOV.UK name, crown, crest, licence or government font.
    lowered = html.lower()
    for forbidden in ("gov.uk", "crown", "crest", "<svg", "open government licence", "govuk-logo"):
        assert forbidden not in lowered, forbidden
    assert attrs_of(html, "link", rel="icon", href="/static/dist/favicon.svg")

    # No inline script: every <script> loads a file, and the app's JS is an ES module.
    scripts = attrs_of(html, "script")
    assert scripts and all(script.get("src") for script in scripts)
    assert {"type": "module", "src": "/static/core/init.js"} in scripts
    assert all(
        body.strip() == "" for body in re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)
    )
    assert attrs_of(html, "link", rel="stylesheet", href="/static/dist/fairhearing.css")


@override_settings(ROOT_URLCONF=__name__)
def test_base_page_for_staff_has_cases_and_sign_out():
    html = render_page(SimpleNamespace(is_authenticated=True))
    assert attrs_of(html, "a", href="/cases/")
    # The service name takes a signed-in user to their own work, not the public form.
    assert attrs_of(html, "a", href="/accounts/home/", class_="govuk-generic-header__homepage-link")
    (form,) = attrs_of(html, "form")
    assert form["method"] == "post"
    assert form["action"] == "/accounts/logout/"
    assert attrs_of(html, "input", type="hidden", name="csrfmiddlewaretoken")
    assert attrs_of(html, "button", type="submit")
    assert "Sign out" in html
    assert not attrs_of(html, "a", href="/accounts/login/")
    assert not attrs_of(html, "a", href="/complain/")


@override_settings(ROOT_URLCONF=__name__)
def test_messages_render_as_notification_banners():
    html = render_page(
        AnonymousUser(),
        messages=[(message_levels.SUCCESS, "Saved <ok>"), (message_levels.INFO, "Note this")],
    )
    (success,) = attrs_of(html, "div", role="alert")
    assert success["class"] == "govuk-notification-banner govuk-notification-banner--success"
    (info,) = attrs_of(html, "div", role="region")
    assert info["class"] == "govuk-notification-banner"
    assert success["aria-labelledby"] != info["aria-labelledby"]
    assert "Saved &lt;ok&gt;" in html
    assert ">Success</h2>" in html
    assert ">Important</h2>" in html


@pytest.mark.skipif(not BUILT_CSS.exists(), reason="assets not built (npm ci && npm run build)")
def test_built_stylesheet_has_no_government_branding():
    css = BUILT_CSS.read_text()
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "crown" not in css.lower()
    assert "crest" not in css.lower()
    assert "system-ui" in css


def test_the_governing_body_is_not_offered_the_case_list():
    html = render_page(SimpleNamespace(is_authenticated=True, role="governing_body"))
    assert not attrs_of(html, "a", href="/cases/")
    assert "Sign out" in html
