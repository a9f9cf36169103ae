"""``{% declaration dossier %}``: the declared data beside the attached documents, on every
back-office dossier page (desk, specialist, leader). One tag, so the dossier page includes it
with one line."""

from django import template

from congso.catalog.declaration_form import changes, sections

from .. import services

register = template.Library()

#: How each stored type is shown in the page: a PDF in a frame, an image as an image.
VIEWERS = {"application/pdf": "pdf", "image/jpeg": "image", "image/png": "image"}


@register.inclusion_tag("onestop/_declaration.html", takes_context=True)
def declaration(context, dossier):
    user = context["request"].user
    schema = dossier.version.form_schema or {}
    return {
        "dossier": dossier,
        "has_form": bool(schema),
        "sections": sections(schema, dossier.form_data) if dossier.form_data else [],
        "documents": [
            {"doc": doc, "viewer": VIEWERS.get(doc.content_type, "") if doc.file else ""}
            for doc in dossier.documents.all()
        ],
        "revisions": [
            {"entry": entry, "changes": changes(schema, entry.before, entry.after)}
            for entry in dossier.declaration_revisions.all()
        ],
        "can_edit": services.may_correct_declaration(user, dossier),
    }
