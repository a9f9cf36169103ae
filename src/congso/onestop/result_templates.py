"""Result templates: the official form of each result document, as data.

A template names its HTML (``onestop/pdf/results/<key>.html``, rendered to PDF by WeasyPrint as
the one-stop forms are), the fields it binds — to the declaration (``Dossier.form_data``, shaped
by the procedure version's JSON Schema) and to the dossier (code, applicant, dates, fee) — which
of them the specialist may correct (always with a reason, recorded), the register its entries
are numbered in at issue. Whether the leader signs personally before the seal is the procedure
version's choice (``catalog.ProcedureVersion.result_signed_by_leader``).

Templates are chosen by procedure code; a procedure without its own has the general decision
(``ket_qua``). The forms follow the Ministry of Justice's civil-status forms (Circular
04/2020/TT-BTP as amended by Circular 04/2024/TT-BTP), the certification forms of Decree
23/2015/NĐ-CP and Circular 01/2020/TT-BTP, and the social-protection forms of Decree
20/2021/NĐ-CP; the wording is simplified for the demo, the fields are those the law lists.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from congso.core import formatting


@dataclass(frozen=True)
class Field:
    """One bound field: its key in the template (``v.<key>``), its label, and where its value
    comes from: ``form.<path>`` (the declaration) or ``dossier.<name>`` (see ``DOSSIER_VALUES``)."""

    key: str
    label: str
    source: str
    #: ``money``: a whole number of dong printed ``150.000.000 đ``.
    kind: str = ""


@dataclass(frozen=True)
class Register:
    """A register whose entries are numbered per unit and year (book, page, number).

    ``per_page`` entries fill a page and ``pages`` pages a book: the civil-status registers of
    Circular 04/2020/TT-BTP art. 27–28 and the certification registers of Decree 23/2015/NĐ-CP
    art. 13 are opened each year and numbered continuously within it."""

    kind: str
    name: str
    notation: str = ""
    per_page: int = 2
    pages: int = 200


@dataclass(frozen=True)
class ResultTemplate:
    key: str
    title: str
    fields: tuple[Field, ...]
    register: Register | None = None
    #: The key of a number field in the declaration: the page is issued only when it is > 0.
    when_positive: str = ""
    #: Free text the law lets the specialist add without a reason (``Ghi chú``).
    notes: bool = True
    legal_basis: str = ""


@dataclass(frozen=True)
class RegisterEntry:
    book: str
    page: int
    number: int
    notation: str = ""

    def as_dict(self) -> dict:
        return {
            "book": self.book,
            "page": self.page,
            "number": self.number,
            "notation": self.notation,
        }


def register_entry(sequence: int, year: int, register: Register) -> RegisterEntry:
    """The ``sequence``-th entry of ``year`` in ``register``: its book (``01/2026``), page and
    number. Registers are opened each year and numbered continuously; a full book is followed
    by the next (Circular 04/2020/TT-BTP art. 27; Decree 23/2015/NĐ-CP art. 13 for the
    certification registers, whose book carries the register's notation: ``01/2026-SCT/BS``)."""
    if sequence < 1:
        raise ValueError("register numbers start at 1")
    per_book = register.per_page * register.pages
    book = (sequence - 1) // per_book + 1
    page = (sequence - 1) % per_book // register.per_page + 1
    label = f"{book:02d}/{year}" + (f"-{register.notation}" if register.notation else "")
    return RegisterEntry(book=label, page=page, number=sequence, notation=register.notation)


def register_counter_key(register: Register, unit_id: int, year: int) -> str:
    """The gap-free counter (``core.numbering``) of a register: one per unit and year."""
    return f"onestop.register:{register.kind}:{unit_id}:{year}"


# --- The fields ---------------------------------------------------------------------------------


def _person(prefix: str, path: str, *, with_id=True, with_sex=False, with_residence=True):
    fields = [
        Field(f"{prefix}_name", _("Họ, chữ đệm, tên"), f"form.{path}.full_name"),
        Field(f"{prefix}_dob", _("Ngày, tháng, năm sinh"), f"form.{path}.date_of_birth"),
        Field(f"{prefix}_ethnicity", _("Dân tộc"), f"form.{path}.ethnicity"),
        Field(f"{prefix}_nationality", _("Quốc tịch"), f"form.{path}.nationality"),
    ]
    if with_sex:
        fields.append(Field(f"{prefix}_sex", _("Giới tính"), f"form.{path}.sex"))
    if with_id:
        fields.append(Field(f"{prefix}_id", _("Số định danh cá nhân"), f"form.{path}.id_number"))
    if with_residence:
        fields.append(Field(f"{prefix}_residence", _("Nơi cư trú"), f"form.{path}.residence"))
    return fields


APPLICANT = (
    Field("applicant_name", _("Người yêu cầu"), "dossier.applicant_name"),
    Field("applicant_id", _("Số định danh cá nhân người yêu cầu"), "dossier.applicant_id_number"),
    Field("applicant_address", _("Địa chỉ người yêu cầu"), "dossier.applicant_address"),
)
DOSSIER_FIELDS = (
    Field("code", _("Mã hồ sơ"), "dossier.code"),
    Field("procedure", _("Thủ tục"), "dossier.procedure"),
    Field("received", _("Ngày tiếp nhận"), "dossier.received"),
    Field("fee", _("Phí, lệ phí"), "dossier.fee"),
)

CHILD = (
    Field("child_name", _("Họ, chữ đệm, tên"), "form.child.full_name"),
    Field("child_sex", _("Giới tính"), "form.child.sex"),
    Field("child_dob", _("Ngày, tháng, năm sinh"), "form.child.date_of_birth"),
    Field("child_dob_words", _("Ghi bằng chữ"), "form.child.date_of_birth_in_words"),
    Field("child_place", _("Nơi sinh"), "form.child.place_of_birth"),
    Field("child_hometown", _("Quê quán"), "form.child.hometown"),
    Field("child_ethnicity", _("Dân tộc"), "form.child.ethnicity"),
    Field("child_nationality", _("Quốc tịch"), "form.child.nationality"),
)


def _parent(prefix: str, path: str):
    return (
        Field(f"{prefix}_name", _("Họ, chữ đệm, tên"), f"form.{path}.full_name"),
        Field(f"{prefix}_year", _("Năm sinh"), f"form.{path}.year_of_birth"),
        Field(f"{prefix}_dob", _("Ngày, tháng, năm sinh"), f"form.{path}.date_of_birth"),
        Field(f"{prefix}_ethnicity", _("Dân tộc"), f"form.{path}.ethnicity"),
        Field(f"{prefix}_nationality", _("Quốc tịch"), f"form.{path}.nationality"),
        Field(f"{prefix}_residence", _("Nơi cư trú"), f"form.{path}.residence"),
    )


BIRTH_FIELDS = (
    *CHILD,
    *_parent("mother", "mother"),
    *_parent("father", "father"),
    Field("declarant_name", _("Người đi đăng ký khai sinh"), "form.declarant.full_name"),
    Field("relationship", _("Quan hệ với người được khai sinh"), "form.relationship"),
    *DOSSIER_FIELDS[:1],
)

BIRTH_REGISTER = Register("KS", _("Sổ đăng ký khai sinh"))
CIVIL_LAW = "Luật Hộ tịch 2014; Thông tư 04/2020/TT-BTP, sửa đổi bởi Thông tư 04/2024/TT-BTP"
CERT_LAW = "Nghị định 23/2015/NĐ-CP; Thông tư 01/2020/TT-BTP"
SOCIAL_LAW = "Nghị định 20/2021/NĐ-CP"

BIRTH = ResultTemplate(
    "giay_khai_sinh",
    _("Giấy khai sinh"),
    BIRTH_FIELDS,
    BIRTH_REGISTER,
    legal_basis=CIVIL_LAW + " (mẫu Giấy khai sinh bản chính)",
)
BIRTH_EXTRACT = ResultTemplate(
    "trich_luc_khai_sinh",
    _("Trích lục khai sinh (bản sao)"),
    (*BIRTH_FIELDS, Field("copies", _("Số bản sao"), "form.copies_requested")),
    None,  # the copy extract carries the number of the original's entry
    when_positive="copies_requested",
    legal_basis=CIVIL_LAW + " (mẫu Trích lục khai sinh bản sao)",
)

TEMPLATES: dict[str, ResultTemplate] = {
    t.key: t
    for t in (
        BIRTH,
        BIRTH_EXTRACT,
        ResultTemplate(
            "giay_khai_sinh_dang_ky_lai",
            _("Giấy khai sinh (đăng ký lại)"),
            (*BIRTH_FIELDS, *APPLICANT[:1]),
            BIRTH_REGISTER,
            legal_basis=CIVIL_LAW + "; Nghị định 123/2015/NĐ-CP điều 24–26",
        ),
        ResultTemplate(
            "trich_luc_nhan_cha_me_con",
            _("Trích lục đăng ký nhận cha, mẹ, con"),
            (*APPLICANT, *DOSSIER_FIELDS[:1]),
            Register("NCMC", _("Sổ đăng ký nhận cha, mẹ, con")),
            legal_basis=CIVIL_LAW,
        ),
        ResultTemplate(
            "giay_chung_nhan_ket_hon",
            _("Giấy chứng nhận kết hôn"),
            (
                *_person("wife", "wife"),
                *_person("husband", "husband"),
                *DOSSIER_FIELDS[:1],
            ),
            Register("KH", _("Sổ đăng ký kết hôn")),
            legal_basis=CIVIL_LAW + " (mẫu Giấy chứng nhận kết hôn)",
        ),
        ResultTemplate(
            "trich_luc_khai_tu",
            _("Trích lục khai tử"),
            (
                *_person("deceased", "deceased", with_sex=True),
                Field("death_date", _("Ngày chết"), "form.deceased.date_of_death"),
                Field("death_time", _("Giờ, phút chết"), "form.deceased.time_of_death"),
                Field("death_place", _("Nơi chết"), "form.deceased.place_of_death"),
                Field("death_cause", _("Nguyên nhân chết"), "form.deceased.cause_of_death"),
                Field("death_notice", _("Giấy báo tử"), "form.deceased.death_notice"),
                Field("declarant_name", _("Người đi khai tử"), "form.declarant.full_name"),
                Field("relationship", _("Quan hệ với người đã chết"), "form.relationship"),
                *DOSSIER_FIELDS[:1],
            ),
            Register("KT", _("Sổ đăng ký khai tử")),
            legal_basis=CIVIL_LAW + " (mẫu Trích lục khai tử)",
        ),
        ResultTemplate(
            "ban_sao_trich_luc",
            _("Trích lục hộ tịch (bản sao)"),
            (*APPLICANT, *DOSSIER_FIELDS),
            Register("BSTL", _("Sổ cấp bản sao trích lục hộ tịch")),
            legal_basis=CIVIL_LAW + "; Luật Hộ tịch điều 63–64",
        ),
        ResultTemplate(
            "xac_nhan_tinh_trang_hon_nhan",
            _("Giấy xác nhận tình trạng hôn nhân"),
            (
                *_person("person", "person", with_sex=True),
                Field("marital_status", _("Tình trạng hôn nhân"), "form.marital_status"),
                Field("purpose", _("Mục đích sử dụng"), "form.purpose"),
                Field("declarant_name", _("Người yêu cầu"), "form.declarant.full_name"),
                *DOSSIER_FIELDS[:1],
            ),
            Register("XNHN", _("Sổ cấp Giấy xác nhận tình trạng hôn nhân")),
            legal_basis=CIVIL_LAW + "; Nghị định 123/2015/NĐ-CP điều 21–23",
        ),
        ResultTemplate(
            "trich_luc_thay_doi_ho_tich",
            _("Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch"),
            (*APPLICANT, *DOSSIER_FIELDS[:1]),
            Register("TĐCC", _("Sổ đăng ký thay đổi, cải chính, bổ sung hộ tịch")),
            legal_basis=CIVIL_LAW + "; Luật Hộ tịch điều 26–28",
        ),
        ResultTemplate(
            "chung_thuc_ban_sao",
            _("Lời chứng chứng thực bản sao từ bản chính"),
            (
                Field("requester_name", _("Người yêu cầu chứng thực"), "form.requester.full_name"),
                Field("requester_id", _("Số giấy tờ tùy thân"), "form.requester.id_number"),
                Field("documents", _("Giấy tờ, văn bản được chứng thực"), "form.documents"),
                *DOSSIER_FIELDS[:1],
                DOSSIER_FIELDS[3],
            ),
            Register("CTBS", _("Sổ chứng thực bản sao từ bản chính"), "SCT/BS", 10, 200),
            notes=False,
            legal_basis=CERT_LAW + " (lời chứng mẫu 01, sổ chứng thực bản sao)",
        ),
        ResultTemplate(
            "chung_thuc_chu_ky",
            _("Lời chứng chứng thực chữ ký"),
            (*APPLICANT, *DOSSIER_FIELDS[:1], DOSSIER_FIELDS[3]),
            Register("CTCK", _("Sổ chứng thực chữ ký, điểm chỉ"), "SCT/CK,ĐC", 10, 200),
            notes=False,
            legal_basis=CERT_LAW + " (lời chứng chứng thực chữ ký)",
        ),
        ResultTemplate(
            "chung_thuc_ban_sao_hop_dong",
            _("Bản sao có chứng thực hợp đồng, giao dịch"),
            (*APPLICANT, *DOSSIER_FIELDS[:1], DOSSIER_FIELDS[3]),
            Register("CTHD", _("Sổ chứng thực hợp đồng, giao dịch"), "SCT/HĐ,GD", 10, 200),
            notes=False,
            legal_basis=CERT_LAW + " (cấp bản sao hợp đồng, giao dịch đã chứng thực)",
        ),
        ResultTemplate(
            "quyet_dinh_tro_cap",
            _("Quyết định về việc trợ cấp xã hội hằng tháng"),
            (
                *_person("beneficiary", "beneficiary", with_sex=True),
                Field("category", _("Thuộc đối tượng"), "form.category"),
                Field("bank_account", _("Số tài khoản nhận trợ cấp"), "form.bank_account"),
                *DOSSIER_FIELDS[:1],
            ),
            Register("QD", _("Sổ quyết định"), "QĐ-UBND", 10, 200),
            legal_basis=SOCIAL_LAW + " (mẫu quyết định trợ cấp xã hội)",
        ),
        ResultTemplate(
            "quyet_dinh_mai_tang",
            _("Quyết định về việc hỗ trợ chi phí mai táng"),
            (*APPLICANT, *DOSSIER_FIELDS[:1]),
            Register("QD", _("Sổ quyết định"), "QĐ-UBND", 10, 200),
            legal_basis=SOCIAL_LAW + " điều 11",
        ),
        ResultTemplate(
            "xac_nhan_khuyet_tat",
            _("Giấy xác nhận khuyết tật"),
            (*APPLICANT, *DOSSIER_FIELDS[:1]),
            Register("XNKT", _("Sổ cấp Giấy xác nhận khuyết tật")),
            legal_basis="Luật Người khuyết tật 2010; Thông tư 01/2019/TT-BLĐTBXH",
        ),
        ResultTemplate(
            "ho_kinh_doanh",
            _("Giấy chứng nhận đăng ký hộ kinh doanh"),
            (
                Field("business_name", _("Tên hộ kinh doanh"), "form.business_name"),
                Field("street", _("Địa chỉ trụ sở"), "form.address.street"),
                Field("business_lines", _("Ngành, nghề kinh doanh"), "form.business_lines"),
                Field("capital", _("Vốn kinh doanh"), "form.capital", "money"),
                *_person("owner", "owner", with_sex=True),
                *DOSSIER_FIELDS[:1],
            ),
            Register("HKD", _("Sổ đăng ký hộ kinh doanh"), "", 10, 200),
            legal_basis="Nghị định 01/2021/NĐ-CP (mẫu Giấy chứng nhận đăng ký hộ kinh doanh)",
        ),
        ResultTemplate(
            "ket_qua",
            _("Kết quả giải quyết thủ tục hành chính"),
            (*APPLICANT, *DOSSIER_FIELDS),
            None,
            legal_basis="Nghị định 118/2025/NĐ-CP",
        ),
    )
}

#: The result templates of each procedure (national code), the main document first.
BY_PROCEDURE: dict[str, tuple[str, ...]] = {
    "1.001193": ("giay_khai_sinh", "trich_luc_khai_sinh"),
    "1.004884": ("giay_khai_sinh_dang_ky_lai",),
    "1.000689": ("giay_khai_sinh", "trich_luc_nhan_cha_me_con"),
    "1.000894": ("giay_chung_nhan_ket_hon",),
    "1.000656": ("trich_luc_khai_tu",),
    "2.000635": ("ban_sao_trich_luc",),
    "1.004873": ("xac_nhan_tinh_trang_hon_nhan",),
    "1.004859": ("trich_luc_thay_doi_ho_tich",),
    "2.000815": ("chung_thuc_ban_sao",),
    "2.000884": ("chung_thuc_chu_ky",),
    "2.000942": ("chung_thuc_ban_sao_hop_dong",),
    "1.001776": ("quyet_dinh_tro_cap",),
    "1.001731": ("quyet_dinh_mai_tang",),
    "1.001699": ("xac_nhan_khuyet_tat",),
    "1.001612": ("ho_kinh_doanh",),
}
GENERAL = "ket_qua"


def templates_for(procedure_code: str) -> list[ResultTemplate]:
    """The result templates of a procedure, the main document first (the general one if none)."""
    return [TEMPLATES[key] for key in BY_PROCEDURE.get(procedure_code, (GENERAL,))]


# --- Binding values -----------------------------------------------------------------------------


def _schema_at(schema: dict, path: list[str]) -> dict:
    for part in path:
        schema = (schema.get("properties") or {}).get(part) or {}
    return schema


def _lookup(data, path: list[str]):
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _iso_date(value: str) -> str:
    try:
        return formatting.date(dt.date.fromisoformat(value))
    except ValueError:
        return value


def _item_text(item) -> str:
    if not isinstance(item, dict):
        return str(item)
    name = item.get("name") or ""
    details = []
    if item.get("code"):
        details.append(str(item["code"]))
    if item.get("pages"):
        details.append(_("%(n)s trang") % {"n": item["pages"]})
    if item.get("copies"):
        details.append(_("%(n)s bản sao") % {"n": item["copies"]})
    return f"{name} ({', '.join(details)})" if details else name


def format_value(value, schema: dict) -> str:
    """A declared value as the form prints it: dates ``dd/mm/yyyy``, a choice by its title,
    yes/no in words, money with its unit, lists one item after another."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    for option in schema.get("oneOf") or []:
        if option.get("const") == value:
            return str(option.get("title", value))
    if isinstance(value, list):
        return "; ".join(_item_text(item) for item in value)
    if isinstance(value, str) and schema.get("format") == "date":
        return _iso_date(value)
    return str(value)


def declared(form_data: dict, schema: dict, path: str) -> str:
    """The value at ``path`` (``child.full_name``) of the declaration, formatted."""
    parts = path.split(".")
    return format_value(_lookup(form_data or {}, parts), _schema_at(schema or {}, parts))


@dataclass
class Bound:
    key: str
    label: str
    value: str
    source: str


@dataclass
class DossierFacts:
    """What the dossier contributes to a result, read once by the caller."""

    code: str
    procedure: str
    applicant_name: str
    applicant_id_number: str
    applicant_address: str
    received: str
    fee: str
    extra: dict = field(default_factory=dict)


def bind(template: ResultTemplate, form_data: dict, schema: dict, facts: DossierFacts):
    """Every field of ``template`` with its value, in order (empty when not declared)."""
    values = []
    for f in template.fields:
        origin, _dot, path = f.source.partition(".")
        if origin == "form" and f.kind == "money":
            amount = _lookup(form_data or {}, path.split("."))
            value = formatting.money(amount) if isinstance(amount, int) else ""
        elif origin == "form":
            value = declared(form_data, schema, path)
        else:
            value = str(getattr(facts, path, "") or facts.extra.get(path, ""))
        values.append(Bound(f.key, str(f.label), value, f.source))
    return values


def applies(template: ResultTemplate, form_data: dict) -> bool:
    """A page issued only on request (the copy extracts) applies when the number is > 0."""
    if not template.when_positive:
        return True
    value = (form_data or {}).get(template.when_positive)
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
