"""pyHanko plumbing: cached signers and font, the Decree 30 stamp, PAdES levels, trust contexts.

Decrypting a key and parsing it (the RSA consistency check) and loading the OpenType font cost
more than the signature itself, so each process keeps them: a signer per sealed key and one font
engine factory. Services call these functions; nothing here touches the database except
the reads of certificates in ``chain_for`` and ``make_validation_context``.
"""

import datetime as dt
import io
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import CIDFontType0, GlyphAccumulator
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import pki
from .layout import SIGNER_FIELD, fill_fields, find_field, fit_image, seal_box, seal_size

FONT_FILE = "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf"
DEFAULT_BOX = (330, 40, 565, 130)
#: Where the seal goes on a file without a signer block (an uploaded PDF): left of the signer's.
SEAL_FALLBACK_BOX = (30, 40, 265, 130)
STAMP, ANNEX = "stamp", "annex"
#: The signer's signature in the space between title and name (image only when there is one);
#: the organisation's seal over the left third of it (Decree 30, appendix I, part II).
SIGNER, SEAL = "signer", "seal"
LAYOUTS = (STAMP, ANNEX, SIGNER, SEAL)
#: Decree 30 margins in points: top 20 mm, right 15 mm; the block holds two lines of 10 pt.
ANNEX_MARGIN_TOP, ANNEX_MARGIN_RIGHT = 57, 43
ANNEX_WIDTH, ANNEX_HEIGHT = 200, 44
A4 = (0.0, 0.0, 595.0, 842.0)


def passphrase() -> str:
    """Passphrase of the PKCS#12 files on the server (a secret setting in production)."""
    return settings.CONGSO_SIGNING_PASSPHRASE


class SigningFailure(Exception):
    """A signature could not be made; the message is Vietnamese and nothing was produced."""

    def __init__(self, message: str, code: str = "signing_failed"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Appearance:
    """The visible stamp: signer (or organisation) name, title, organisation, where to draw it."""

    name: str
    title: str = ""
    organisation: str = ""
    page: int | None = None
    #: ``None``: computed from the page (the annex block sits at the top right of its page).
    box: tuple[int, int, int, int] | None = DEFAULT_BOX
    #: PNG or JPEG bytes of the seal (organisation) or the handwritten signature (person),
    #: drawn over the left third of the stamp as Decree 30 places the seal.
    image: bytes | None = None
    #: ``"stamp"``: the signature stamp; ``"annex"``: the organisation's signature on an annex
    #: in a separate file (Decree 30, annex I): no image, only ``notation`` and the signing time.
    layout: str = STAMP
    notation: str = ""


def annex_appearance(notation: str, *, name: str = "") -> Appearance:
    """Top right of page 1, number/notation and signing time, Times 10, no image, no frame."""
    return Appearance(name=name, page=0, box=None, layout=ANNEX, notation=notation)


def annex_box(page_box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    """The annex block inside the top and right margins (20 mm, 15 mm) of a page."""
    left, bottom, right, top = page_box
    x2 = int(right - ANNEX_MARGIN_RIGHT)
    y2 = int(top - ANNEX_MARGIN_TOP)
    return (max(int(left), x2 - ANNEX_WIDTH), max(int(bottom), y2 - ANNEX_HEIGHT), x2, y2)


# ---------------------------------------------------------------- keys


class CachedKeySigner(signers.SimpleSigner):
    """A ``SimpleSigner`` that keeps the parsed private key instead of re-loading it per call."""

    def __init__(self, private_key, signing_cert, cert_registry):
        der = private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        super().__init__(
            signing_cert=signing_cert,
            signing_key=asn1_keys.PrivateKeyInfo.load(der),
            cert_registry=cert_registry,
        )
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism != "rsassa_pkcs1v15":
            return super().sign_raw(data, digest_algorithm)
        return self._private_key.sign(
            data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
        )


def to_asn1(certificate_pem: str) -> asn1_x509.Certificate:
    from asn1crypto import pem

    _type, _headers, der = pem.unarmor(certificate_pem.encode())
    return asn1_x509.Certificate.load(der)


def load_database_signer(key, chain: list[str]):
    """A signer for a key sealed in the database (``signing.keystore``), parsed once per
    process and blob; a blob that does not open is a Vietnamese refusal."""
    from .keystore import KeystoreError, open_private_key

    fingerprint = key.certificate.fingerprint
    try:
        private_key = open_private_key(key.encrypted_key, context=fingerprint)
    except KeystoreError as exc:
        raise SigningFailure(str(exc), "bad_key") from exc
    return _database_signer(private_key, key.certificate.pem, tuple(chain))


@lru_cache(maxsize=256)
def _database_signer(private_key, certificate_pem: str, chain: tuple[str, ...]):
    registry = SimpleCertificateStore.from_certs([to_asn1(pem) for pem in chain])
    return CachedKeySigner(private_key, to_asn1(certificate_pem), registry)


def load_pkcs11_signer(key, pin: str, chain: list[str]):
    """Open a session on the key's token and return a pyHanko ``PKCS11Signer`` for it.

    The caller closes the session with ``release``. A wrong PIN, a locked PIN or an absent token
    become Vietnamese errors before anything is signed.
    """
    import pkcs11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    try:
        session = open_pkcs11_session(
            key.module_path, token_criteria=TokenCriteria(label=key.token_label), user_pin=pin
        )
    except pkcs11.exceptions.PinIncorrect as exc:
        raise SigningFailure(_("Mã PIN của thiết bị ký số không đúng."), "wrong_pin") from exc
    except pkcs11.exceptions.PinLocked as exc:
        raise SigningFailure(_("Thiết bị ký số đã bị khoá mã PIN."), "pin_locked") from exc
    except Exception as exc:  # noqa: BLE001 - module missing, no slot, no token: all "absent"
        raise SigningFailure(
            _("Không tìm thấy thiết bị ký số “%(token)s”; hãy cắm token và thử lại.")
            % {"token": key.token_label},
            "token_absent",
        ) from exc
    _check_token_key(session, key)
    return PKCS11Signer(
        session,
        key_label=key.key_label,
        signing_cert=to_asn1(key.certificate.pem),
        other_certs_to_pull=None,
        ca_chain=[to_asn1(pem) for pem in chain],
    )


def _check_token_key(session, key) -> None:
    """The key on the token must be the certificate's: refuse before signing otherwise."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    try:
        private = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=key.key_label)
        modulus = int.from_bytes(private[Attribute.MODULUS], "big")
    except (pkcs11.exceptions.NoSuchKey, pkcs11.exceptions.MultipleObjectsReturned) as exc:
        session.close()
        raise SigningFailure(
            _("Không tìm thấy khoá “%(key)s” trên thiết bị ký số.") % {"key": key.key_label},
            "key_missing",
        ) from exc
    except pkcs11.exceptions.PKCS11Error:
        return  # the token hides the modulus: pyHanko's own checks remain
    public = to_asn1(key.certificate.pem).public_key
    if public.algorithm == "rsa" and public["public_key"].parsed["modulus"].native != modulus:
        session.close()
        raise SigningFailure(
            _("Khoá trên thiết bị ký số không khớp với chứng thư số; không ký."), "key_mismatch"
        )


def release(signer) -> None:
    session = getattr(signer, "pkcs11_session", None)
    if session is not None:
        session.close()


def chain_for(certificate) -> list[str]:
    """PEMs of the issuing CAs of ``certificate`` found in the database, nearest first."""
    from .models import Certificate, CertificateKind

    chain, current, seen = [], certificate, set()
    while current.issuer != current.subject and current.issuer not in seen:
        seen.add(current.issuer)
        parent = (
            Certificate.objects.filter(kind=CertificateKind.AUTHORITY, subject=current.issuer)
            .order_by("-not_after")
            .first()
        )
        if parent is None:
            break
        chain.append(parent.pem)
        current = parent
    return chain


# ---------------------------------------------------------------- trust


def trust_anchors() -> list[asn1_x509.Certificate]:
    """The roots signatures are trusted under: ``CONGSO_TRUST_ANCHORS`` (the National Root CA,
    the Government CA roots) and the roots an administrator marked trusted; the demo root only
    in demo mode (``CONGSO_DEMO``)."""
    from .enrolment import DEMO_ROOT_CN, configured_roots
    from .models import Certificate

    roots = Certificate.objects.filter(is_trust_anchor=True)
    if not settings.DEMO_MODE:
        roots = roots.exclude(common_name=DEMO_ROOT_CN)
    configured = [to_asn1(pki.to_pem(root)) for root in configured_roots()]
    return configured + [to_asn1(c.pem) for c in roots]


def make_validation_context(
    *, for_signing: bool = True, ocsp_for=(), crls=(), ocsps=()
) -> ValidationContext:
    """Trust ``trust_anchors``, know the database's CAs, and use the CRLs our own CAs issue,
    OCSP responses of our own responder for the certificates ``ocsp_for`` (rows), and the
    revocation data ``crls`` and ``ocsps`` (asn1crypto) read from the file being verified.

    Nothing is fetched from the network unless ``CONGSO_SIGNING_FETCH_REVOCATION`` is on.
    """
    from .models import Certificate, CertificateKind
    from .revocation import current_crls, ocsp_responses

    anchors = trust_anchors()
    others = [
        to_asn1(c.pem)
        for c in Certificate.objects.filter(kind=CertificateKind.AUTHORITY, is_trust_anchor=False)
    ]
    return ValidationContext(
        trust_roots=anchors,
        other_certs=others,
        crls=current_crls() + list(crls),
        ocsps=ocsp_responses(ocsp_for) + list(ocsps),
        allow_fetching=settings.CONGSO_SIGNING_FETCH_REVOCATION,
        revocation_mode="soft-fail",
    )


# ---------------------------------------------------------------- appearance


class _CompiledCIDFont(CIDFontType0):
    """Embeds a font program compiled once per process instead of compiling it per document."""

    compiled: bytes = b""

    def set_font_file(self, writer):
        stream = generic.StreamObject(
            {
                generic.NameObject("/Subtype"): generic.NameObject("/CIDFontType0C"),
                generic.NameObject("/Filter"): generic.NameObject("/FlateDecode"),
            },
            encoded_data=self.compiled,
        )
        reference = writer.add_object(stream)
        self._font_descriptor[generic.NameObject("/FontFile3")] = reference
        return reference


class _WholeFontAccumulator(GlyphAccumulator):
    """A glyph accumulator that embeds the whole (already small) stamp font, pre-compiled."""

    def __init__(self, *args, compiled: bytes, **kwargs):
        super().__init__(*args, **kwargs)
        self.cidfont_obj.__class__ = _CompiledCIDFont
        self.cidfont_obj.compiled = compiled

    def _extract_subset(self, options=None):
        """Nothing to cut: the font was cut to the stamp's characters once per process."""


class CachedFontFactory(FontEngineFactory):
    """Like pyHanko's ``GlyphAccumulatorFactory`` but from font bytes held in memory.

    With ``embed_whole``, the font program is compiled once and embedded as is, which saves
    pyHanko's per-document subsetting and CFF compilation (the main cost of a visible stamp) at
    the price of a few tens of KB per signed file.
    """

    def __init__(self, font_bytes: bytes, *, embed_whole: bool = False):
        self.font_bytes = font_bytes
        self.compiled = _compile_cff(font_bytes) if embed_whole else None

    def create_font_engine(self, writer, obj_stream=None):
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        arguments = {
            "writer": writer,
            "font_handle": io.BytesIO(self.font_bytes),
            "font_size": 10,
            "obj_stream": obj_stream,
        }
        if self.compiled is None:
            return GlyphAccumulator(**arguments)
        return _WholeFontAccumulator(**arguments, compiled=self.compiled)


def _compile_cff(font_bytes: bytes) -> bytes:
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_bytes))
    buffer = io.BytesIO()
    font["CFF "].cff.compile(buffer, font)
    return zlib.compress(buffer.getvalue())


#: Latin and Vietnamese letters, digits, punctuation: what a stamp is written with.
STAMP_CHARACTERS = frozenset(
    chr(code)
    for block in (
        range(0x20, 0x7F),
        range(0xA0, 0x180),
        range(0x1A0, 0x1B1),
        range(0x300, 0x324),
        range(0x1EA0, 0x1EFA),
        (0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2022),
    )
    for code in block
)


def _font_path() -> str:
    return settings.CONGSO_STAMP_FONT or FONT_FILE


@lru_cache(maxsize=1)
def font_factory() -> FontEngineFactory:
    """The stamp font cut down once to Latin and Vietnamese, without OpenType layout tables.

    pyHanko parses and subsets the whole font for every document, and most of that time goes
    into the kerning and mark-positioning tables (GPOS). A stamp is written in precomposed
    (NFC) Vietnamese, whose glyphs the font draws whole, so the small font renders the same
    letters; only pair kerning is lost.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(_font_path())
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GPOS", "GSUB", "GDEF"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in STAMP_CHARACTERS])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return CachedFontFactory(out.getvalue(), embed_whole=True)


@lru_cache(maxsize=1)
def full_font_factory() -> FontEngineFactory:
    return CachedFontFactory(Path(_font_path()).read_bytes())


def factory_for(text: str) -> FontEngineFactory:
    """The small font when it covers ``text``, else the whole font."""
    return font_factory() if set(text) - {"\n"} <= STAMP_CHARACTERS else full_font_factory()


def stamp_time(moment: dt.datetime) -> str:
    """``hh:mm:ss dd/mm/yyyy +07:00`` in the platform's time zone."""
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    offset = local.strftime("%z")
    return f"{local:%H:%M:%S %d/%m/%Y} {offset[:3]}:{offset[3:]}"


def annex_style(appearance: Appearance) -> tuple[TextStampStyle, dict]:
    """Two lines, 10 pt, no frame and no image: what Decree 30 shows on an annex."""
    text = "%(notation)s\n%(signed_at)s"
    params = {"notation": appearance.notation, "signed_at": stamp_time(dt.datetime.now(dt.UTC))}
    style = TextStampStyle(
        stamp_text=text,
        text_box_style=TextBoxStyle(font=factory_for(text % params), font_size=10, leading=12),
        border_width=0,
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MAX,
            y_align=AxisAlignment.ALIGN_MAX,
            margins=Margins(left=2, right=2, top=2, bottom=2),
            inner_content_scaling=InnerScaling.NO_SCALING,
        ),
    )
    return style, params


def stamp_style(appearance: Appearance):
    """The stamp's style and text parameters; every line says what it is."""
    if appearance.layout == ANNEX:
        return annex_style(appearance)
    if appearance.layout in (SIGNER, SEAL) and appearance.image:
        return image_style(appearance.image), {}
    lines = [_("Ký bởi: %(signer)s")]
    params = {"signer": appearance.name}
    if appearance.title:
        lines.append(_("Chức vụ: %(title)s"))
        params["title"] = appearance.title
    if appearance.organisation:
        lines.append(_("Cơ quan: %(organisation)s"))
        params["organisation"] = appearance.organisation
    if appearance.notation:
        lines.append(_("Số, ký hiệu: %(notation)s"))
        params["notation"] = appearance.notation
    lines.append(_("Thời gian ký: %(signed_at)s"))
    params["signed_at"] = stamp_time(dt.datetime.now(dt.UTC))
    text = "\n".join(lines)
    box = appearance.box or DEFAULT_BOX
    style = TextStampStyle(
        stamp_text=text,
        text_box_style=TextBoxStyle(font=factory_for(text % params), font_size=9),
        border_width=1,
        **_image_options(appearance.image, box),
    )
    return style, params


def image_style(image: bytes):
    """Only the image, filling its box: the signature image or the seal at true size."""
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.stamp import StaticStampStyle

    return StaticStampStyle(
        background=PdfImage(_decoded_image(image)),
        background_opacity=1.0,
        border_width=0,
        background_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins(),
            inner_content_scaling=InnerScaling.SHRINK_TO_FIT,
        ),
    )


@lru_cache(maxsize=64)
def _decoded_image(data: bytes):
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGBA") if image.mode not in ("RGB", "RGBA", "L") else image


def _image_options(image: bytes | None, box) -> dict:
    """Background image over the left third of the box, text shifted to the right two thirds."""
    if not image:
        return {}
    from pyhanko.pdf_utils.images import PdfImage

    width = box[2] - box[0]
    third = width // 3
    return {
        "background": PdfImage(_decoded_image(image)),
        "background_opacity": 1.0,
        "background_layout": SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MIN,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins(left=2, right=width - third, top=2, bottom=2),
            inner_content_scaling=InnerScaling.SHRINK_TO_FIT,
        ),
        "inner_content_layout": SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MIN,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins(left=third + 6, right=4, top=4, bottom=4),
        ),
    }


# ---------------------------------------------------------------- signing


def open_for_signing(pdf_bytes: bytes) -> IncrementalPdfFileWriter:
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    except Exception as exc:  # noqa: BLE001 - any parser error means not a usable PDF
        raise SigningFailure(_("Tệp không phải PDF hợp lệ hoặc đã bị hỏng."), "pdf_broken") from exc
    if writer.prev.encrypted:
        raise SigningFailure(_("Tệp PDF có mật khẩu; không thể ký."), "pdf_encrypted")
    return writer


def default_timestamper():
    url = settings.CONGSO_TSA_URL
    if not url:
        raise SigningFailure(
            _("Chưa cấu hình dịch vụ cấp dấu thời gian (CONGSO_TSA_URL)."), "tsa_missing"
        )
    return timestamps.HTTPTimeStamper(url, timeout=10)


def reserved_size(signer, *, timestamped: bool) -> int:
    """Room for the CMS container, so pyHanko skips its trial signature that measures it.

    The container holds the signer's certificates (a few KB each at most), the signature and
    attributes, and a time-stamp token (with the TSA's certificates) at B-T and above.
    """
    certificates = 1 + len(list(getattr(signer, "cert_registry", None) or ()))
    return 4096 + 4096 * certificates + (12288 if timestamped else 0)


def _page_box(writer, page: int) -> tuple[float, float, float, float]:
    """The page's MediaBox, inherited from the page tree if need be; A4 when there is none."""
    try:
        node = writer.prev.find_page_for_modification(page)[0].get_object()
        while node is not None and "/MediaBox" not in node:
            parent = node.get("/Parent")
            node = parent.get_object() if parent is not None else None
        if node is None:
            return A4
        return tuple(float(value) for value in node["/MediaBox"])
    except Exception as exc:  # noqa: BLE001 - a page without a usable MediaBox
        raise SigningFailure(_("Tệp không phải PDF hợp lệ hoặc đã bị hỏng."), "pdf_broken") from exc


def _set_rect(writer, name: str, box) -> None:
    for reference in writer.root["/AcroForm"]["/Fields"]:
        field = reference.get_object()
        if str(field.get("/T", "")) == name:
            field[generic.NameObject("/Rect")] = generic.ArrayObject(
                generic.FloatObject(round(v, 2)) for v in box
            )
            writer.mark_update(reference)


def place(writer, appearance: Appearance, new_name: str, page_count: int):
    """The field to sign and, for a new one, its spec: the signer fills the empty field left in
    the signer block (shrunk to the signature image); the seal goes over the left third of the
    signer's signature; otherwise the appearance's box on its page (the last by default)."""
    space = find_field(writer.root, SIGNER_FIELD)
    if appearance.layout == SIGNER and space is not None and not _is_signed(writer, SIGNER_FIELD):
        if appearance.image:
            _set_rect(writer, SIGNER_FIELD, fit_image(space.box, appearance.image))
        return SIGNER_FIELD, None
    if appearance.layout == SEAL and space is not None and _is_signed(writer, SIGNER_FIELD):
        if appearance.image:
            box = seal_box(space.box, seal_size(appearance.image))
        else:
            box = _text_seal_box(space.box)
        return new_name, fields.SigFieldSpec(new_name, on_page=space.page, box=_ints(box))
    page = appearance.page if appearance.page is not None else page_count - 1
    box = appearance.box or annex_box(_page_box(writer, page))
    if appearance.layout == SEAL and box == DEFAULT_BOX:
        box = SEAL_FALLBACK_BOX  # beside the signer's stamp, not over it
    return new_name, fields.SigFieldSpec(new_name, on_page=page, box=box)


def _ints(box) -> tuple[int, int, int, int]:
    return tuple(int(round(v)) for v in box)


def _text_seal_box(signature):
    """Without a seal image, the organisation's text block starts over the signature's left
    third, as wide as the usual stamp."""
    x1, y1, x2, y2 = signature
    width, height = DEFAULT_BOX[2] - DEFAULT_BOX[0], DEFAULT_BOX[3] - DEFAULT_BOX[1]
    right = x1 + (x2 - x1) / 3
    cy = (y1 + y2) / 2
    return (right - width / 2, cy - height / 2, right + width / 2, cy + height / 2)


def _is_signed(writer, name: str) -> bool:
    return any(
        field_name == name and value is not None
        for field_name, value, _ref in fields.enumerate_sig_fields(writer.prev)
    )


def sign_bytes(
    pdf_bytes: bytes,
    *,
    signer,
    reason: str,
    location: str,
    level: str,
    appearance: Appearance | None,
    timestamper=None,
    validation_context: ValidationContext | None = None,
    fill: dict[str, str] | None = None,
) -> tuple[bytes, str]:
    """PAdES-sign ``pdf_bytes``; returns the signed bytes and the signature field's name.

    ``fill``: form fields written in the same revision before signing (the number and date in
    the header at issue)."""
    writer = open_for_signing(pdf_bytes)
    try:
        count = len(list(fields.enumerate_sig_fields(writer.prev)))
        page_count = int(writer.prev.root["/Pages"]["/Count"])
    except Exception as exc:  # noqa: BLE001
        raise SigningFailure(_("Tệp không phải PDF hợp lệ hoặc đã bị hỏng."), "pdf_broken") from exc
    if fill:
        fill_fields(writer, fill)
    field_name, spec, style, params = f"ChuKySo{count + 1}", None, None, None
    if appearance is not None:
        style, params = stamp_style(appearance)
        field_name, spec = place(writer, appearance, field_name, page_count)
    timestamper = (timestamper or default_timestamper()) if level != "B-B" else None
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        embed_validation_info=level in ("B-LT", "B-LTA"),
        use_pades_lta=level == "B-LTA",
        validation_context=validation_context,
    )
    pdf_signer = signers.PdfSigner(
        metadata, signer=signer, timestamper=timestamper, stamp_style=style, new_field_spec=spec
    )
    try:
        output = pdf_signer.sign_pdf(
            writer,
            appearance_text_params=params,
            bytes_reserved=reserved_size(signer, timestamped=timestamper is not None),
        )
    except SigningFailure:
        raise
    except Exception as exc:  # noqa: BLE001 - TSA down, token error, validation data missing
        raise SigningFailure(
            _("Không ký được tệp: %(reason)s") % {"reason": exc}, "signing_failed"
        ) from exc
    finally:
        release(signer)
    return output.getvalue(), field_name
