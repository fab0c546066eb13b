"""The interface strings: one gettext catalog per language, gsdialog/locale/<code>.po.

Each message's context (`msgctxt`) is the key the code asks for
(`i18n.t(lang, "role_question")`), its `msgid` the Dutch original and its
`msgstr` the text in the catalog's language. A message whose extracted
comment says `phone` is read by participants on their phones: every language
a workshop offers its participants must have it. The others are the
facilitator's (projector, remote, report, run sheet). The catalogs are read
with Babel's `read_po`, once per language, on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from gsdialog.core.languages import LANGUAGES

SOURCE = LANGUAGES[0].code
"""The language the strings are written in first; every other catalog translates it."""
PHONE = "phone"
"""The extracted comment (#. phone) that marks a string participants read."""
PAPER = "paper_"
"""The keys of the words only printed (the report, the run sheet: export/texts.py) start with this."""
_FIELD = re.compile(r"{(\w*)[^{}]*}")


@dataclass(frozen=True)
class Catalog:
    code: str
    strings: dict[str, str]
    """Key -> text, only the translated ones (an empty or fuzzy msgstr is missing)."""
    sources: dict[str, str]
    """Key -> the Dutch text it was translated from (its msgid)."""
    phone: frozenset[str]
    """Keys marked as read on the phones."""
    lines: dict[str, int]
    """Key -> its line in the file."""


def folder() -> Traversable:
    return files("gsdialog") / "locale"


def path_of(code: str) -> Traversable:
    return folder() / f"{code}.po"


@cache
def catalog(code: str) -> Catalog:
    """The catalog of `code`, read once; empty when the language has none yet."""
    path = path_of(code)
    if not path.is_file():
        return Catalog(code, {}, {}, frozenset(), {})
    from babel.messages.pofile import read_po  # Babel is only needed once strings are

    with path.open("rb") as file:
        read = read_po(file, locale=None, abort_invalid=True)
    strings: dict[str, str] = {}
    sources: dict[str, str] = {}
    phone = set()
    lines: dict[str, int] = {}
    for message in read:
        key = message.context
        if not key or not isinstance(message.id, str):
            continue
        sources[key] = message.id
        lines[key] = message.lineno
        if PHONE in message.auto_comments:
            phone.add(key)
        if isinstance(message.string, str) and message.string and not message.fuzzy:
            strings[key] = message.string
    return Catalog(code, strings, sources, frozenset(phone), lines)


def keys() -> tuple[str, ...]:
    """Every key: those of the source catalog."""
    return tuple(catalog(SOURCE).strings)


def phone_keys() -> frozenset[str]:
    return catalog(SOURCE).phone


def lookup(code: str, key: str, fallback: str = SOURCE) -> str:
    """The string `key` in `code`; missing there, in `fallback`, then in the source."""
    for each in (code, fallback, SOURCE):
        found = catalog(each).strings.get(key)
        if found is not None:
            return found
    raise KeyError(key)


def fields(text: str) -> set[str]:
    """The names of a string's {fields}: a translation must keep them all."""
    return set(_FIELD.findall(text))


def missing(code: str, *, phone_only: bool) -> list[tuple[int, str]]:
    """What the catalog of `code` lacks (or has wrong) against the source: (line, message).

    A string not translated, a translation whose {fields} differ from the
    source's, or one made from an older source text. With `phone_only`, only
    the strings participants read count.
    """
    source = catalog(SOURCE)
    own = catalog(code)
    wanted = [k for k in source.strings if not phone_only or k in source.phone]
    problems = []
    for key in wanted:
        text = own.strings.get(key)
        line = own.lines.get(key, 1)
        if text is None:
            problems.append((line, f"'{key}' is not translated"))
        elif fields(text) != fields(source.strings[key]):
            need = ", ".join("{" + f + "}" for f in sorted(fields(source.strings[key]))) or "none"
            problems.append((line, f"'{key}' must have the fields {need}"))
        elif code != SOURCE and own.sources.get(key) != source.strings[key]:
            problems.append((line, f"'{key}' was translated from an older Dutch text"))
    return problems


def check(offered: tuple[str, ...], facilitator: tuple[str, ...]) -> list[str]:
    """`FILE:LINE: message` for each interface string a workshop's languages lack:
    the phones' strings in every language it offers, all strings in the
    facilitator's languages."""
    lines = []
    for code in offered:
        label = f"gsdialog/locale/{code}.po"
        if not path_of(code).is_file():
            lines.append(f"{label}:1: there is no catalog for '{code}'; copy en.po and translate it")
            continue
        lines += [f"{label}:{line}: {message}" for line, message in missing(code, phone_only=code not in facilitator)]
    return lines
