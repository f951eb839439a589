from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .services import LOCKED_OUT, sign_in_failure_record, sign_in_locked


class SignInForm(AuthenticationForm):
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
