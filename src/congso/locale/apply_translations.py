"""Re-apply the English translations kept in ``en/translations.json`` to ``en/.../django.po``.

``makemessages`` regenerates the catalogue from the Vietnamese msgids in the code and
templates; the English text lives in a JSON dictionary so it survives that refresh and can be
reviewed as one file. Keys are msgids (``context\\x04msgid`` for entries with a context);
values are a string, or ``[singular, plural]`` for plural entries.

Usage, from the repository root::

    .venv/bin/python -P -m congso makemessages -l en --ignore "*/tests/*" --no-obsolete
    .venv/bin/python src/congso/locale/apply_translations.py [--check]
    .venv/bin/python -m congso compilemessages

``--check`` exits with status 1 when some msgid has no translation, so a stale dictionary
is noticed instead of silently shipping Vietnamese text on English pages.
"""

import argparse
import json
import sys
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
PO_PATH = HERE / "en" / "LC_MESSAGES" / "django.po"
JSON_PATH = HERE / "en" / "translations.json"
HEADER_COMMENT = (
    "English catalogue of Công Sở. Generated: edit en/translations.json, not this file."
)
HEADER = {
    "Project-Id-Version": "congso",
    "Last-Translator": "Công Sở contributors",
    "Language": "en",
    "Language-Team": "English",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
    "Content-Type": "text/plain; charset=UTF-8",
}


def entry_key(entry: polib.POEntry) -> str:
    """The dictionary key of an entry: gettext's own ``context EOT msgid`` convention."""
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def apply(po: polib.POFile, translations: dict) -> list[str]:
    """Fill every entry from ``translations``; return the keys left untranslated.

    An entry missing from the dictionary is emptied rather than left with msgmerge's fuzzy
    guess (usually another string's translation), so it shows the Vietnamese msgid.
    """
    po.header = HEADER_COMMENT
    po.metadata.update(HEADER)
    po.metadata["PO-Revision-Date"] = po.metadata.get("POT-Creation-Date", "")
    po.metadata_is_fuzzy = False
    missing = []
    for entry in po:
        value = translations.get(entry_key(entry))
        if value is None:
            missing.append(entry_key(entry))
            value = ["", ""] if entry.msgid_plural else ""
        if entry.msgid_plural:
            singular, plural = value
            entry.msgstr_plural = {0: singular, 1: plural}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    return missing


def main(argv: list[str] | None = None) -> int:
    """Apply the dictionary, save the catalogue and list what is still untranslated."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a msgid is untranslated")
    args = parser.parse_args(argv)
    po = polib.pofile(str(PO_PATH), wrapwidth=79)
    translations = json.loads(JSON_PATH.read_text(encoding="utf-8"))
    missing = apply(po, translations)
    po.save()
    print(f"{len(po) - len(missing)} of {len(po)} msgids translated.")
    for key in missing:
        print(f"untranslated: {key!r}")
    return 1 if args.check and missing else 0


if __name__ == "__main__":
    sys.exit(main())
