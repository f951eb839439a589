from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from fairhearing.core.dates import DateTimeInRange, today, years_ago
from fairhearing.core.forms import Form

from .services import Upload

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def upload_of(file: UploadedFile | None) -> Upload | None:
    if file is None:
        return None
    if file.size is not None and file.size > settings.EVIDENCE_MAX_BYTES:
        # Refused before reading it all into memory; the service gives the same reason.
        return Upload(name=file.name or "", data=b"\0" * (settings.EVIDENCE_MAX_BYTES + 1))
    return Upload(name=file.name or "", data=file.read())


class FileEvidenceForm(Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="PDF, PNG, JPEG, GIF, WebP or plain text, up to 20 MB.",
        allow_empty_file=True,  # the service refuses it with its own reason
        error_messages={"required": "Choose a file to upload."},
    )
    description = forms.CharField(
        label="What is it?",
        max_length=2000,
        help_text="For example: screenshot of the post sent by the complainant.",
        error_messages={"required": "Say what the file is."},
    )


class PostEvidenceForm(Form):
    url = forms.URLField(
        label="Web address of the post",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter a full web address, like https://x.com/name/status/1."},
    )
    author_handle = forms.CharField(label="Author's handle", required=False, max_length=100)
    posted_at = DateTimeInRange(
        what="The date it was posted",
        earliest=years_ago(30),
        latest=today,
        label="When was it posted?",
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=forms.TextInput(attrs={"type": "datetime-local"}),
        help_text="Leave blank if you do not know.",
        error_messages={"invalid": "Enter a real date and time."},
    )
    captured_text = forms.CharField(
        label="Text of the post",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Copy the words exactly as they appear.",
    )
    screenshot = forms.FileField(
        label="Screenshot (optional)",
        required=False,
        allow_empty_file=True,
        help_text="A PNG, JPEG, GIF or WebP image.",
    )
    description = forms.CharField(label="Notes (optional)", required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("url") and not data.get("captured_text") and not self.errors:
            self.add_error("url", "Give the post's web address or the text of the post.")
        return data


class CaptureForm(Form):
    url = forms.URLField(
        label="Web address of the post",
        max_length=2000,
        assume_scheme="https",
        help_text=(
            "The page is opened by our own browser, with no account signed in, and kept as it "
            "shows to anyone: a screenshot, its HTML and a web archive record."
        ),
        error_messages={
            "required": "Enter the web address of the post.",
            "invalid": "Enter a full web address, like https://x.com/name/status/1.",
        },
    )
    description = forms.CharField(label="Notes (optional)", required=False, max_length=2000)
