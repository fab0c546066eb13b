"""The workshop model, and reading it from a TOML file with clear errors.

A workshop file is checked as a whole: every problem is collected with the
path of the key it concerns, and only at the end turned into
``FILE:LINE: message`` lines, so an author sees all of them at once.
The format is documented in docs/workshop-format.md.
"""

from __future__ import annotations

import difflib
import importlib.resources
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path as FilePath
from typing import Any

from gsdialog.core.tomllines import Path, key_lines, line_of

FORMAT_VERSION = 1
LANGUAGES = ("nl", "en")
KINDS = ("info", "pairs", "rating", "choice", "words", "evaluation")
DEFAULT_THRESHOLD = 3

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# --- the model ---------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A text in each of the workshop's languages."""

    by_lang: Mapping[str, str]

    def get(self, lang: str) -> str:
        return self.by_lang.get(lang) or next(iter(self.by_lang.values()))


@dataclass(frozen=True)
class GroupText:
    """A text that is either the same for every group or differs per group."""

    shared: Text | None = None
    by_group: Mapping[str, Text] = field(default_factory=dict)

    def get(self, lang: str, group: str | None = None) -> str:
        if self.shared is not None:
            return self.shared.get(lang)
        text = self.by_group.get(group) if group else None
        return (text or next(iter(self.by_group.values()))).get(lang)

    def texts(self) -> Iterator[Text]:
        if self.shared is not None:
            yield self.shared
        yield from self.by_group.values()


@dataclass(frozen=True)
class Source:
    title: str
    by: str
    note: Text
    year: int | None = None
    url: str | None = None


@dataclass(frozen=True)
class Group:
    id: str
    label: Text


@dataclass(frozen=True)
class Role:
    id: str
    group: str
    label: Text


@dataclass(frozen=True)
class Scale:
    min: int
    max: int
    low: GroupText | None = None
    high: GroupText | None = None

    @property
    def values(self) -> range:
        return range(self.min, self.max + 1)


@dataclass(frozen=True)
class Item:
    id: str
    text: GroupText


@dataclass(frozen=True)
class Option:
    id: str
    text: Text


@dataclass(frozen=True)
class Round:
    minutes: float
    text: Text


@dataclass(frozen=True)
class Step:
    """One step of a workshop. Fields beyond `prompt` belong to some kinds only."""

    id: str
    kind: str
    title: Text
    text: Text | None = None
    prompt: GroupText | None = None
    minutes: int | None = None
    report: bool = False
    """Put this step's text in the harvest report (eye-openers, say)."""
    size: int = 2
    rounds: tuple[Round, ...] = ()
    scale: Scale | None = None
    items: tuple[Item, ...] = ()
    options: tuple[Option, ...] = ()
    multiple: bool = False
    max_choices: int | None = None
    entries: int = 3
    max_length: int = 40


@dataclass(frozen=True)
class Workshop:
    id: str
    title: Text
    description: Text
    languages: tuple[str, ...]
    minutes: int
    sources: tuple[Source, ...]
    groups: tuple[Group, ...]
    roles: tuple[Role, ...]
    steps: tuple[Step, ...]
    threshold: int = DEFAULT_THRESHOLD
    path: FilePath | None = None

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)


def _text(nl: str, en: str) -> Text:
    return Text({"nl": nl, "en": en})


DEFAULT_GROUPS = (
    Group("professional", _text("Professionals", "Professionals")),
    Group("other", _text("Niet als professional", "Not as a professional")),
)
DEFAULT_ROLES = (
    Role("professional", "professional", _text("Professional", "Professional")),
    Role("parent", "other", _text("Ouder", "Parent")),
    Role("young-person", "other", _text("Jongere", "Young person")),
    Role("client", "other", _text("Cliënt", "Client")),
    Role("resident", "other", _text("Bewoner", "Resident")),
)


# --- errors ------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workshop file."""

    line: int
    message: str

    def format(self, file: str | FilePath) -> str:
        return f"{file}:{self.line}: {self.message}"


class WorkshopError(Exception):
    """A workshop file that cannot be used, with every problem found in it."""

    def __init__(self, file: str | FilePath, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [problem.format(self.file) for problem in self.problems]


# --- reading -----------------------------------------------------------------


def load_workshop(path: str | FilePath) -> Workshop:
    """Read and check a workshop file; raise WorkshopError with every problem."""
    path = FilePath(path)
    try:
        source = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise WorkshopError(path, [Problem(1, f"cannot read the file: {error.strerror}")]) from None
    except UnicodeDecodeError as error:
        raise WorkshopError(
            path, [Problem(1, f"not UTF-8 text (byte {error.start}); save the file as UTF-8")]
        ) from None
    return parse_workshop(source, path)


def parse_workshop(source: str, path: str | FilePath = "<workshop>") -> Workshop:
    """Check the TOML text of a workshop; raise WorkshopError with every problem."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise WorkshopError(path, [_syntax_problem(error)]) from None
    reader = _Reader(key_lines(source))
    workshop = reader.workshop(data)
    if reader.problems or workshop is None:
        problems = sorted(reader.problems, key=lambda p: p.line)
        raise WorkshopError(path, problems)
    return replace(workshop, path=FilePath(path))


def check_files(paths: list[str]) -> list[str]:
    """`FILE:LINE: message` for every problem in every file; empty when all are valid."""
    lines: list[str] = []
    for path in paths:
        try:
            load_workshop(path)
        except WorkshopError as error:
            lines.extend(error.lines())
    return lines


def _syntax_problem(error: tomllib.TOMLDecodeError) -> Problem:
    message = str(error)
    found = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if found:
        message = message[: found.start()].rstrip()
        return Problem(int(found.group(1)), f"TOML syntax: {message} (column {found.group(2)})")
    found = re.search(r"\(at end of document\)", message)
    line = getattr(error, "lineno", None) or 1
    return Problem(line, f"TOML syntax: {message}")


# The keys each table may have; anything else is reported as unknown, with
# the closest allowed key as a suggestion.
_TOP_KEYS = ("format", "workshop", "group", "role", "step")
_WORKSHOP_KEYS = ("id", "title", "description", "languages", "minutes", "threshold", "source")
_SOURCE_KEYS = ("title", "by", "year", "url", "note")
_STEP_KEYS = ("id", "kind", "title", "text", "prompt", "minutes", "report")
_KIND_KEYS = {
    "info": (),
    "pairs": ("size", "round"),
    "rating": ("scale", "item"),
    "choice": ("multiple", "max", "option"),
    "words": ("entries", "max_length"),
    "evaluation": ("scale", "item"),
}


class _Reader:
    """Walks the parsed TOML, building the model and collecting problems."""

    def __init__(self, lines: dict[Path, int]) -> None:
        self.lines = lines
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = LANGUAGES
        self.group_ids: tuple[str, ...] = tuple(g.id for g in DEFAULT_GROUPS)

    def problem(self, path: Path, where: str, message: str) -> None:
        prefix = f"{where}: " if where else ""
        self.problems.append(Problem(line_of(self.lines, path), prefix + message))

    # generic checks

    def keys(self, table: Mapping[str, Any], path: Path, where: str, allowed: tuple[str, ...],
             required: tuple[str, ...] = (), kind: str | None = None) -> None:
        for key in table:
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                scope = f"in {_article(kind)} {kind} step" if kind else "here"
                self.problem((*path, key), where,
                             f"unknown key '{key}'{suggestion}; allowed {scope}: {', '.join(allowed)}")
        for key in required:
            if key not in table:
                self.problem(path, where, f"'{key}' is missing")

    def table(self, value: Any, path: Path, where: str, name: str) -> Mapping[str, Any] | None:
        if isinstance(value, Mapping):
            return value
        self.problem(path, where, f"'{name}' must be a table, not {_show(value)}")
        return None

    def tables(self, value: Any, path: Path, where: str, name: str) -> list[Mapping[str, Any]]:
        """An array of tables: [[name]]."""
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.problem(path, where, f"'{name}' must be written as [[{_header(path)}]] tables")
            return []
        return value

    def ident(self, table: Mapping[str, Any], path: Path, where: str) -> str | None:
        value = table.get("id")
        if value is None:
            return None  # reported by keys() as missing
        if not isinstance(value, str) or not _ID.match(value):
            self.problem((*path, "id"), where,
                         f"id {_show(value)} must be lowercase letters, digits and '-', at most 40")
            return None
        return value

    def integer(self, table: Mapping[str, Any], key: str, path: Path, where: str,
                low: int, high: int, default: int | None = None) -> int | None:
        value = table.get(key, default)
        if value is None or (value is default and key not in table):
            return value
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem((*path, key), where,
                         f"{key} must be a whole number from {low} to {high}, not {_show(value)}")
            return None
        return value

    def string(self, table: Mapping[str, Any], key: str, path: Path, where: str) -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem((*path, key), where, f"{key} must be a non-empty string, not {_show(value)}")
            return None
        return value.strip()

    def text(self, value: Any, path: Path, where: str, name: str,
             limit: int | None = None, markdown: bool = False) -> Text | None:
        """A text with one string per language: name.nl = "…", name.en = "…"."""
        if value is None:
            return None
        langs = ", ".join(self.languages)
        if not isinstance(value, Mapping):
            example = ", ".join(f'{name}.{lang} = "…"' for lang in self.languages)
            self.problem(path, where, f"{name} must be given per language ({example}), not {_show(value)}")
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
                self.problem(path, where, f"{name} has no '{lang}' (languages are {langs})")
                ok = False
                continue
            string = value[lang]
            if not isinstance(string, str) or not string.strip():
                self.problem((*path, lang), where, f"{name}.{lang} must be a non-empty string, not {_show(string)}")
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
        return Text({lang: value[lang].strip() for lang in self.languages})

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
                        hint = difflib.get_close_matches(key, self.group_ids, n=1)
                        suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
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

    # the document

    def workshop(self, data: Mapping[str, Any]) -> Workshop | None:
        self.keys(data, (), "", _TOP_KEYS, required=("workshop", "step"))
        version = data.get("format", FORMAT_VERSION)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.problem(("format",), "", f"format must be a whole number ({FORMAT_VERSION}), not {_show(version)}")
        elif version > FORMAT_VERSION:
            self.problem(("format",), "",
                         f"this file is written for format {version}; this gsdialog reads format {FORMAT_VERSION}: update gsdialog")
            return None
        meta = self.table(data.get("workshop", {}), ("workshop",), "workshop", "workshop") or {}
        self.languages = self._languages(meta)
        groups, roles = self._people(data)
        self.group_ids = tuple(g.id for g in groups) or self.group_ids
        workshop_id = self.ident(meta, ("workshop",), "workshop")
        if "workshop" in data:
            self.keys(meta, ("workshop",), "workshop", _WORKSHOP_KEYS,
                      required=("id", "title", "description", "languages", "minutes", "source"))
        title = self.text(meta.get("title"), ("workshop", "title"), "workshop", "title", limit=80)
        description = self.text(meta.get("description"), ("workshop", "description"), "workshop", "description")
        minutes = self.integer(meta, "minutes", ("workshop",), "workshop", 1, 600)
        threshold = self.integer(meta, "threshold", ("workshop",), "workshop", 2, 100, DEFAULT_THRESHOLD)
        sources = self._sources(meta)
        steps = self._steps(data)
        if self.problems:
            return None
        assert workshop_id and title and description and minutes and threshold
        return Workshop(
            id=workshop_id, title=title, description=description, languages=self.languages,
            minutes=minutes, threshold=threshold, sources=sources, groups=groups, roles=roles,
            steps=steps,
        )

    def _languages(self, meta: Mapping[str, Any]) -> tuple[str, ...]:
        value = meta.get("languages")
        if value is None:
            return LANGUAGES
        path = ("workshop", "languages")
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.problem(path, "workshop", f"languages must be a list such as [\"nl\", \"en\"], not {_show(value)}")
            return LANGUAGES
        unknown = [v for v in value if v not in LANGUAGES]
        if unknown:
            self.problem(path, "workshop",
                         f"languages: {', '.join(map(repr, unknown))} not supported; gsdialog speaks {', '.join(LANGUAGES)}")
        if len(set(value)) != len(value):
            self.problem(path, "workshop", "languages lists a language twice")
        known = tuple(dict.fromkeys(v for v in value if v in LANGUAGES))
        return known or LANGUAGES

    def _sources(self, meta: Mapping[str, Any]) -> tuple[Source, ...]:
        base: Path = ("workshop", "source")
        tables = self.tables(meta.get("source"), base, "workshop", "source")
        if "source" in meta and not tables and isinstance(meta.get("source"), list):
            self.problem(base, "workshop", "give at least one [[workshop.source]]: say where the ideas come from")
        sources = []
        for index, table in enumerate(tables):
            path = (*base, index)
            where = f"source {index + 1}"
            self.keys(table, path, where, _SOURCE_KEYS, required=("title", "by", "note"))
            title = self.string(table, "title", path, where)
            by = self.string(table, "by", path, where)
            url = self.string(table, "url", path, where)
            year = self.integer(table, "year", path, where, 1900, 2200)
            note = self.text(table.get("note"), (*path, "note"), where, "note")
            if title and by and note:
                sources.append(Source(title=title, by=by, note=note, year=year, url=url))
        return tuple(sources)

    def _people(self, data: Mapping[str, Any]) -> tuple[tuple[Group, ...], tuple[Role, ...]]:
        groups: list[Group] = []
        group_tables = self.tables(data.get("group"), ("group",), "", "group")
        for index, table in enumerate(group_tables):
            path: Path = ("group", index)
            ident = self.ident(table, path, f"group {index + 1}")
            where = f"group '{ident}'" if ident else f"group {index + 1}"
            self.keys(table, path, where, ("id", "label"), required=("id", "label"))
            label = self.text(table.get("label"), (*path, "label"), where, "label", limit=40)
            if ident and label:
                groups.append(Group(ident, label))
        self.unique([(_raw_id(t), ("group", i)) for i, t in enumerate(group_tables)], "", "group")
        if group_tables and len(group_tables) != 2:
            self.problem(("group",), "", f"exactly two groups are needed, to show the gap between them; found {len(group_tables)}")
        if not group_tables:
            groups = list(DEFAULT_GROUPS)
        group_ids = [g.id for g in groups]

        role_tables = self.tables(data.get("role"), ("role",), "", "role")
        if group_tables and not role_tables:
            self.problem(("group",), "", "with your own [[group]]s, give the [[role]]s in them too")
        roles: list[Role] = []
        for index, table in enumerate(role_tables):
            path = ("role", index)
            ident = self.ident(table, path, f"role {index + 1}")
            where = f"role '{ident}'" if ident else f"role {index + 1}"
            self.keys(table, path, where, ("id", "group", "label"), required=("id", "group", "label"))
            group = table.get("group")
            if group is not None and group not in group_ids:
                hint = difflib.get_close_matches(str(group), group_ids, n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.problem((*path, "group"), where,
                             f"group {_show(group)} is not a group{suggestion}; groups are {', '.join(group_ids)}")
            label = self.text(table.get("label"), (*path, "label"), where, "label", limit=40)
            if ident and label and group in group_ids:
                roles.append(Role(ident, group, label))
        self.unique([(_raw_id(t), ("role", i)) for i, t in enumerate(role_tables)], "", "role")
        if not role_tables:
            roles = list(DEFAULT_ROLES)
        elif len(roles) == len(role_tables):
            for group in groups:
                if not any(role.group == group.id for role in roles):
                    self.problem(("role",), "", f"group '{group.id}' has no role; add a [[role]] with group = \"{group.id}\"")
        return tuple(groups), tuple(roles)

    def _steps(self, data: Mapping[str, Any]) -> tuple[Step, ...]:
        tables = self.tables(data.get("step"), ("step",), "", "step")
        if "step" in data and not tables and isinstance(data.get("step"), list):
            self.problem(("step",), "", "a workshop needs at least one [[step]]")
        steps = []
        for index, table in enumerate(tables):
            step = self._step(table, ("step", index), index)
            if step is not None:
                steps.append(step)
        self.unique([(_raw_id(t), ("step", i)) for i, t in enumerate(tables)], "", "step")
        return tuple(steps)

    def _step(self, table: Mapping[str, Any], path: Path, index: int) -> Step | None:
        ident = self.ident(table, path, f"step {index + 1}")
        where = f"step '{ident}'" if ident else f"step {index + 1}"
        kind = table.get("kind")
        if kind is not None and kind not in KINDS:
            hint = difflib.get_close_matches(str(kind), KINDS, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            self.problem((*path, "kind"), where, f"kind {_show(kind)} is not one of {', '.join(KINDS)}{suggestion}")
            self.keys(table, path, where, _STEP_KEYS + tuple(k for keys in _KIND_KEYS.values() for k in keys),
                      required=("id", "title"))
            return None
        allowed = _STEP_KEYS + _KIND_KEYS.get(kind, ())
        required = ("id", "kind", "title") + (("text",) if kind == "info" else ())
        self.keys(table, path, where, allowed, required=required, kind=kind)
        title = self.text(table.get("title"), (*path, "title"), where, "title", limit=80)
        text = self.text(table.get("text"), (*path, "text"), where, "text", markdown=True)
        prompt = self.group_text(table.get("prompt"), (*path, "prompt"), where, "prompt", limit=200)
        minutes = self.integer(table, "minutes", path, where, 1, 240)
        report = table.get("report", False)
        if not isinstance(report, bool):
            self.problem((*path, "report"), where, f"report must be true or false, not {_show(report)}")
            return None
        if report and text is None:
            self.problem((*path, "report"), where, "report = true needs a text to put in the report")
            return None
        if kind is None or not ident or not title:
            return None
        step = Step(id=ident, kind=kind, title=title, text=text, prompt=prompt, minutes=minutes, report=report)
        reader = getattr(self, f"_{kind}")
        extra = reader(table, path, where)
        if extra is None:
            return None
        return replace(step, **extra)

    # the kinds

    def _info(self, table: Mapping[str, Any], path: Path, where: str) -> dict[str, Any]:
        return {}

    def _pairs(self, table: Mapping[str, Any], path: Path, where: str) -> dict[str, Any] | None:
        size = self.integer(table, "size", path, where, 2, 8, 2)
        rounds_tables = self.tables(table.get("round"), (*path, "round"), where, "round")
        if not rounds_tables:
            self.problem(path, where, "a pairs step needs at least one [[step.round]] with minutes and text")
            return None
        rounds = []
        for index, round_table in enumerate(rounds_tables):
            round_path = (*path, "round", index)
            round_where = f"{where}, round {index + 1}"
            self.keys(round_table, round_path, round_where, ("minutes", "text"), required=("minutes", "text"))
            minutes = round_table.get("minutes")
            if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int | float)
                                        or not 0.5 <= minutes <= 60):
                self.problem((*round_path, "minutes"), round_where,
                             f"minutes must be a number from 0.5 to 60, not {_show(minutes)}")
                minutes = None
            text = self.text(round_table.get("text"), (*round_path, "text"), round_where, "text", limit=120)
            if minutes is not None and text is not None:
                rounds.append(Round(float(minutes), text))
        if size is None or len(rounds) != len(rounds_tables):
            return None
        return {"size": size, "rounds": tuple(rounds)}

    def _scale(self, table: Mapping[str, Any], path: Path, where: str, kind: str) -> Scale | None:
        value = table.get("scale")
        scale_path = (*path, "scale")
        if value is None:
            if kind == "evaluation":
                return Scale(0, 10)
            self.problem(path, where, "a rating step needs a [step.scale] with min, max, low and high")
            return None
        scale = self.table(value, scale_path, where, "scale")
        if scale is None:
            return None
        if kind == "evaluation":
            self.keys(scale, scale_path, f"{where}, scale", ("min", "max", "low", "high"))
            for key, fixed in (("min", 0), ("max", 10)):
                if key in scale and scale[key] != fixed:
                    self.problem((*scale_path, key), where,
                                 f"an evaluation scale always runs from 0 to 10; {key} cannot be {_show(scale[key])}")
            low_value, high_value = 0, 10
        else:
            self.keys(scale, scale_path, f"{where}, scale", ("min", "max", "low", "high"),
                      required=("min", "max", "low", "high"))
            low_value = self.integer(scale, "min", scale_path, f"{where}, scale", -10, 10)
            high_value = self.integer(scale, "max", scale_path, f"{where}, scale", -10, 20)
            if low_value is not None and high_value is not None:
                if high_value <= low_value:
                    self.problem((*scale_path, "max"), f"{where}, scale",
                                 f"max ({high_value}) must be above min ({low_value})")
                    return None
                if high_value - low_value > 10:
                    self.problem((*scale_path, "max"), f"{where}, scale",
                                 f"min and max are {high_value - low_value} apart; at most 10 fit on a phone")
                    return None
        low = self.group_text(scale.get("low"), (*scale_path, "low"), f"{where}, scale", "low", limit=40)
        high = self.group_text(scale.get("high"), (*scale_path, "high"), f"{where}, scale", "high", limit=40)
        if low_value is None or high_value is None:
            return None
        if ("low" in scale and low is None) or ("high" in scale and high is None):
            return None
        return Scale(low_value, high_value, low, high)

    def _items(self, table: Mapping[str, Any], path: Path, where: str, kind: str) -> tuple[Item, ...] | None:
        tables = self.tables(table.get("item"), (*path, "item"), where, "item")
        if not tables:
            self.problem(path, where, f"{_article(kind)} {kind} step needs at least one [[step.item]]")
            return None
        items = []
        for index, item_table in enumerate(tables):
            item_path = (*path, "item", index)
            ident = self.ident(item_table, item_path, f"{where}, item {index + 1}")
            item_where = f"{where}, item '{ident}'" if ident else f"{where}, item {index + 1}"
            self.keys(item_table, item_path, item_where, ("id", "text"), required=("id", "text"))
            text = self.group_text(item_table.get("text"), (*item_path, "text"), item_where, "text", limit=200)
            if ident and text:
                items.append(Item(ident, text))
        self.unique([(_raw_id(t), (*path, "item", i)) for i, t in enumerate(tables)], where, "item")
        return tuple(items) if len(items) == len(tables) else None

    def _rating(self, table: Mapping[str, Any], path: Path, where: str) -> dict[str, Any] | None:
        scale = self._scale(table, path, where, "rating")
        items = self._items(table, path, where, "rating")
        if scale is None or items is None:
            return None
        return {"scale": scale, "items": items}

    def _evaluation(self, table: Mapping[str, Any], path: Path, where: str) -> dict[str, Any] | None:
        scale = self._scale(table, path, where, "evaluation")
        items = self._items(table, path, where, "evaluation")
        if scale is None or items is None:
            return None
        return {"scale": scale, "items": items}

    def _choice(self, table: Mapping[str, Any], path: Path, where: str) -> dict[str, Any] | None:
        multiple = table.get("multiple", False)
        if not isinstance(multiple, bool):
            self.problem((*path, "multiple"), where, f"multiple must be true or false, not {_show(multiple)}")
            return None
        tables = self.tables(table.get("option"), (*path, "option"), where, "option")
        if len(tables) < 2:
            self.problem(path, where, f"a choice step needs at least two [[step.option]]s; found {len(tables)}")
            return None
        max_choices = self.integer(table, "max", path, where, 1, len(tables))
        if "max" in table and not multiple:
            self.problem((*path, "max"), where, "max only applies with multiple = true")
            return None
        options = []
        for index, option_table in enumerate(tables):
            option_path = (*path, "option", index)
            ident = self.ident(option_table, option_path, f"{where}, option {index + 1}")
            option_where = f"{where}, option '{ident}'" if ident else f"{where}, option {index + 1}"
            self.keys(option_table, option_path, option_where, ("id", "text"), required=("id", "text"))
            text = self.text(option_table.get("text"), (*option_path, "text"), option_where, "text", limit=120)
            if ident and text:
                options.append(Option(ident, text))
        self.unique([(_raw_id(t), (*path, "option", i)) for i, t in enumerate(tables)], where, "option")
        if len(options) != len(tables) or ("max" in table and max_choices is None):
            return None
        return {"multiple": multiple, "max_choices": max_choices, "options": tuple(options)}

    def _words(self, table: Mapping[str, Any], path: Path, where: str) -> dict[str, Any] | None:
        entries = self.integer(table, "entries", path, where, 1, 10, 3)
        max_length = self.integer(table, "max_length", path, where, 1, 200, 40)
        if entries is None or max_length is None:
            return None
        return {"entries": entries, "max_length": max_length}


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _raw_id(table: Mapping[str, Any]) -> str | None:
    value = table.get("id")
    return value if isinstance(value, str) else None


def _header(path: Path) -> str:
    return ".".join(str(p) for p in path if isinstance(p, str)) or "?"


# --- the built-in workshops --------------------------------------------------


def builtin_names() -> list[str]:
    """The names of the built-in workshops, as `gsdialog run NAME` takes them."""
    folder = importlib.resources.files("gsdialog.exercises")
    return sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".toml"))


def builtin_path(name: str) -> FilePath:
    """The file of a built-in workshop; KeyError names the ones there are."""
    entry = importlib.resources.files("gsdialog.exercises") / f"{name}.toml"
    if not entry.is_file():
        raise KeyError(name)
    return FilePath(str(entry))


def find_workshop(name_or_path: str) -> FilePath:
    """A workshop file by path, or a built-in one by name."""
    path = FilePath(name_or_path)
    if path.suffix == ".toml" or path.exists() or "/" in name_or_path:
        return path
    try:
        return builtin_path(name_or_path)
    except KeyError:
        raise FileNotFoundError(
            f"no workshop file or built-in workshop called '{name_or_path}'; "
            f"built-in: {', '.join(builtin_names())}"
        ) from None
