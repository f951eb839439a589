from typing import Any

from django import template

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
