from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from fairhearing.core.forms import Form
from fairhearing.core.limits import PASSWORD_MAX, too_long

from .services import LOCKED_OUT, sign_in_failure_record, sign_in_locked


class SignInForm(AuthenticationForm):
    # Never hash a megabyte: a password longer than any real one is refused unread.
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=PASSWORD_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages=too_long("Your password", PASSWORD_MAX),
    )
    error_messages = {
        "invalid_login": "Enter a correct username and password.",
        "inactive": "This account is not active.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["username"].error_messages["required"] = "Enter your username."
        self.fields["password"].error_messages["required"] = "Enter your password."

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip()
        address = self.request.META.get("REMOTE_ADDR") if self.request else None
        if username and sign_in_locked(username=username, ip_address=address):
            raise forms.ValidationError(LOCKED_OUT, code="locked_out")
        try:
            return super().clean()
        except forms.ValidationError:
            if username:
                sign_in_failure_record(username=username, ip_address=address)
            raise


CODE_ATTRS = {"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}


class CodeForm(Form):
    """The second step: a code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery "
        "codes.",
        widget=forms.TextInput(attrs=CODE_ATTRS),
        error_messages={"required": "Enter a code."},
    )


class EnrolmentForm(Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=10,
        help_text="After adding the key, the app shows a 6-digit code.",
        widget=forms.TextInput(attrs={**CODE_ATTRS, "inputmode": "numeric"}),
        error_messages={"required": "Enter the 6-digit code your authenticator app shows now."},
    )


class ReauthForm(CodeForm):
    """Password and a code again, before a sensitive action."""

    password = forms.CharField(
        max_length=PASSWORD_MAX,
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={
            "required": "Enter your password.",
            **too_long("Your password", PASSWORD_MAX),
        },
    )
    field_order = ["password", "code"]
