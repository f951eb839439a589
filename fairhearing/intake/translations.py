"""Words the public complaint form shows that are data rather than code, marked for the
translation catalogues (`makemessages` finds them here): the kinds of conduct (cases'
`AllegationType`) and the built-in rulebook's categories. The form translates them as it
shows them; an organisation's own rulebook labels need their own entries in its catalogue."""

from django.utils.translation import gettext_noop

WORDS = [
    # cases.models.AllegationType
    gettext_noop("A post or publication"),
    gettext_noop("Liking someone else's content"),
    gettext_noop("Sharing or re-posting someone else's content"),
    gettext_noop("A comment or reply"),
    gettext_noop("A private message"),
    gettext_noop("Following an account"),
    gettext_noop("Conduct in person"),
    gettext_noop("Something else"),
    # organisations.default_rulebook: categories
    gettext_noop("Racism"),
    gettext_noop("Antisemitism"),
    gettext_noop("Islamophobia"),
    gettext_noop("Sexism or misogyny"),
    gettext_noop("Homophobia, biphobia or transphobia"),
    gettext_noop("Disability discrimination"),
    gettext_noop("Bullying or harassment"),
    gettext_noop("Sexual harassment"),
    gettext_noop("Online abuse"),
    gettext_noop("Other misconduct"),
]
