from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_lazy as lazy_gettext

from fairhearing.cases.models import AllegationType, Channel
from fairhearing.core.dates import DateInRange, DateParts, example_date, today, years_ago
from fairhearing.core.forms import Form
from fairhearing.core.limits import ADDRESS_MAX, EMAIL_MAX, too_long
from fairhearing.core.templatetags.govuk import error_target_id
from fairhearing.organisations.rulebook import RulebookSpec

FILE_HELP = _(
    "A screenshot, PDF or text file (PNG, JPEG, GIF, WebP, PDF or plain text), up to 20 MB."
)
RESPONDENT_SLOTS = 3
RESPONDENT_PARTS = ("name", "membership_number", "branch", "email", "postal_address")


class ComplaintDetailsForm(Form):
    """What every complaint form asks: who complains, about whom, and what happened."""

    complainant_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        error_messages={"required": _("Enter your full name.")},
    )
    complainant_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We will send your reference to this address."),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.com."),
        },
    )
    complainant_is_member = forms.ChoiceField(
        label=_("Are you a member?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you are a member.")},
    )
    complainant_membership_number = forms.CharField(
        label=_("Your membership number (if you know it)"), required=False, max_length=40
    )
    category = forms.ChoiceField(
        label=_("What kind of behaviour are you complaining about?"),
        help_text=_("Choose how you see it. This does not decide the outcome."),
        error_messages={"required": _("Choose the kind of behaviour.")},
    )
    allegation_type = forms.ChoiceField(
        label=_("What did they do?"),
        # Translated as shown (the words are marked in intake/translations.py).
        choices=[(value, lazy_gettext(label)) for value, label in AllegationType.choices],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say what they did.")},
    )
    conduct_date = DateInRange(
        what=_("The date"),
        earliest=years_ago(30),
        latest=today,
        label=_("When did it happen?"),
        required=False,
        widget=DateParts,
        help_text=format_lazy(
            _("For example, {date}. Leave blank if you do not know."), date=example_date(past=True)
        ),
        error_messages={"invalid": _("Enter a real date.")},
    )
    url = forms.URLField(
        label=_("Link to the post or page (if there is one)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full web address.")},
    )
    acting_account = forms.CharField(
        label=_("The account that did it (if it happened online)"),
        required=False,
        max_length=100,
        help_text=_(
            "The name or handle of the account that posted, shared, replied, liked or "
            "followed, for example @name."
        ),
    )
    description = forms.CharField(
        label=_("Tell us what happened"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        error_messages={"required": _("Tell us what happened.")},
    )

    def __init__(self, *args: Any, spec: RulebookSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [
            ("", gettext("Choose one")),
            *((key, gettext(label)) for key, label in spec.categories.items()),
        ]
        for slot in range(1, RESPONDENT_SLOTS + 1):
            first = slot == 1
            self.fields[f"respondent_{slot}_name"] = forms.CharField(
                label=_("Full name")
                if first
                else format_lazy(_("Person {slot}: full name"), slot=slot),
                required=first,
                max_length=200,
                error_messages={
                    "required": _("Enter the name of the person you are complaining about.")
                },
            )
            self.fields[f"respondent_{slot}_membership_number"] = forms.CharField(
                label=_("Membership number (if you know it)"), required=False, max_length=40
            )
            self.fields[f"respondent_{slot}_branch"] = forms.CharField(
                label=_("Branch (if you know it)"), required=False, max_length=200
            )
            self.fields[f"respondent_{slot}_email"] = forms.EmailField(
                label=_("Their email address (if you know it)"),
                required=False,
                max_length=EMAIL_MAX,
                help_text=_("We use it to tell them about the complaint, if we investigate it."),
                error_messages={
                    "invalid": _("Enter an email address like name@example.com."),
                    **too_long(_("The email address"), EMAIL_MAX),
                },
            )
            self.fields[f"respondent_{slot}_postal_address"] = forms.CharField(
                label=_("Their postal address (if you know it)"),
                required=False,
                max_length=ADDRESS_MAX,
                help_text=_("Without an email address, we write to them by post."),
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages=too_long(_("The postal address"), ADDRESS_MAX),
            )
        # As the page asks them (and the error summary lists them): the complainant, then
        # the people complained about, then what happened.
        respondents = [n for n in self.fields if n.startswith("respondent_")]
        asked_first = [
            n for n in self.fields if n.startswith(("channel", "received_on", "complainant_"))
        ]
        self.order_fields([*asked_first, *respondents])

    def answers(self, *, kept_file: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """A valid form's answers as GOV.UK's "check your answers" summary lists: a title
        each, then rows of the question, the answer in words and the id of the box that
        changes it."""
        data = self.cleaned_data

        def row(name: str, key: str, value: str) -> dict[str, str]:
            return {
                "key": key,
                "value": value or gettext("Not given"),
                "target": error_target_id(self[name]),
            }

        sections: list[dict[str, Any]] = []
        if "complainant_name" in self.fields:
            sections.append(
                {
                    "title": gettext("About you"),
                    "rows": [
                        row("complainant_name", gettext("Your name"), data["complainant_name"]),
                        row(
                            "complainant_email",
                            gettext("Your email address"),
                            data["complainant_email"],
                        ),
                        row(
                            "complainant_is_member",
                            gettext("Member"),
                            gettext("Yes")
                            if data["complainant_is_member"] == "yes"
                            else gettext("No"),
                        ),
                        row(
                            "complainant_membership_number",
                            gettext("Your membership number"),
                            data["complainant_membership_number"],
                        ),
                    ],
                }
            )
        for slot in range(1, RESPONDENT_SLOTS + 1):
            if not data.get(f"respondent_{slot}_name"):
                continue
            rows = [
                row(f"respondent_{slot}_name", gettext("Name"), data[f"respondent_{slot}_name"])
            ]
            for part, key in (
                ("membership_number", gettext("Membership number")),
                ("branch", gettext("Branch")),
                ("email", gettext("Email address")),
                ("postal_address", gettext("Postal address")),
            ):
                if data[f"respondent_{slot}_{part}"]:
                    rows.append(
                        row(f"respondent_{slot}_{part}", key, data[f"respondent_{slot}_{part}"])
                    )
            sections.append(
                {"title": gettext("Person %(slot)s") % {"slot": slot}, "rows": rows, "person": slot}
            )
        conduct_date = data["conduct_date"]
        sections.append(
            {
                "title": gettext("What happened"),
                "rows": [
                    row(
                        "category",
                        gettext("Kind of behaviour"),
                        gettext(self.spec.categories[data["category"]]),
                    ),
                    row(
                        "allegation_type",
                        gettext("What they did"),
                        gettext(str(AllegationType(data["allegation_type"]).label)),
                    ),
                    row(
                        "conduct_date",
                        gettext("When it happened"),
                        date_format(conduct_date, "j F Y")
                        if conduct_date
                        else gettext("Not known"),
                    ),
                    row("url", gettext("Link to the post or page"), data["url"]),
                    row(
                        "acting_account",
                        gettext("The account that did it"),
                        data["acting_account"],
                    ),
                    row("description", gettext("What happened"), data["description"]),
                ],
            }
        )
        if "file" in self.fields:
            size = filesizeformat(kept_file["size"]) if kept_file else ""
            sections.append(
                {
                    "title": gettext("Evidence"),
                    "file": kept_file,
                    "rows": [
                        row(
                            "file",
                            gettext("File"),
                            f"{kept_file['name']} ({size})"
                            if kept_file
                            else gettext("No file attached"),
                        ),
                        *(
                            [
                                row(
                                    "file_description",
                                    gettext("What it shows"),
                                    data["file_description"],
                                )
                            ]
                            if kept_file
                            else []
                        ),
                    ],
                }
            )
        return sections

    def respondent_slots(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"respondent_{slot}_{part}"] for part in RESPONDENT_PARTS]
            for slot in range(1, RESPONDENT_SLOTS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for slot in range(2, RESPONDENT_SLOTS + 1):
            extra = any(cleaned.get(f"respondent_{slot}_{part}") for part in RESPONDENT_PARTS[1:])
            if extra and not cleaned.get(f"respondent_{slot}_name"):
                self.add_error(f"respondent_{slot}_name", gettext("Enter this person's full name."))
        return cleaned


class ComplaintForm(ComplaintDetailsForm):
    """The public complaint form: one page, works without JavaScript, then checked by the
    person before it is sent (`answers`)."""

    file = forms.FileField(
        label=_("A screenshot or file (optional)"),
        required=False,
        allow_empty_file=True,  # the evidence service refuses it with its own reason
        help_text=FILE_HELP,
    )
    file_description = forms.CharField(
        label=_("What does the file show? (optional)"), required=False, max_length=2000
    )


class StaffComplaintForm(ComplaintDetailsForm):
    """A complaint received by post, phone, email or in person, recorded by staff (R-01)."""

    channel = forms.ChoiceField(
        label="How did the complaint arrive?",
        choices=[c for c in Channel.choices if c[0] != Channel.WEB],
        widget=forms.RadioSelect,
        error_messages={"required": "Say how the complaint arrived."},
    )
    received_on = DateInRange(
        what="The date received",
        earliest=years_ago(2),
        latest=today,
        label="Date received",
        widget=DateParts,
        help_text=f"For example, {example_date(past=True)}.",
        error_messages={
            "required": "Enter the date it was received.",
            "invalid": "Enter a real date.",
        },
    )

    field_order = ["channel", "received_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["complainant_name"].label = "Complainant's full name"
        self.fields["complainant_email"].label = "Complainant's email address (if any)"
        self.fields["complainant_email"].required = False
        self.fields["complainant_email"].help_text = (
            "With an address, the acknowledgement is emailed; without one, acknowledge by "
            "letter or phone and record it on the case."
        )
        self.fields["complainant_is_member"].label = "Is the complainant a member?"
        self.fields["complainant_membership_number"].label = "Their membership number (if known)"
        self.fields["description"].label = "What the complainant says happened"


COMPLAINANT_FIELDS = (
    "complainant_name",
    "complainant_email",
    "complainant_is_member",
    "complainant_membership_number",
)


class AnonymousComplaintForm(ComplaintForm):
    """The public form without anything about the reporter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in COMPLAINANT_FIELDS:
            del self.fields[name]
        self.fields["description"].help_text = _(
            "Do not include your name or anything that identifies you, unless you want to."
        )


class ReceiptForm(Form):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=80,
        help_text=_("24 letters and numbers, for example ABCD-EFGH-JKMN-PQRS-TVWX-YZ23."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Enter your receipt code.")},
    )


class ReporterMessageForm(Form):
    case = forms.TypedChoiceField(
        label=_("Which case is your message about?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the case."), "invalid_choice": _("Choose the case.")},
    )
    body = forms.CharField(
        label=_("Your message to the case team"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        error_messages={"required": _("Write your message.")},
    )

    def __init__(self, *args: Any, cases: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.fields["case"]
        assert isinstance(case, forms.TypedChoiceField)
        case.choices = [
            (
                c.pk,
                gettext("%(reference)s: about %(name)s")
                % {"reference": c.reference, "name": c.respondent.full_name},
            )
            for c in cases
        ]
        if len(cases) == 1:
            case.widget = forms.HiddenInput()
            case.initial = cases[0].pk


class ReporterEvidenceForm(Form):
    file = forms.FileField(
        label=_("Upload a file"),
        help_text=FILE_HELP,
        allow_empty_file=True,
        error_messages={"required": _("Choose a file to upload.")},
    )
    description = forms.CharField(
        label=_("What does it show? (optional)"), required=False, max_length=2000
    )
