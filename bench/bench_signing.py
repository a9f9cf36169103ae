"""PAdES signing speed, as a ratio to raw RSA-2048 signing (``cryptography``) in the same run.

Run: ``.venv/bin/python bench/bench_signing.py [--seconds S]``. Measures, on one core:
raw RSA-2048 PKCS#1 v1.5 signatures of a SHA-256 digest; ``signing.services.sign_pdf`` at B-B
with the Decree 30 stamp (TeX Gyre Termes) next to stock pyHanko doing the same (key and font
loaded per signature, font subset per document), at B-B without a stamp, and at B-T, B-LT and
B-LTA with the stamp (an in-process RFC 3161 time-stamp authority and the demo CRLs, no network). Each ``sign_pdf``
call includes the certificate checks, the ``SignatureRecord`` and the audit entry. Prints a
markdown table and writes ``bench/results/bench_signing.json``.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, ensure_database, machine, setup_django  # noqa: E402

DATABASE = "sqlite:////tmp/congso-bench-signing.sqlite3"


def rate(call, seconds: float) -> tuple[float, int]:
    """Calls per second of ``call`` over at least ``seconds`` (after two warm-up calls)."""
    call()
    call()
    count, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        call()
        count += 1
    return count / (time.perf_counter() - began), count


def fixtures():
    """The district's seal: the server signs only for an organisation (an official's key stays on
    their token or at the CA), so the seal is what the server's signatures per second measure."""
    from congso.demo import signing as demo
    from congso.org.models import UnitKind
    from congso.org.services import create_unit
    from congso.signing.tests import support

    province = create_unit(name="UBND tỉnh Đo", kind=UnitKind.PROVINCE)
    district = create_unit(parent=province, name="UBND huyện Đo", kind=UnitKind.DISTRICT)
    _root, intermediate = demo.ensure_authorities()
    key = demo.issue_for_unit(district, intermediate).key
    return key, support.test_timestamper(intermediate), support.simple_pdf("Quyet dinh", pages=2)


def stock_pyhanko(key, pdf: bytes):
    """Stock pyHanko as its documentation shows it: load a PKCS#12 archive and the OpenType font
    for every signature, let pyHanko subset the font and estimate the signature size."""
    import io

    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    from congso.signing import engine, pki, services

    archive = pki.to_pkcs12(services.held_key(key), "bench")
    chain = [engine.to_asn1(pem) for pem in engine.chain_for(key.certificate)]
    text = "Ký bởi: UBND huyện Đo\nThời gian ký: %(ts)s"

    def call():
        signer = signers.SimpleSigner.load_pkcs12_data(archive, chain, b"bench")
        style = TextStampStyle(
            stamp_text=text,
            text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(engine.FONT_FILE)),
        )
        pdf_signer = signers.PdfSigner(
            signers.PdfSignatureMetadata(
                field_name="Sig1", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
            ),
            signer=signer,
            stamp_style=style,
            new_field_spec=fields.SigFieldSpec("Sig1", on_page=0, box=engine.DEFAULT_BOX),
        )
        pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)))

    return call


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    ensure_database(DATABASE, fresh=True)
    setup_django(DATABASE, scratch="congso-bench-signing")

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    from congso.signing import pki, services

    key, timestamper, pdf = fixtures()
    raw_key = pki.new_key()
    digest = b"x" * 32

    cases = [
        (
            "raw RSA-2048 (cryptography)",
            lambda: raw_key.sign(digest, padding.PKCS1v15(), hashes.SHA256()),
        ),
        ("B-B, dấu hiển thị — pyHanko nguyên bản", stock_pyhanko(key, pdf)),
        ("B-B, dấu hiển thị", lambda: services.sign_pdf(pdf, key=key)),
        ("B-B, không hiển thị", lambda: services.sign_pdf(pdf, key=key, appearance=False)),
        (
            "B-T, dấu hiển thị",
            lambda: services.sign_pdf(pdf, key=key, level="B-T", timestamper=timestamper),
        ),
        (
            "B-LT, dấu hiển thị",
            lambda: services.sign_pdf(pdf, key=key, level="B-LT", timestamper=timestamper),
        ),
        (
            "B-LTA, dấu hiển thị",
            lambda: services.sign_pdf(pdf, key=key, level="B-LTA", timestamper=timestamper),
        ),
    ]
    rows = []
    for name, call in cases:
        per_second, count = rate(call, args.seconds)
        rows.append({"case": name, "per_second": round(per_second, 1), "calls": count})
    baseline = rows[0]["per_second"]
    print("| Trường hợp | chữ ký/giây | so với RSA thô |")
    print("|---|---:|---:|")
    for row in rows:
        row["ratio"] = round(row["per_second"] / baseline, 4)
        print(f"| {row['case']} | {row['per_second']} | {row['ratio']:.4f} |")
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / "bench_signing.json"
    target.write_text(
        json.dumps({"machine": machine(), "results": rows}, ensure_ascii=False, indent=2)
    )
    print(f"→ {target}")


if __name__ == "__main__":
    main()
