"""Which document tools the official's roles open, so a link is shown only when it answers."""

from django import template

from congso.accounts import permissions

from .. import lifecycle

register = template.Library()
ACTIONS = {"draft": lifecycle.DRAFT, "register": lifecycle.REGISTER}


@register.simple_tag(takes_context=True)
def documents_may(context, action: str) -> bool:
    """May the official ``action`` ("draft", "register") for some organ? The positions of the
    request answer without a query: a position granting it acts for its unit's committee."""
    return permissions.may(context["request"].user, ACTIONS[action])
