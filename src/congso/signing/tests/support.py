"""Test helpers: a demo PKI in the database, an in-process TSA, poppler's ``pdfsig`` with an NSS
database, a SoftHSM2 token in a temporary directory, and small PDFs to sign.

Only tests import this module.
"""

import io
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.sign.timestamps import DummyTimeStamper

from .. import pki

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


def simple_pdf(text: str = "Văn bản thử", pages: int = 1) -> bytes:
    """A small, valid PDF with ``pages`` pages of Helvetica text (ASCII-folded)."""

    writer = PdfFileWriter()
    font = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Font"),
                generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
            }
        )
    )
    ascii_text = text.encode("ascii", "replace").decode()
    for number in range(pages):
        stream = f"BT /F1 14 Tf 72 760 Td ({ascii_text} - trang {number + 1}) Tj ET".encode()
        resources = generic.DictionaryObject(
            {
                generic.NameObject("/Font"): generic.DictionaryObject(
                    {generic.NameObject("/F1"): font}
                )
            }
        )
        page = PageObject(
            contents=writer.add_object(generic.StreamObject(stream_data=stream)),
            media_box=(0, 0, 595, 842),
            resources=resources,
        )
        writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_timestamper(issuer: pki.Issued) -> DummyTimeStamper:
    """An in-process RFC 3161 TSA whose certificate the demo intermediate CA issues."""
    tsa = pki.issue_tsa(pki.name("Công Sở Demo TSA", organisation="Công Sở (demo)"), issuer=issuer)
    der_key = tsa.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    as_asn1 = lambda c: asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))  # noqa: E731
    return DummyTimeStamper(
        tsa_cert=as_asn1(tsa.certificate),
        tsa_key=asn1_keys.PrivateKeyInfo.load(der_key),
        certs_to_embed=[as_asn1(issuer.certificate)],
    )


test_timestamper.__test__ = False


# ---------------------------------------------------------------- poppler pdfsig + NSS


@dataclass
class PdfsigResult:
    output: str

    @property
    def signature_valid(self) -> bool:
        return "Signature Validation: Signature is Valid." in self.output

    @property
    def certificate_trusted(self) -> bool:
        return "Certificate Validation: Certificate is Trusted." in self.output

    @property
    def damaged(self) -> bool:
        return bool(
            re.search(r"Signature Validation: (Digest Mismatch|Signature is Invalid)", self.output)
        )

    @property
    def revoked(self) -> bool:
        return "Certificate Validation: Certificate has been Revoked." in self.output

    @property
    def expired(self) -> bool:
        return "Certificate Validation: Certificate has Expired" in self.output

    @property
    def whole_document(self) -> bool:
        return "- Total document signed" in self.output

    @property
    def has_timestamp(self) -> bool:
        """poppler 22 prints no line for a signature time-stamp; a document time-stamp (B-LTA)
        is listed as a signature of its own (``ETSI.RFC3161``)."""
        return "ETSI.RFC3161" in self.output

    def signatures(self) -> list["PdfsigResult"]:
        """One result per ``Signature #n:`` block, in file order."""
        blocks = re.split(r"^Signature #\d+:$", self.output, flags=re.MULTILINE)[1:]
        return [PdfsigResult(block) for block in blocks]


def nss_database(directory: Path, root_pem: str) -> str:
    """An NSS database in ``directory`` trusting ``root_pem``; returns the ``sql:`` spec."""
    directory.mkdir(parents=True, exist_ok=True)
    spec = f"sql:{directory}"
    subprocess.run(
        ["certutil", "-N", "-d", spec, "--empty-password"], check=True, capture_output=True
    )
    root = directory / "root.pem"
    root.write_text(root_pem)
    subprocess.run(
        ["certutil", "-A", "-n", "root", "-t", "CT,C,C", "-i", str(root), "-d", spec],
        check=True,
        capture_output=True,
    )
    return spec


def pdfsig(pdf_path: Path, *, nssdir: str | None = None) -> PdfsigResult:
    command = ["pdfsig"]
    if nssdir:
        command += ["-nssdir", nssdir]
    command.append(str(pdf_path))
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    return PdfsigResult(done.stdout + done.stderr)


# ---------------------------------------------------------------- SoftHSM2


@dataclass
class SoftToken:
    conf: Path
    label: str
    pin: str
    so_pin: str = "87654321"


def softhsm_config(directory: Path) -> Path:
    """Point ``SOFTHSM2_CONF`` at a token directory under ``directory``.

    SoftHSM reads its configuration once per process, so tests share one directory and give each
    token its own label.
    """
    tokens = directory / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = directory / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    os.environ["SOFTHSM2_CONF"] = str(conf)
    return conf


def make_softhsm_token(conf: Path, *, label: str = "congso-token", pin: str = "1234") -> SoftToken:
    """Initialise a new SoftHSM2 token labelled ``label`` (``SOFTHSM2_CONF`` must point at ``conf``)."""
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            label,
            "--pin",
            pin,
            "--so-pin",
            "87654321",
        ],
        check=True,
        capture_output=True,
    )
    return SoftToken(conf, label, pin)


def import_key_to_token(
    token: SoftToken, issued: pki.Issued, *, key_label: str, directory: Path
) -> None:
    """Put ``issued``'s private key (PKCS#8) on the token; the certificate stays in the database."""
    key_file = directory / f"{key_label}.pk8"
    key_file.write_bytes(
        issued.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    subprocess.run(
        [
            "softhsm2-util",
            "--import",
            str(key_file),
            "--token",
            token.label,
            "--label",
            key_label,
            "--id",
            key_label.encode().hex(),
            "--pin",
            token.pin,
        ],
        check=True,
        capture_output=True,
    )
    key_file.unlink()


def device_signature(pending, issued: pki.Issued) -> bytes:
    """What a signer's own device returns for ``pending`` when it holds ``issued``'s key: RSA
    PKCS#1 v1.5 with SHA-256 over the prepared signed attributes."""
    return pki.sign_attributes(issued.key, bytes(pending.signed_attributes))


# ---------------------------------------------------------------- costly files


def with_signature_copies(signed: bytes, copies: int) -> bytes:
    """``signed`` plus ``copies`` signature fields that all point at its first signature: a file
    of a few dozen KB that costs one full validation per field (the attack on the public check)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    acroform = writer.root["/AcroForm"]
    fields = acroform["/Fields"]
    value = fields[0].get_object().raw_get("/V")
    for number in range(copies):
        field = generic.DictionaryObject(
            {
                generic.NameObject("/FT"): generic.NameObject("/Sig"),
                generic.NameObject("/T"): generic.TextStringObject(f"Copy{number}"),
                generic.NameObject("/V"): value,
                generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(0)] * 4),
            }
        )
        fields.append(writer.add_object(field))
    writer.update_container(acroform)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signature_png(width: int = 300, height: int = 120) -> bytes:
    """A handwritten-signature image as Decree 30 wants it: blue strokes, transparent PNG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(10, height - 20), (width // 3, 15), (width // 2, height - 30)], (0, 0, 200, 255), 8)
    draw.line([(width // 2, height - 30), (width - 10, 20)], (0, 0, 200, 255), 8)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def seal_png(diameter_mm: float = 36.0, dpi: int = 150) -> bytes:
    """A round red seal on a transparent PNG whose resolution gives its true size."""
    from PIL import Image, ImageDraw

    side = round(diameter_mm / 25.4 * dpi)
    image = Image.new("RGBA", (side, side), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((3, 3, side - 3, side - 3), outline=(220, 0, 0, 255), width=6)
    draw.ellipse((side // 3, side // 3, 2 * side // 3, 2 * side // 3), fill=(220, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()
