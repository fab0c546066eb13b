"""Cleaning text that participants type, before it is stored or shown."""

from __future__ import annotations

import unicodedata

# Kept although they are format characters: joins emoji sequences.
_KEEP = {"\u200d"}


def clean_text(text: str, limit: int) -> str:
    """Participant text as gsdialog stores it.

    Normalised (NFC), without control and format characters (terminal
    escapes, bidirectional overrides, zero-width spaces), white space folded
    to single spaces, and cut to `limit` characters. An empty result means
    there was nothing visible in it.
    """
    text = unicodedata.normalize("NFC", text)
    kept = "".join(
        " " if char.isspace() else char
        for char in text
        if char in _KEEP or char.isspace() or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    folded = " ".join(kept.split())[:limit].strip()
    if not any(unicodedata.category(c)[0] in "LNSP" for c in folded):
        return ""
    return folded
