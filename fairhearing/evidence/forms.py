from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from fairhearing.core.dates import DateTimeInRange, today, years_ago
from fairhearing.core.forms import Form

from .derivative import Area
from .services import NOTHING_TO_REDACT, Upload

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


AREA_HELP = (
    "One area a line: the page, then the area's left edge, top edge, width and height, each a "
    "percentage of the page, for example “1 10 20 35 5”. Drawing on the page above fills this "
    "in for you."
)


class RedactForm(Form):
    """What to withhold from an item disclosed to the respondent, and why (a recorded
    decision). `pages`: how many pages the item's picture or PDF has (0: none)."""

    areas = forms.CharField(
        label="Areas to cover",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=AREA_HELP,
    )
    phrases = forms.CharField(
        label="Words or phrases to withhold",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "One a line. Each is replaced by “[withheld]” wherever it appears in the item's "
            "text and description, in capitals or not."
        ),
    )
    reasons = forms.CharField(
        label="Why are these parts withheld?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the complainant's identity is protected; a third party's address.",
        error_messages={"required": "Enter why these parts are withheld."},
    )

    def __init__(self, *args: Any, pages: int, has_text: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages = pages
        if not pages:
            del self.fields["areas"]
        if not has_text:
            del self.fields["phrases"]

    def clean_areas(self) -> list[Area]:
        areas: list[Area] = []
        for n, line in enumerate(self.cleaned_data.get("areas", "").splitlines(), start=1):
            if not line.strip():
                continue
            areas.append(self._area(n, line))
        return areas

    def _area(self, n: int, line: str) -> Area:
        parts = line.replace(",", " ").replace("%", " ").split()
        try:
            page = int(parts[0])
            left, top, width, height = (float(p) for p in parts[1:])
        except (ValueError, IndexError, TypeError):
            raise forms.ValidationError(
                f"Line {n}: give five numbers: the page, left, top, width and height."
            ) from None
        if not 1 <= page <= self.pages:
            pages = f"{self.pages} page{'s' if self.pages != 1 else ''}"
            raise forms.ValidationError(f"Line {n}: there is no page {page}; the file has {pages}.")
        if not all(0 <= v <= 100 for v in (left, top, width, height)) or not width or not height:
            raise forms.ValidationError(
                f"Line {n}: left, top, width and height are percentages from 0 to 100, and the "
                "width and height more than 0."
            )
        return Area(
            page=page,
            left=left / 100,
            top=top / 100,
            width=min(width, 100 - left) / 100,
            height=min(height, 100 - top) / 100,
        )

    def clean_phrases(self) -> list[str]:
        lines = self.cleaned_data.get("phrases", "").splitlines()
        return [line.strip() for line in lines if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("areas") and not data.get("phrases"):
            field = "areas" if "areas" in self.fields else "phrases"
            self.add_error(field, NOTHING_TO_REDACT)
        return data
