from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from fairhearing.core.dates import DateInRange, DateParts, example_date, today, years_ahead
from fairhearing.core.forms import Form, MultipleFileField
from fairhearing.core.limits import MESSAGE_MAX, REASONS_MAX, REPLY_MAX, too_long

from .services import REPLY_FILES_MAX


class LinkRequestForm(Form):
    reference = forms.CharField(
        label=_("Your reference"),
        max_length=40,
        help_text=_(
            "It is in the email we sent you, for example FHC-2026-00042 (your complaint) "
            "or FH-2026-00042 (the case)."
        ),
        error_messages={"required": _("Enter your reference.")},
    )
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("The address we have for you on the case."),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.com."),
        },
    )


class ReplyForm(Form):
    text = forms.CharField(
        max_length=REPLY_MAX,
        label=_("Your reply to the allegations"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Say what you accept, what you dispute and why. The panel will read it."),
        error_messages={"required": _("Write your reply."), **too_long(_("Your reply"), REPLY_MAX)},
    )
    attachments = MultipleFileField(
        label=_("Files to send with your reply (optional)"),
        required=False,
        allow_empty_file=True,  # the evidence service refuses it with its own reason
        max_files=REPLY_FILES_MAX,
        help_text=format_lazy(
            _(
                "Up to {count} files: screenshots, PDFs or text files (PNG, JPEG, GIF, WebP, PDF "
                "or plain text), up to 20 MB each. To choose several, hold Ctrl (or Cmd on a Mac) "
                "as you click them. Each becomes an item of evidence on your case."
            ),
            count=REPLY_FILES_MAX,
        ),
        error_messages={
            "max_files": format_lazy(_("Choose {count} files or fewer."), count=REPLY_FILES_MAX)
        },
    )


class HearingRequestForm(Form):
    oral = forms.ChoiceField(
        label=_("Do you want an oral hearing?"),
        choices=[
            ("yes", _("Yes, I want to be heard in person or by video")),
            ("no", _("No, decide on the papers")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you want an oral hearing.")},
    )
    companion_name = forms.CharField(
        label=_("Your companion's name (optional)"),
        required=False,
        max_length=200,
        help_text=_("You may bring a companion to the hearing."),
    )
    companion_unavailable_on = DateInRange(
        what=_("The date your companion cannot attend"),
        earliest=today,
        latest=years_ahead(1),
        label=_("A date your companion cannot attend (optional)"),
        required=False,
        widget=DateParts,
        help_text=format_lazy(_("For example, {date}."), date=example_date()),
        error_messages={"invalid": _("Enter a real date.")},
    )


class MoveHearingForm(Form):
    new_date = DateInRange(
        what=_("The new date for the hearing"),
        earliest=today,
        latest=years_ahead(1),
        label=_("New date for the hearing"),
        widget=DateParts,
        help_text=format_lazy(
            _("At most 5 working days after the date set. For example, {date}."),
            date=example_date(),
        ),
        error_messages={"required": _("Enter the new date."), "invalid": _("Enter a real date.")},
    )


class MessageForm(Form):
    body = forms.CharField(
        max_length=MESSAGE_MAX,
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write your message."),
            **too_long(_("Your message"), MESSAGE_MAX),
        },
    )


class ChallengeForm(Form):
    """A party's challenge to a member of their case's panel for bias (R-25)."""

    challenged = forms.ChoiceField(
        label=_("Which panel member do you challenge?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the panel member you challenge."),
            "invalid_choice": _("Choose one of the members of your case's panel."),
        },
    )
    grounds = forms.CharField(
        max_length=REASONS_MAX,
        label=_("Why do you think they could be biased?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Say what connects them to the case or to a party, or what they said or did, and "
            "when. Someone other than the member decides your challenge."
        ),
        error_messages={
            "required": _("Say why you think the member could be biased."),
            **too_long(_("Your grounds"), REASONS_MAX),
        },
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        challenged = self.fields["challenged"]
        assert isinstance(challenged, forms.ChoiceField)
        challenged.choices = [(str(pk), name) for pk, name in members]


class PartyCaptureForm(Form):
    """A complainant's link to a post, for the worker to capture (where the rulebook allows)."""

    url = forms.URLField(
        label=_("Web address of the post"),
        max_length=2000,
        assume_scheme="https",
        help_text=_(
            "Copy it from the post's share button or your browser's address bar. We open it "
            "with no account signed in and keep what anyone can see: a picture of the page, its "
            "text and a record of where it came from."
        ),
        error_messages={
            "required": _("Enter the web address of the post."),
            "invalid": _("Enter a full web address, like https://x.com/name/status/1."),
        },
    )
    description = forms.CharField(
        label=_("What does it show? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
