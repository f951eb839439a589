import re
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`{{ mapping|get_item:key }}`: a dict lookup with a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


def _in_words(key: str) -> str:
    """A key the rulebook no longer names, in words rather than as the key."""
    return str(key).replace("_", " ").capitalize()


@register.filter
def transition_label(spec: Any, key: str) -> str:
    """`{{ spec|transition_label:change.transition }}`: what the rulebook calls a decision."""
    transition = getattr(spec, "transitions", {}).get(key)
    return transition.label if transition is not None else _in_words(key)


@register.filter
def sanction_label(spec: Any, key: str) -> str:
    """`{{ spec|sanction_label:vote.sanction }}`: what the rulebook calls a sanction."""
    sanction = getattr(spec, "sanctions", {}).get(key)
    return sanction.label if sanction is not None else _in_words(key)


_FILE_TERM = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


@register.filter
def code_terms(text: str) -> str:
    """`{{ reasons|code_terms }}`: a message about a file, with the file's own column names and
    values (`respondent_name`, `sexual_harassment`) set as code, to be typed as they are."""
    return mark_safe(  # noqa: S308 - escaped first, then only our own <code> tags added
        _FILE_TERM.sub(lambda m: f"<code>{m.group(0)}</code>", str(conditional_escape(text)))
    )
