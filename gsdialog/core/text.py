"""Participant text cleaned before it is stored or shown; workshop text as HTML."""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

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


def simple_markdown(text: str) -> Markup:
    """The little Markdown that workshop texts use (paragraphs, lists, bold, italics), as HTML.

    Workshop texts are the author's, not participants'; they are escaped
    all the same before the few marks are turned into tags.
    """
    html: list[str] = []
    in_list: str | None = None
    for block in re.split(r"\n\s*\n", text.strip()):
        for line in block.splitlines():
            bullet = re.match(r"^\s*(?:[-*]|(\d+)\.)\s+(.*)$", line)
            content = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", str(escape(bullet.group(2) if bullet else line)))
            content = re.sub(r"(?<![*\w])\*(?![\s*])(.+?)(?<![\s*])\*(?![*\w])", r"<em>\1</em>", content)
            if bullet:
                kind = "ol" if bullet.group(1) else "ul"
                if in_list != kind:
                    if in_list:
                        html.append(f"</{in_list}>")
                    html.append(f"<{kind}>")
                    in_list = kind
                html.append(f"<li>{content}</li>")
            else:
                if in_list:
                    html.append(f"</{in_list}>")
                    in_list = None
                html.append(f"<p>{content}</p>")
        if in_list:
            html.append(f"</{in_list}>")
            in_list = None
    return Markup("\n".join(html))
