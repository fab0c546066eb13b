"""The languages gsdialog speaks: one line each.

A language's interface strings are its catalog, `gsdialog/locale/<code>.po`
(gettext, read with Babel by `i18n.py`). Adding a language is one line here
and one catalog file; `gsdialog check` then names every string the catalog
still lacks. See docs/translating.md.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    """The BCP 47 code, as in `lang="…"`, Accept-Language and a workshop's `languages`."""
    name: str
    """The language's own name for itself: how a speaker finds it in a list."""
    direction: str = "ltr"
    """"rtl" for a script written right to left; the phone's `dir`."""
    decimal: str = "."
    """How the language writes the point in 4.2."""


LANGUAGES: tuple[Language, ...] = (
    Language("nl", "Nederlands", decimal=","),
    Language("en", "English"),
    Language("tr", "Türkçe", decimal=","),
    Language("ar", "العربية", direction="rtl"),
    Language("pl", "Polski", decimal=","),
    Language("uk", "Українська", decimal=","),
)

BY_CODE: dict[str, Language] = {language.code: language for language in LANGUAGES}
CODES: tuple[str, ...] = tuple(BY_CODE)


def language(code: str) -> Language:
    """The language of `code`; an unknown code reads as the first (Dutch)."""
    return BY_CODE.get(code, LANGUAGES[0])


def accepted(header: str, offered: tuple[str, ...]) -> str | None:
    """The best of `offered` for an Accept-Language header, or None.

    Follows RFC 9110: ranges with q-values (a missing q is 1, q=0 means
    "not this"), the highest q wins, among equals the first given; "tr-TR"
    matches "tr", and "*" matches the first offered language.
    """
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        if not tag:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        ranked.append((-quality, index, tag))
    for _, _, tag in sorted(ranked):
        if tag == "*":
            return offered[0] if offered else None
        primary = tag.split("-")[0]
        for code in offered:
            if code.lower() == tag or code.lower() == primary:
                return code
    return None
