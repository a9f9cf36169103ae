"""The only code that changes the catalogue, and the read functions other apps call.

Each change runs in one transaction and writes its audit record; a failure leaves nothing behind.
Other apps use: ``get_processing_time`` (due dates), ``version_in_force`` (a dossier keeps it),
``compute_fee``, ``offering_units`` / ``offers`` (where a procedure can be filed) and ``search``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.collation import by_vietnamese
from congso.core.text import fold
from congso.org import services as org
from congso.org.choices import COMMUNE_LEVEL_KINDS, UnitKind

from . import content as content_rules
from . import exchange, fees, page_cache
from . import search as search_module
from .fees import fee_amount
from .models import (
    ChannelTerms,
    Level,
    Procedure,
    ProcedureVersion,
    ProcessingStep,
    RequiredDocument,
    Sector,
    version_in_force,
)

if TYPE_CHECKING:
    from congso.org.models import Unit

__all__ = [
    "ProcessingTime",
    "compute_fee",
    "create_procedure",
    "create_sector",
    "export_catalog",
    "get_processing_time",
    "import_catalog",
    "offering_units",
    "offers",
    "publish_version",
    "search",
    "update_procedure",
    "update_sector",
    "version_in_force",
]

#: Shown on the home page until dossier statistics say what citizens use most.
DEFAULT_POPULAR = ["1.001193", "1.000894", "2.000815", "2.000884", "1.001612", "1.000656"]

LEVEL_KINDS = {
    Level.COMMUNE: COMMUNE_LEVEL_KINDS,
    Level.DISTRICT: {UnitKind.DISTRICT},
    Level.PROVINCE: {UnitKind.PROVINCE},
}


# --- Reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessingTime:
    """``amount`` of ``unit`` (``working_days``, ``calendar_days``, ``working_hours`` or
    ``same_day`` whose amount is 0), for one channel of the version in force."""

    amount: int
    unit: str
    channel: str
    note: str
    version_id: int


def get_processing_time(code: str, channel: str = "desk", at=None) -> ProcessingTime:
    """Processing time of procedure ``code`` filed through ``channel`` at ``at`` (now).

    Raises ``ObjectDoesNotExist`` (``Procedure``, ``ProcedureVersion`` or ``ChannelTerms``
    ``.DoesNotExist``) when the procedure, a version in force or that channel does not exist.
    """
    procedure = Procedure.objects.get(code=code)
    version = version_in_force(procedure, at)
    terms = version.channel(channel)
    return ProcessingTime(
        terms.time_amount, terms.time_unit, terms.channel, terms.time_note, version.pk
    )


def compute_fee(
    version: ProcedureVersion, channel: str, copies: int = 1, pages: int = 0, exempt: bool = False
) -> int:
    """The fee in đồng for a dossier of ``version`` filed through ``channel``."""
    return fee_amount(version.channel(channel).fee, copies=copies, pages=pages, exempt=exempt)


def is_identity_to_present(document) -> bool:
    """Is this required document the applicant's own identity paper, to be shown (not filed)?
    Decree 45/2020/NĐ-CP on administrative procedures by electronic means: data the state holds
    — an identity proven from the national population database through VNeID — is not asked
    for again."""
    return document.copy_kind == "present" and "tuy than" in fold(document.name)


def declares_fee_items(version: ProcedureVersion) -> bool:
    """Does the version's declaration state the pages and copies the fee is counted on?"""
    return fees.declares_fee_items(version.form_schema or {})


def compute_declared_fee(
    version: ProcedureVersion, channel: str, form_data: dict, exempt: bool = False
) -> int:
    """The fee counted on the documents the declaration lists (``fees.fee_for_items``)."""
    items = fees.declared_items(version.form_schema or {}, form_data)
    return fees.fee_for_items(version.channel(channel).fee, items, exempt=exempt)


def fee_exemption(version: ProcedureVersion, channel: str, form_data, filed_on) -> str | None:
    """The ground on which the procedure's own rule exempts this declaration (``fees``)."""
    return fees.exemption_by_rule(version.channel(channel).fee, form_data, filed_on)


def search(query: str, filters: dict | None = None, **options):
    """Ranked catalogue search; see ``catalog.search``."""
    return search_module.search(query, filters, **options)


def offering_units(procedure: Procedure):
    """Active units where ``procedure`` can be filed: every unit of its level, plus the units
    named on the procedure."""
    by_level = org.units().active().filter(kind__in=LEVEL_KINDS[procedure.level])
    explicit = org.units().active().filter(extra_procedures=procedure)
    return (by_level | explicit).distinct()


def offers(procedure: Procedure, unit: Unit) -> bool:
    """Does ``unit`` (or the people's committee its desk or department belongs to) offer it?"""
    locality = unit.locality()
    return offering_units(procedure).filter(pk__in=[unit.pk, locality.pk]).exists()


def procedures_offered_at(unit: Unit):
    """Active procedures a unit (or its people's committee) receives."""
    locality = unit.locality()
    levels = [level for level, kinds in LEVEL_KINDS.items() if locality.kind in kinds]
    return (
        Procedure.objects.filter(is_active=True)
        .filter(Q(level__in=levels) | Q(units__in=[unit.pk, locality.pk]))
        .distinct()
    )


def popular_procedures(limit: int = 6) -> list[Procedure]:
    """The most used procedures (a setting until dossier counts exist), in that order."""
    codes = list(settings.CONGSO_POPULAR_PROCEDURES or DEFAULT_POPULAR)[:limit]
    found = Procedure.objects.filter(is_active=True, code__in=codes).select_related("sector")
    by_code = {p.code: p for p in found}
    return [by_code[c] for c in codes if c in by_code]


def version_content(version: ProcedureVersion) -> dict:
    """A version as exchange content (see ``content.py``), the inverse of ``publish_version``."""
    return {
        "valid_from": version.valid_from,
        **{name: getattr(version, name) for name in content_rules.TEXT_FIELDS},
        **{flag: getattr(version, flag) for flag in content_rules.FLAGS},
        "form_schema": version.form_schema,
        "channels": {
            terms.channel: {
                "time_amount": terms.time_amount,
                "time_unit": terms.time_unit,
                "time_note": terms.time_note,
                "fee": terms.fee,
            }
            for terms in version.channels.all()
        },
        "documents": [
            {
                "name": d.name,
                "copy_kind": d.copy_kind,
                "count": d.count,
                "mandatory": d.mandatory,
                "template": d.template,
                "is_declaration": d.is_declaration,
            }
            for d in version.documents.all()
        ],
        "steps": [
            {
                "name": s.name,
                "role": s.role,
                "responsible": s.responsible,
                "amount": s.amount,
                "unit": s.unit,
            }
            for s in version.steps.all()
        ],
    }


def latest_version(procedure: Procedure) -> ProcedureVersion | None:
    return (
        procedure.versions.prefetch_related("channels", "documents", "steps")
        .order_by("-number")
        .first()
    )


def current_or_latest(procedure: Procedure) -> ProcedureVersion | None:
    """The version in force today, or the newest one if none is in force yet."""
    return procedure.current_version() or latest_version(procedure)


# --- Sectors ---------------------------------------------------------------------------------


@transaction.atomic
def create_sector(*, code: str, name: str) -> Sector:
    sector = Sector(code=(code or "").strip(), name=(name or "").strip())
    sector.full_clean()
    sector.save()
    audit.record("catalog.sector.create", sector, data={"code": sector.code})
    return sector


@transaction.atomic
def update_sector(sector: Sector, *, name: str) -> Sector:
    sector = Sector.objects.select_for_update().get(pk=sector.pk)
    if sector.name != name:
        old, sector.name = sector.name, name
        sector.full_clean()
        sector.save()
        audit.record("catalog.sector.update", sector, data={"name": [old, name]})
        for procedure in sector.procedures.all():
            _refresh_search(procedure)
    return sector


# --- Procedures and versions -----------------------------------------------------------------


def _search_fields(procedure: Procedure, version: ProcedureVersion | None) -> tuple[str, str]:
    texts = [procedure.sector.name, procedure.get_level_display()]
    if version is not None:
        texts += [version.applicants, version.deciding_agency, version.result]
        texts += [d.name for d in version.documents.all()]
    return search_module.search_columns(procedure.code, procedure.name, texts)


def _refresh_search(procedure: Procedure, version: ProcedureVersion | None = None) -> None:
    """Recompute the folded search columns (from ``version``, or the latest one)."""
    name, text = _search_fields(procedure, version or latest_version(procedure))
    Procedure.objects.filter(pk=procedure.pk).update(
        search_name=name, search_text=text, updated_at=timezone.now()
    )
    procedure.search_name, procedure.search_text = name, text


_IDENTITY = ("name", "sector", "level", "online_mode", "is_active")


@transaction.atomic
def create_procedure(
    *,
    code: str,
    name: str,
    sector: Sector,
    level: str,
    online_mode: str,
    is_active: bool = True,
    units=(),
    version: dict | None = None,
) -> Procedure:
    """A new procedure and, when ``version`` content is given, its first version."""
    procedure = Procedure(
        code=(code or "").strip(),
        name=(name or "").strip(),
        sector=sector,
        level=level,
        online_mode=online_mode,
        is_active=is_active,
    )
    procedure.full_clean(exclude=["search_name", "search_text"])
    procedure.save()
    if units:
        procedure.units.set(units)
    audit.record(
        "catalog.procedure.create",
        procedure,
        data={"code": procedure.code, "sector": sector.code, "level": level},
    )
    if version is not None:
        published = publish_version(procedure, version)
        procedure.search_name = published.procedure.search_name
        procedure.search_text = published.procedure.search_text
    else:
        _refresh_search(procedure)
    return procedure


@transaction.atomic
def update_procedure(procedure: Procedure, *, units=None, **fields) -> Procedure:
    """Change the identity of a procedure (its rules change by publishing a version)."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    changed = {}
    for name, value in fields.items():
        if name not in _IDENTITY:
            raise ValidationError(_("Trường %(name)s không được sửa.") % {"name": name})
        old = getattr(procedure, name)
        if old != value:
            changed[name] = [str(old), str(value)]
            setattr(procedure, name, value)
    procedure.full_clean(exclude=["search_name", "search_text"])
    procedure.save()
    if units is not None:
        before = sorted(procedure.units.values_list("pk", flat=True))
        after = sorted(u.pk for u in units)
        if before != after:
            procedure.units.set(units)
            changed["units"] = [before, after]
    if changed:
        audit.record("catalog.procedure.update", procedure, data={"changed": changed})
    _refresh_search(procedure)
    return procedure


def _write_version(procedure: Procedure, clean: dict, number: int) -> ProcedureVersion:
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=number,
        valid_from=clean["valid_from"],
        form_schema=clean["form_schema"],
        **{flag: clean[flag] for flag in content_rules.FLAGS},
        **{name: clean[name] for name in content_rules.TEXT_FIELDS},
    )
    ChannelTerms.objects.bulk_create(
        ChannelTerms(version=version, channel=channel, **terms)
        for channel, terms in clean["channels"].items()
    )
    RequiredDocument.objects.bulk_create(
        RequiredDocument(version=version, position=i, **d)
        for i, d in enumerate(clean["documents"], start=1)
    )
    ProcessingStep.objects.bulk_create(
        ProcessingStep(version=version, position=i, **s)
        for i, s in enumerate(clean["steps"], start=1)
    )
    return version


@transaction.atomic
def publish_version(procedure: Procedure, content: dict) -> ProcedureVersion:
    """Publish new rules for ``procedure`` from ``valid_from`` on.

    The previous open-ended version ends the day before; versions already published are never
    changed otherwise, so dossiers received under them keep their time and fee.
    """
    procedure = Procedure.objects.select_for_update().select_related("sector").get(pk=procedure.pk)
    clean = content_rules.clean_version(content, online_mode=procedure.online_mode)
    previous = latest_version(procedure)
    if previous is not None:
        if clean["valid_from"] <= previous.valid_from:
            raise ValidationError(
                {
                    "valid_from": [
                        _(
                            "Phiên bản mới phải áp dụng sau ngày %(date)s "
                            "(ngày áp dụng của phiên bản %(number)s)."
                        )
                        % {
                            "date": previous.valid_from.strftime("%d/%m/%Y"),
                            "number": previous.number,
                        }
                    ]
                }
            )
        end = clean["valid_from"] - dt.timedelta(days=1)
        if previous.valid_until is None or previous.valid_until > end:
            previous.valid_until = end
            previous.save(update_fields=["valid_until"])
    version = _write_version(procedure, clean, previous.number + 1 if previous else 1)
    audit.record(
        "catalog.version.publish",
        version,
        data={
            "procedure": procedure.code,
            "number": version.number,
            "valid_from": version.valid_from,
            "previous_until": previous.valid_until if previous else None,
            "change_note": version.change_note,
        },
    )
    _refresh_search(procedure, version)
    return version


# --- Import and export -----------------------------------------------------------------------


@dataclass
class ImportReport:
    sectors_created: int = 0
    procedures_created: int = 0
    procedures_updated: int = 0
    versions_published: int = 0
    unchanged: int = 0


@dataclass
class _Plan:
    procedure: dict
    version: dict
    existing: Procedure | None
    publish: bool


def _locate(locate, key: str, message: str) -> str:
    return f"{locate(key)}: {message}"


def _plan_sectors(parsed, errors: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for data, locate in parsed.sectors:
        if not isinstance(data, dict):
            errors.append(_locate(locate, "code", _("phải là một đối tượng.")))
            continue
        code, name = str(data.get("code") or "").strip(), str(data.get("name") or "").strip()
        if not code:
            errors.append(_locate(locate, "code", _("chưa nhập mã lĩnh vực.")))
        elif not name:
            errors.append(_locate(locate, "name", _("chưa nhập tên lĩnh vực.")))
        else:
            names[code] = name
    return names


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}


def _plan_entry(entry, sector_names, existing_by_code, seen, errors) -> _Plan | None:
    failed = False

    def fail(key, message):
        nonlocal failed
        failed = True
        where = entry.locate(key)
        if not any(e.startswith(f"{where}:") for e in errors):  # the parser said it already
            errors.append(f"{where}: {message}")

    try:
        procedure = content_rules.clean_procedure(entry.procedure)
    except ValidationError as exc:
        for key, items in _messages(exc).items():
            for message in items:
                fail(key, message)
        procedure = None
    try:
        version = content_rules.clean_version(
            entry.version, online_mode=(procedure or entry.procedure).get("online_mode")
        )
    except ValidationError as exc:
        for key, items in _messages(exc).items():
            for message in items:
                fail(f"version.{key}" if key else "version", message)
        version = None
    if procedure is None:
        return None
    if procedure["code"] in seen:
        fail("code", _("mã thủ tục bị trùng trong tệp."))
    seen.add(procedure["code"])
    if (
        procedure["sector"] not in sector_names
        and not Sector.objects.filter(code=procedure["sector"]).exists()
    ):
        fail("sector", _("không có lĩnh vực mã “%(code)s”.") % {"code": procedure["sector"]})
    known = set(
        org.units().filter(agency_id__in=procedure["units"]).values_list("agency_id", flat=True)
    )
    for agency_id in procedure["units"]:
        if agency_id not in known:
            fail("units", _("không có đơn vị mã định danh “%(id)s”.") % {"id": agency_id})
    existing = Procedure.objects.filter(code=procedure["code"]).first()
    publish = True
    if existing is not None and version is not None:
        previous = latest_version(existing)
        if previous is not None:
            same = content_rules.comparable(version_content(previous)) == content_rules.comparable(
                version
            )
            publish = not same
            if publish and version["valid_from"] <= previous.valid_from:
                fail(
                    "version.valid_from",
                    _("nội dung khác phiên bản hiện có nên phải áp dụng sau ngày %(date)s.")
                    % {"date": previous.valid_from.strftime("%d/%m/%Y")},
                )
    if failed or version is None:
        return None
    return _Plan(procedure, version, existing, publish)


def _apply(plan: _Plan, sectors: dict[str, Sector], report: ImportReport) -> None:
    data = plan.procedure
    units = list(org.units().filter(agency_id__in=data["units"]))
    identity = {
        "name": data["name"],
        "sector": sectors[data["sector"]],
        "level": data["level"],
        "online_mode": data["online_mode"],
        "is_active": data["is_active"],
    }
    if plan.existing is None:
        create_procedure(code=data["code"], units=units, version=plan.version, **identity)
        report.procedures_created += 1
        report.versions_published += 1
        return
    existing = plan.existing
    differs = any(getattr(existing, k) != v for k, v in identity.items()) or sorted(
        existing.units.values_list("pk", flat=True)
    ) != sorted(u.pk for u in units)
    if differs:
        update_procedure(existing, units=units, **identity)
        report.procedures_updated += 1
    if plan.publish:
        publish_version(existing, plan.version)
        report.versions_published += 1
    if not differs and not plan.publish:
        report.unchanged += 1


@transaction.atomic
def import_catalog(raw: bytes, filename: str = "") -> ImportReport:
    """Import a JSON or Excel file: all of it, or — on any problem — nothing.

    Procedures are matched by code: new ones are created, changed identities updated, and a
    version is published only when its content differs from the latest one (so importing the same
    file twice changes nothing). Raises ``exchange.ImportFailed`` listing every problem with its
    sheet/row/column (Excel) or procedure/field (JSON).
    """
    parsed = exchange.parse(raw, filename)
    errors = list(parsed.errors)
    sector_names = {
        **dict(Sector.objects.values_list("code", "name")),
        **_plan_sectors(parsed, errors),
    }
    existing_by_code = Procedure.objects.select_related("sector").in_bulk(
        [
            e.procedure.get("code")
            for e in parsed.entries
            if isinstance(e.procedure.get("code"), str)
        ],
        field_name="code",
    )
    seen: set[str] = set()
    plans = [
        _plan_entry(entry, sector_names, existing_by_code, seen, errors) for entry in parsed.entries
    ]
    if errors:
        raise exchange.ImportFailed(errors)
    report = ImportReport()
    sectors = {s.code: s for s in Sector.objects.all()}
    for code, name in sector_names.items():
        if code not in sectors:
            sectors[code] = create_sector(code=code, name=name)
            report.sectors_created += 1
        elif sectors[code].name != name:
            sectors[code] = update_sector(sectors[code], name=name)
    for plan in plans:
        _apply(plan, sectors, report)
    if report.unchanged < len(plans) or report.sectors_created:
        audit.record(
            "catalog.import",
            object_type="catalog.procedure",
            object_id="*",
            object_repr=filename or _("tệp danh mục"),
            data=report.__dict__,
        )
    return report


def export_data(procedures=None) -> dict:
    """The catalogue in the exchange format: each procedure with its version in force today
    (or its newest, if none is in force yet)."""
    procedures = (
        procedures
        if procedures is not None
        else Procedure.objects.select_related("sector").prefetch_related("units")
    )
    items, used = [], {}
    for procedure in procedures.order_by("code"):
        version = current_or_latest(procedure)
        if version is None:
            continue
        used[procedure.sector.code] = procedure.sector.name
        items.append(
            {
                "code": procedure.code,
                "name": procedure.name,
                "sector": procedure.sector.code,
                "level": procedure.level,
                "online_mode": procedure.online_mode,
                "is_active": procedure.is_active,
                "units": sorted(u.agency_id for u in procedure.units.all() if u.agency_id),
                "version": version_content(version),
            }
        )
    return {
        "format": exchange.FORMAT,
        "format_version": exchange.FORMAT_VERSION,
        "sectors": [{"code": c, "name": n} for c, n in sorted(used.items())],
        "procedures": items,
    }


def export_catalog(kind: str = "json", procedures=None) -> bytes:
    """``kind`` is ``json`` or ``xlsx``."""
    data = export_data(procedures)
    if kind == "xlsx":
        return exchange.to_xlsx(data)
    return exchange.to_json(data)


# --- Reading the catalogue from other apps (they never import ``catalog.models``) ------------


def procedures():
    """Every procedure, as a queryset other apps filter (pickers, serializers, names)."""
    return Procedure.objects.all()


def kept_with_catalogue(name: str, compute):
    """``compute()``'s value kept until the catalogue changes (``page_cache.kept``): for what
    another app builds from the procedures and sectors alone, the same for every user."""
    return page_cache.kept(name, compute)


def picker_rows() -> dict[str, list]:
    """The active procedures in Vietnamese alphabetical order and every sector, as the officials'
    filters offer them (the desk page, every queue): two queries, then kept until the catalogue
    changes (``page_cache``), so those pages read none — a province's catalogue lists hundreds of
    procedures (issue 16)."""
    return page_cache.kept(
        "pickers",
        lambda: {
            "procedures": list(
                Procedure.objects.filter(is_active=True)
                .only("id", "code", "name")
                .order_by(by_vietnamese("name"))
            ),
            "sectors": list(Sector.objects.only("id", "code", "name")),
        },
    )


def sectors():
    """Every sector, as a queryset other apps annotate (the portal's sector list)."""
    return Sector.objects.all()


def required_documents():
    """Every required document of every version, as a queryset other apps filter (a dossier's
    checklist names the catalogue's rows it was filed against)."""
    return RequiredDocument.objects.all()
