"""The survey's statements and scale, stored and published in English (models.QUESTIONS,
Level), marked here for the translation catalogues: the answer page shows them translated."""

from django.utils.translation import gettext_noop

WORDS = [
    gettext_noop("I was treated fairly"),
    gettext_noop("The process was explained to me clearly"),
    gettext_noop("I was kept informed about my case"),
    gettext_noop("I have confidence in the complaints process"),
    gettext_noop("Strongly agree"),
    gettext_noop("Agree"),
    gettext_noop("Neither agree nor disagree"),
    gettext_noop("Disagree"),
    gettext_noop("Strongly disagree"),
]
