"""Small helpers of the portal's templates: field ids for error links, the progress line."""

from django import template

register = template.Library()


@register.filter
def field_id(path: str) -> str:
    """``child.full_name`` → ``f-child-full_name``, the id the error summary links to."""
    return "f-" + str(path).replace(".", "-")


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, [])
