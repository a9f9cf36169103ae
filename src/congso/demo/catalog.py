"""Demo catalogue: real commune and district procedures of the national catalogue.

The data lives in ``data/procedures.json`` in the import format, so the same file also works with
``python -m congso catalog_import``. Importing is idempotent: a second run changes nothing.
Fees set by the provincial people's council vary by province; the amounts in the file are
illustrative for Nghệ An and say so in their notes.
"""

from pathlib import Path

from congso.catalog import services

DATA_FILE = Path(__file__).resolve().parent / "data" / "procedures.json"


def load(loaded: dict) -> None:
    report = services.import_catalog(DATA_FILE.read_bytes(), DATA_FILE.name)
    loaded["catalog"] = report
