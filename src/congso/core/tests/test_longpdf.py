"""A long PDF laid out a part at a time (``core.longpdf``): every row once, in order, the pages
numbered on across the parts, the heading once, progress after each part."""

import io
import subprocess

from congso.core import longpdf

PAGE = """<html><head><meta charset="utf-8"><style>
@page {{ size: A5; @bottom-right {{ content: "Trang " counter(page); }} }}
@page :first {{ counter-reset: page {first_page}; }}
</style></head><body>{heading}<table>{rows}</table>{empty}</body></html>"""


def part(rows, *, first, first_page):
    return PAGE.format(
        first_page=first_page,
        heading="<h1>SỔ THEO DÕI</h1>" if first else "",
        rows="".join(f"<tr><td>Dòng {n:04d}</td></tr>" for n in rows),
        empty="<p>Sổ trống.</p>" if first and not rows else "",
    )


def text_of(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "long.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout.split("\f")[:-1]  # one text per page


def test_the_parts_join_into_one_document_numbered_on(tmp_path):
    out, seen = io.BytesIO(), []
    done = longpdf.write(out, part, range(1, 251), progress=seen.append, part_rows=100)
    pages = text_of(out.getvalue(), tmp_path)
    assert done == 250 and seen == [100, 200, 250]
    text = "\n".join(pages)
    assert [int(w[-4:]) for w in text.split("\n") if w.startswith("Dòng ")] == list(range(1, 251))
    assert text.count("SỔ THEO DÕI") == 1
    assert [f"Trang {n}" in page for n, page in enumerate(pages, start=1)] == [True] * len(pages)
    assert len(pages) > 3  # more than one page per part: the counter runs on within a part too


def test_no_rows_still_make_the_first_part(tmp_path):
    out, seen = io.BytesIO(), []
    assert longpdf.write(out, part, iter(()), progress=seen.append) == 0
    pages = text_of(out.getvalue(), tmp_path)
    assert seen == [0] and len(pages) == 1
    assert "SỔ THEO DÕI" in pages[0] and "Sổ trống." in pages[0] and "Trang 1" in pages[0]
