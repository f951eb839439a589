"""Words the portal shows that are data rather than code, marked for the translation
catalogues: the kinds of evidence (evidence.models.Kind), where a condition of a sanction
stands (compliance.models.Condition.Status) and the ends of sanctions as the decision sets
them (compliance.services). The portal translates them as it shows them."""

from django.utils.translation import gettext_noop

WORDS = [
    # evidence.models.Kind
    gettext_noop("File"),
    gettext_noop("Social-media post"),
    # compliance.models.Condition.Status
    gettext_noop("Due"),
    gettext_noop("Complied with"),
    gettext_noop("Not complied with"),
    gettext_noop("Withdrawn"),
    gettext_noop("Ended"),
    # compliance.services: a sanction's end, as a condition
    gettext_noop("The suspension ends"),
    gettext_noop("The re-admission bar ends: they may apply to rejoin"),
    # cases.models.ACTS: what an account did, as alleged ("the account @x liked")
    gettext_noop("posted"),
    gettext_noop("shared"),
    gettext_noop("replied"),
    gettext_noop("liked"),
    gettext_noop("followed"),
]
