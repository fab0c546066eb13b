"""Write the interface catalogs gsdialog/locale/<code>.po.

    python tools/sync_catalogs.py [--fill translations.json]

The Dutch catalog (nl.po) is the source: every other catalog gets the same
keys (msgctxt) with the Dutch text as msgid, keeps the translations it has
(by key) and gets an empty msgstr for a key it lacks, which `gsdialog check`
then names. A translation whose Dutch source changed is marked fuzzy.

While the old Python table `gsdialog.core.i18n.STRINGS` exists, its "nl"
and "en" strings are merged into nl.po and en.po (the conversion of issue
24), with those of `gsdialog.export.texts.TEXTS` (the report's and run
sheet's) as paper_<key>; after that the .po files are the source. A branch
that still adds keys to a STRINGS table, merged later: put its i18n.py in
place (`git show BRANCH:gsdialog/core/i18n.py > gsdialog/core/i18n.py`, with
the i18n_*.py modules it imports, from main before the conversion), run this,
then put back the i18n.py without the table and remove those modules.

--fill takes {"tr": {"key": "text", …}, …} and writes those translations
into the catalogs (a translator's batch; they are then no longer fuzzy).

Which strings participants read (`#. phone`) is taken from the catalog, and
on conversion from the phone's templates and modules: any key named there as
a string literal, every `error_…` key (the refusals phones are shown) and
every `role_label_…` key (the default roles' names, core/workshop.py).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gsdialog.core.catalogs import PAPER, PHONE, SOURCE, fields  # noqa: E402
from gsdialog.core.languages import LANGUAGES  # noqa: E402

LOCALE = ROOT / "gsdialog" / "locale"
COLLECTOR = ROOT / "gsdialog" / "collector"
CREATED = datetime(2026, 12, 3, tzinfo=timezone.utc)
"""A fixed date in the header, so that writing the catalogs again changes nothing."""
UNREVIEWED = "Not yet reviewed by a native speaker (see docs/translating.md)."


def phone_sources() -> str:
    """The text of every file that makes a participant's page."""
    paths = [p for p in (COLLECTOR / "templates").rglob("*.html") if not p.name.startswith("remote")]
    paths += [p for p in COLLECTOR.glob("*.py") if p.name != "remote.py"]
    paths += [COLLECTOR / "static" / "read.js"]
    return "\n".join(p.read_text(encoding="utf-8") for p in paths if p.exists())


def read(code: str) -> Catalog | None:
    path = LOCALE / f"{code}.po"
    if not path.exists():
        return None
    with path.open("rb") as file:
        return read_po(file)


def current() -> tuple[dict[str, str], dict[str, str], set[str]]:
    """(Dutch, English, phone keys): from STRINGS while it exists, else from the catalogs."""
    import gsdialog.core.i18n as i18n  # an import that fails says why (a module the table needs is gone)
    import gsdialog.export.texts as texts

    STRINGS = getattr(i18n, "STRINGS", None)
    TEXTS = getattr(texts, "TEXTS", None)  # the report's and run sheet's words, as paper_<key>
    if STRINGS:
        # Merged over what the catalogs hold: a table that came back in a merge
        # with only some keys (another branch's) adds or changes just those.
        nl, en = {}, {}
        for code, into in ((SOURCE, nl), ("en", en)):
            old = read(code)
            into.update({m.context: m.string for m in old or () if m.context})
            into.update(STRINGS[code])
        if isinstance(TEXTS, dict):
            nl.update({PAPER + key: text for key, text in TEXTS["nl"].items()})
            en.update({PAPER + key: text for key, text in TEXTS["en"].items()})
        text = phone_sources()
        literals = set(re.findall(r"""(?:\bt\((?:lang,\s*)?|message_key=|error=|\belse\s)\s*["']([a-z][a-z0-9_]*)["']""", text))
        phone = {k for k in nl if k in literals or k.startswith(("error_", "role_label_"))}
        old = read(SOURCE)
        if old is not None:  # keep marks made by hand in nl.po
            phone |= {m.context for m in old if m.context and PHONE in m.auto_comments and m.context in nl}
        return nl, en, phone
    source, english = read(SOURCE), read("en")
    assert source is not None and english is not None
    nl = {m.context: m.string for m in source if m.context}
    en = {m.context: m.string for m in english if m.context}
    phone = {m.context for m in source if m.context and PHONE in m.auto_comments}
    return nl, en, phone


def write(code: str, nl: dict[str, str], en: dict[str, str], phone: set[str], own: dict[str, str] | None,
          fill: dict[str, str] | None = None) -> None:
    old = read(code)
    kept = {m.context: m for m in old if m.context} if old is not None else {}
    header = old.header_comment if old is not None and code not in (SOURCE, "en") else None
    catalog = Catalog(locale=code, project="gsdialog", version="", charset="utf-8", creation_date=CREATED,
                      revision_date=CREATED,
                      header_comment=header or f"# gsdialog's interface in {code}.\n# {UNREVIEWED if code not in (SOURCE, 'en') else ''}".rstrip(),
                      fuzzy=False)
    for key, dutch in nl.items():
        comments = [PHONE] if key in phone else []
        if code not in (SOURCE, "en") and key in en:
            comments.append(f"en: {en[key]}")
        flags = {"python-brace-format"} if fields(dutch) else set()
        if own is not None:
            string = own.get(key, "")
        else:
            before = kept.get(key)
            string = before.string if before is not None and isinstance(before.string, str) else ""
            if before is not None and string and before.id != dutch:
                flags.add("fuzzy")
            elif before is not None and string and "fuzzy" in before.flags:
                flags.add("fuzzy")
            if fill and key in fill:
                string = fill[key]
                flags.discard("fuzzy")
        catalog.add(dutch, string, context=key, auto_comments=comments, flags=flags)
    with (LOCALE / f"{code}.po").open("wb") as file:
        write_po(file, catalog, width=0, omit_header=False, sort_output=False, no_location=True)


def main() -> None:
    import json

    fill: dict[str, dict[str, str]] = {}
    if sys.argv[1:2] == ["--fill"]:
        fill = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    LOCALE.mkdir(exist_ok=True)
    nl, en, phone = current()
    write(SOURCE, nl, en, phone, nl)
    write("en", nl, en, phone, en)
    for language in LANGUAGES:
        if language.code not in (SOURCE, "en"):
            write(language.code, nl, en, phone, None, fill.get(language.code))
    print(f"{len(nl)} strings, {len(phone)} read on the phones; catalogs in {LOCALE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
