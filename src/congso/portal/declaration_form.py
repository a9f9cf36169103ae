"""The declaration form as web pages lives in ``congso.catalog.declaration_form``: the portal and
the desk render the same schema with it (one schema, two renderings)."""

from congso.catalog.declaration_form import (  # noqa: F401 - the portal's names for it
    Field,
    Group,
    attach_errors,
    display_value,
    errors_for,
    groups,
    is_table,
    prefill,
    properties,
    read_group,
)
