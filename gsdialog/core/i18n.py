"""The words of gsdialog's own screens, in every language it speaks.

Workshop texts come from the workshop file; these are the few words around
them. They live in one gettext catalog per language, gsdialog/locale/<code>.po
(core/catalogs.py reads them; docs/translating.md says how to add and
translate one); the Dutch catalog is the source. `t(lang, key)` is how the
code asks for one.
"""

from __future__ import annotations

from collections.abc import Callable

from gsdialog.core.catalogs import lookup
from gsdialog.core.languages import CODES
from gsdialog.core.languages import LANGUAGES as ALL_LANGUAGES

LANGUAGES = CODES


def t(lang: str, key: str, **values: object) -> str:
    """The string `key` in `lang` (from its catalog, gsdialog/locale/), with `values` filled in.

    A string the language's catalog lacks comes from the first language's."""
    return lookup(lang, key).format(**values)


def translator(lang: str, fallback: str) -> Callable[..., str]:
    """`t` for one language, falling back to `fallback` (a workshop's first language)."""
    return lambda key, **values: lookup(lang, key, fallback).format(**values)


DECIMAL_SEPARATOR = {language.code: language.decimal for language in ALL_LANGUAGES}
"""How each language writes the point in 4.2; one not listed writes a point."""


def number(lang: str, value: float, digits: int = 1, *, sign: bool = False) -> str:
    """`value` as the language writes it: "4,2" and "+1,3" in Dutch, "4.2" and "+1.3" in English."""
    text = f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"
    return text.replace(".", DECIMAL_SEPARATOR.get(lang, "."))


def gap_sentence(lang: str, out_of_ten: int, first_group: str, first_label: str) -> str:
    """The gap for a lay audience: in how many of ten pairs the first group scores higher."""
    if first_group == "professional":
        return t(lang, "gap_professional", k=out_of_ten)
    return t(lang, "gap_group", k=out_of_ten, label=first_label)
