"""Checking the values of a parsed TOML file, one problem at a time.

`Reader` knows the shapes a workshop file is made of (tables, ids, whole
numbers, texts per language or per group) and collects every problem with
the line it is on. What the document holds is read by `loader.py`; what a
step of each kind holds, by its kind (`kinds.py`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

from gsdialog.core.tomllines import Path, line_of
from gsdialog.core.workshop import DEFAULT_GROUPS, DEFAULT_LANGUAGES, GroupText, Text

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workshop file."""

    line: int
    message: str

    def format(self, file: str | FilePath) -> str:
        return f"{file}:{self.line}: {self.message}"


class Reader:
    """Checks values of the parsed TOML and collects the problems, with their lines."""

    def __init__(self, lines: dict[Path, int]) -> None:
        self.lines = lines
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = DEFAULT_LANGUAGES
        self.facilitator_languages: tuple[str, ...] = self.languages
        self.group_ids: tuple[str, ...] = tuple(g.id for g in DEFAULT_GROUPS)

    def problem(self, path: Path, where: str, message: str) -> None:
        prefix = f"{where}: " if where else ""
        self.problems.append(Problem(line_of(self.lines, path), prefix + message))

    # generic checks

    def keys(self, table: Mapping[str, Any], path: Path, where: str, allowed: tuple[str, ...],
             required: tuple[str, ...] = (), kind: str | None = None) -> None:
        for key in table:
            if key not in allowed:
                suggestion = self.did_you_mean(key, allowed)
                scope = f"in {self.article(kind)} {kind} step" if kind else "here"
                self.problem((*path, key), where,
                             f"unknown key '{key}'{suggestion}; allowed {scope}: {', '.join(allowed)}")
        for key in required:
            if key not in table:
                self.problem(path, where, f"'{key}' is missing")

    def table(self, value: Any, path: Path, where: str, name: str) -> Mapping[str, Any] | None:
        if isinstance(value, Mapping):
            return value
        self.problem(path, where, f"'{name}' must be a table, not {self.show(value)}")
        return None

    def tables(self, value: Any, path: Path, where: str, name: str) -> list[Mapping[str, Any]]:
        """An array of tables: [[name]]."""
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.problem(path, where, f"'{name}' must be written as [[{_header(path)}]] tables")
            return []
        return value

    def each(self, tables: list[Mapping[str, Any]], path: Path, noun: str,
             within: str = "") -> Iterator[tuple[Mapping[str, Any], Path, str | None, str]]:
        """Each [[noun]] table with its path, its id, and the words that place a
        problem in it ("step 'x', item 'y'", or "item 2" before its id is known).
        After the last, ids used twice are reported."""
        lead = f"{within}, " if within else ""
        for index, table in enumerate(tables):
            table_path = (*path, index)
            ident = self.ident(table, table_path, f"{lead}{noun} {index + 1}")
            yield table, table_path, ident, f"{lead}{noun} '{ident}'" if ident else f"{lead}{noun} {index + 1}"
        self.unique([(self.raw_id(t), (*path, i)) for i, t in enumerate(tables)], within, noun)

    def ident(self, table: Mapping[str, Any], path: Path, where: str) -> str | None:
        value = table.get("id")
        if value is None:
            return None  # reported by keys() as missing
        if not isinstance(value, str) or not _ID.match(value):
            self.problem((*path, "id"), where,
                         f"id {self.show(value)} must be lowercase letters, digits and '-', at most 40")
            return None
        return value

    def integer(self, table: Mapping[str, Any], key: str, path: Path, where: str,
                low: int, high: int, default: int | None = None) -> int | None:
        value = table.get(key, default)
        if value is None or (value is default and key not in table):
            return value
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem((*path, key), where,
                         f"{key} must be a whole number from {low} to {high}, not {self.show(value)}")
            return None
        return value

    def string(self, table: Mapping[str, Any], key: str, path: Path, where: str) -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem((*path, key), where, f"{key} must be a non-empty string, not {self.show(value)}")
            return None
        return value.strip()

    def text(self, value: Any, path: Path, where: str, name: str,
             limit: int | None = None, markdown: bool = False, facilitator: bool = False) -> Text | None:
        """A text with one string per language: name.nl = "…", name.en = "…".

        A text only the facilitator reads (`facilitator`) needs only the
        workshop's facilitator languages; it may have the others too."""
        if value is None:
            return None
        langs = ", ".join(self.languages)
        needed = self.facilitator_languages if facilitator else self.languages
        if not isinstance(value, Mapping):
            example = ", ".join(f'{name}.{lang} = "…"' for lang in self.languages)
            self.problem(path, where, f"{name} must be given per language ({example}), not {self.show(value)}")
            return None
        if any(key in self.group_ids for key in value):
            self.problem(path, where, f"{name} cannot differ per group here; give it per language ({langs})")
            return None
        ok = True
        for lang in value:
            if lang not in self.languages:
                self.problem((*path, lang), where,
                             f"{name} has '{lang}', which is not one of the workshop's languages ({langs})")
                ok = False
        for lang in self.languages:
            if lang not in value:
                if lang in needed:
                    self.problem(path, where, f"{name} has no '{lang}' (languages are {', '.join(needed)})")
                    ok = False
                continue
            string = value[lang]
            if not isinstance(string, str) or not string.strip():
                self.problem((*path, lang), where, f"{name}.{lang} must be a non-empty string, not {self.show(string)}")
                ok = False
                continue
            control = _CONTROL.search(string.replace("\n", "").replace("\t", "")) if markdown else _CONTROL.search(string)
            if control or (not markdown and "\n" in string.strip()):
                self.problem((*path, lang), where, f"{name}.{lang} must be one line without control characters")
                ok = False
            elif limit is not None and len(string.strip()) > limit:
                self.problem((*path, lang), where,
                             f"{name}.{lang} is {len(string.strip())} characters; at most {limit} fit")
                ok = False
        if not ok:
            return None
        return Text({lang: value[lang].strip() for lang in self.languages if lang in value})

    def group_text(self, value: Any, path: Path, where: str, name: str,
                   limit: int | None = None) -> GroupText | None:
        """A text that is the same for all groups, or given per group."""
        if value is None:
            return None
        if isinstance(value, Mapping) and value and all(k in self.group_ids for k in value):
            texts = {}
            for group in self.group_ids:
                if group not in value:
                    self.problem(path, where,
                                 f"{name} is given per group but has no '{group}' (groups are {', '.join(self.group_ids)})")
                    continue
                text = self.text(value[group], (*path, group), where, f"{name}.{group}", limit)
                if text is not None:
                    texts[group] = text
            if len(texts) != len(self.group_ids):
                return None
            return GroupText(by_group=texts)
        if isinstance(value, Mapping):
            strays = [k for k in value if k not in self.languages and k not in self.group_ids]
            if any(k in self.group_ids for k in value):
                if strays:
                    for key in strays:
                        suggestion = self.did_you_mean(key, self.group_ids)
                        self.problem((*path, key), where,
                                     f"{name} has '{key}', which is not a group{suggestion}; groups are {', '.join(self.group_ids)}")
                else:
                    self.problem(path, where, f"{name} mixes languages and groups; give it per language or per group")
                return None
        text = self.text(value, path, where, name, limit)
        return GroupText(shared=text) if text is not None else None

    def unique(self, ids: list[tuple[str | None, Path]], where: str, what: str) -> None:
        seen: dict[str, Path] = {}
        for ident, path in ids:
            if ident is None:
                continue
            if ident in seen:
                first = line_of(self.lines, (*seen[ident], "id"))
                self.problem((*path, "id"), where, f"{what} id '{ident}' is used twice (first at line {first})")
            else:
                seen[ident] = path

    # wording

    @staticmethod
    def show(value: Any) -> str:
        if isinstance(value, str):
            return repr(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Mapping):
            return "a table"
        if isinstance(value, list):
            return "a list"
        return str(value)

    @staticmethod
    def article(word: str) -> str:
        return "an" if word[0] in "aeiou" else "a"

    @staticmethod
    def raw_id(table: Mapping[str, Any]) -> str | None:
        value = table.get("id")
        return value if isinstance(value, str) else None

    @staticmethod
    def did_you_mean(word: Any, choices: Any) -> str:
        hint = difflib.get_close_matches(str(word), list(choices), n=1)
        return f" (did you mean '{hint[0]}'?)" if hint else ""


def _header(path: Path) -> str:
    return ".".join(str(p) for p in path if isinstance(p, str)) or "?"
