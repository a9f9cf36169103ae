"""Long PDFs — a year's register, tens of thousands of rows — laid out a part at a time.

WeasyPrint lays a whole document out in memory before it writes a byte, so a register held as one
HTML document costs memory and time in proportion to its rows (issue 16: exports never load
everything). Here the rows are taken ``PART_ROWS`` at a time: each part is laid out on its own,
its pages numbered on from the previous part's (the template resets the page counter on its first
page to ``first_page``), written to a temporary file and let go. poppler's ``pdfunite`` — from
poppler-utils, which signature checks and previews already need — joins the parts into one file.
"""

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path

#: Rows laid out at a time: a few dozen A4 pages, a few seconds and tens of megabytes per part.
PART_ROWS = 1000

#: Seconds ``pdfunite`` may take to join the parts.
JOIN_TIMEOUT = 600


def write(
    out,
    html: Callable[..., str],
    rows: Iterable,
    *,
    progress: Callable[[int], None] | None = None,
    part_rows: int | None = None,
) -> int:
    """Write to the binary file ``out`` the PDF of ``rows``, laid out ``part_rows`` at a time by
    ``html(rows, first=…, first_page=…)`` — the HTML of one part: with the document's heading
    when ``first``, its pages numbered from ``first_page``. Calls ``progress(rows_done)`` after
    each part; returns the number of rows. ``part_rows`` defaults to ``PART_ROWS``. No rows still
    make one part (the template says the register is empty)."""
    from weasyprint import HTML

    rows, part_rows = iter(rows), part_rows or PART_ROWS
    done, first_page = 0, 1
    with tempfile.TemporaryDirectory(prefix="congso-pdf-") as folder:
        parts: list[Path] = []
        while (chunk := list(islice(rows, part_rows))) or not parts:
            document = HTML(string=html(chunk, first=not parts, first_page=first_page)).render()
            parts.append(Path(folder) / f"{len(parts):06d}.pdf")
            document.write_pdf(parts[-1])
            first_page += len(document.pages)
            done += len(chunk)
            del document  # else the next part is laid out while this one is still held
            if progress is not None:
                progress(done)
        _join(parts, Path(folder) / "joined.pdf", out)
    return done


def _join(parts: list[Path], joined: Path, out) -> None:
    if len(parts) > 1:
        subprocess.run(["pdfunite", *parts, joined], check=True, timeout=JOIN_TIMEOUT)
    with open(joined if len(parts) > 1 else parts[0], "rb") as source:
        shutil.copyfileobj(source, out)
