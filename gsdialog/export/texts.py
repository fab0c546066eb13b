"""The words of the printed report and the run sheet.

They live in the interface catalogs (gsdialog/locale/<code>.po) as
paper_<key>, with the words every ring shares (core/i18n.py), so that a
language is one catalog; these are only read on paper. Dates are written out
in words, as people write them in a letter (Babel's calendar data).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime

from gsdialog.core.catalogs import PAPER, keys, lookup
from gsdialog.core.languages import CODES


class _Texts(Mapping[str, Mapping[str, str]]):
    """TEXTS[lang][key]: a printed word from the interface catalogs (key paper_<key>)."""

    def __getitem__(self, lang: str) -> Mapping[str, str]:
        return _Words(lang)

    def __iter__(self) -> Iterator[str]:
        return iter(CODES)

    def __len__(self) -> int:
        return len(CODES)


class _Words(Mapping[str, str]):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        return lookup(self.lang, PAPER + key)

    def __iter__(self) -> Iterator[str]:
        return (key[len(PAPER):] for key in keys() if key.startswith(PAPER))

    def __len__(self) -> int:
        return sum(1 for _ in self)


TEXTS: Mapping[str, Mapping[str, str]] = _Texts()


def tx(lang: str, key: str, **values: object) -> str:
    """The string `key` in `lang`, with `values` filled in."""
    return TEXTS[lang][key].format(**values)


def date_in_words(lang: str, moment: str | date) -> str:
    """"donderdag 3 december 2026" / "Thursday 3 December 2026"; an unreadable date as it is."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return moment
    from babel.dates import format_date

    return format_date(moment, "EEEE d MMMM y", locale=lang)


def quoted(lang: str, text: str) -> str:
    """Text between typographic quotes: ‘…’ as Dutch print has it, “…” in English."""
    return f"‘{text}’" if lang == "nl" else f"“{text}”"


def typographic(lang: str, text: str) -> str:
    """Straight quotes as print has them: "…" as “…”, and an apostrophe as ’."""
    text = re.sub(r"(\w)'(\w)", "\\1’\\2", text)
    return re.sub(r'"([^"\n]+)"', "“\\1”", text)
