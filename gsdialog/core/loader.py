"""Reading a workshop file, and checking it with clear errors.

A workshop file is checked as a whole: every problem is collected with the
path of the key it concerns, and only at the end turned into
``FILE:LINE: message`` lines, so an author sees all of them at once. What a
step of each kind may say is checked by its kind (`kinds.py`).
"""

from __future__ import annotations

import importlib.resources
import re
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path as FilePath
from typing import Any

from gsdialog.core.kinds import KINDS
from gsdialog.core.reader import Problem, Reader
from gsdialog.core.tomllines import Path, key_lines
from gsdialog.core.workshop import (
    DEFAULT_GROUPS,
    DEFAULT_LANGUAGES,
    DEFAULT_ROLES,
    DEFAULT_THRESHOLD,
    LANGUAGES,
    Group,
    Role,
    Source,
    Step,
    Workshop,
)

FORMAT_VERSION = 1



# --- errors ------------------------------------------------------------------


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
    reader = WorkshopReader(key_lines(source))
    workshop = reader.workshop(data)
    if reader.problems or workshop is None:
        problems = sorted(reader.problems, key=lambda p: p.line)
        raise WorkshopError(path, problems)
    return replace(workshop, path=FilePath(path))


def check_files(paths: list[str]) -> list[str]:
    """`FILE:LINE: message` for every problem in every file, and for every
    interface string its languages lack (core/catalogs.py); empty when all are valid."""
    from gsdialog.core.catalogs import check

    lines: list[str] = []
    for path in paths:
        try:
            workshop = load_workshop(path)
        except WorkshopError as error:
            lines.extend(error.lines())
            continue
        lines.extend(line for line in check(workshop.languages, workshop.facilitator) if line not in lines)
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
_WORKSHOP_KEYS = ("id", "title", "description", "languages", "facilitator_languages", "reviewed", "minutes",
                  "threshold", "source")
_SOURCE_KEYS = ("title", "by", "year", "url", "note")
_STEP_KEYS = ("id", "kind", "title", "text", "prompt", "minutes", "report", "notes")


class WorkshopReader(Reader):
    """Walks the parsed TOML of a workshop, building the model."""

    # the document

    def workshop(self, data: Mapping[str, Any]) -> Workshop | None:
        self.keys(data, (), "", _TOP_KEYS, required=("workshop", "step"))
        version = data.get("format", FORMAT_VERSION)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.problem(("format",), "", f"format must be a whole number ({FORMAT_VERSION}), not {self.show(version)}")
        elif version > FORMAT_VERSION:
            self.problem(("format",), "",
                         f"this file is written for format {version}; this gsdialog reads format {FORMAT_VERSION}: update gsdialog")
            return None
        meta = self.table(data.get("workshop", {}), ("workshop",), "workshop", "workshop") or {}
        self.languages = self._languages(meta)
        self.facilitator_languages = self._languages(meta, "facilitator_languages", self.languages)
        reviewed = self._languages(meta, "reviewed", self.languages, empty=True)
        groups, roles = self._people(data)
        self.group_ids = tuple(g.id for g in groups) or self.group_ids
        workshop_id = self.ident(meta, ("workshop",), "workshop")
        if "workshop" in data:
            self.keys(meta, ("workshop",), "workshop", _WORKSHOP_KEYS,
                      required=("id", "title", "description", "languages", "minutes", "source"))
        title = self.text(meta.get("title"), ("workshop", "title"), "workshop", "title", limit=80)
        description = self.text(meta.get("description"), ("workshop", "description"), "workshop", "description",
                                facilitator=True)
        minutes = self.integer(meta, "minutes", ("workshop",), "workshop", 1, 600)
        threshold = self.integer(meta, "threshold", ("workshop",), "workshop", 2, 100, DEFAULT_THRESHOLD)
        sources = self._sources(meta)
        steps = self._steps(data)
        if self.problems:
            return None
        assert workshop_id and title and description and minutes and threshold
        return Workshop(
            id=workshop_id, title=title, description=description, languages=self.languages,
            facilitator_languages=self.facilitator_languages if "facilitator_languages" in meta else (),
            reviewed=reviewed,
            minutes=minutes, threshold=threshold, sources=sources, groups=groups, roles=roles,
            steps=steps,
        )

    def _languages(self, meta: Mapping[str, Any], key: str = "languages",
                   within: tuple[str, ...] = LANGUAGES, empty: bool = False) -> tuple[str, ...]:
        """A list of language codes: `languages` (of those gsdialog speaks), or
        `facilitator_languages` and `reviewed` (of the workshop's languages)."""
        default = () if empty else (DEFAULT_LANGUAGES if key == "languages" else within)
        value = meta.get(key)
        if value is None:
            return default
        path = ("workshop", key)
        if not isinstance(value, list) or (not value and not empty) or not all(isinstance(v, str) for v in value):
            self.problem(path, "workshop", f"{key} must be a list such as [\"nl\", \"en\"], not {self.show(value)}")
            return default
        unknown = [v for v in value if v not in within]
        if unknown and key == "languages":
            self.problem(path, "workshop",
                         f"languages: {', '.join(map(repr, unknown))} not supported; gsdialog speaks {', '.join(LANGUAGES)}")
        elif unknown:
            self.problem(path, "workshop",
                         f"{key}: {', '.join(map(repr, unknown))} is not in the workshop's languages ({', '.join(within)})")
        if len(set(value)) != len(value):
            self.problem(path, "workshop", f"{key} lists a language twice")
        known = tuple(dict.fromkeys(v for v in value if v in within))
        return known or default

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
            note = self.text(table.get("note"), (*path, "note"), where, "note", facilitator=True)
            if title and by and note:
                sources.append(Source(title=title, by=by, note=note, year=year, url=url))
        return tuple(sources)

    def _people(self, data: Mapping[str, Any]) -> tuple[tuple[Group, ...], tuple[Role, ...]]:
        groups: list[Group] = []
        group_tables = self.tables(data.get("group"), ("group",), "", "group")
        for table, path, ident, where in self.each(group_tables, ("group",), "group"):
            self.keys(table, path, where, ("id", "label"), required=("id", "label"))
            label = self.text(table.get("label"), (*path, "label"), where, "label", limit=40, facilitator=True)
            if ident and label:
                groups.append(Group(ident, label))
        if group_tables and len(group_tables) != 2:
            self.problem(("group",), "", f"exactly two groups are needed, to show the gap between them; found {len(group_tables)}")
        if not group_tables:
            groups = list(DEFAULT_GROUPS)
        group_ids = [g.id for g in groups]

        role_tables = self.tables(data.get("role"), ("role",), "", "role")
        if group_tables and not role_tables:
            self.problem(("group",), "", "with your own [[group]]s, give the [[role]]s in them too")
        roles: list[Role] = []
        for table, path, ident, where in self.each(role_tables, ("role",), "role"):
            self.keys(table, path, where, ("id", "group", "label"), required=("id", "group", "label"))
            group = table.get("group")
            if group is not None and group not in group_ids:
                suggestion = self.did_you_mean(str(group), group_ids)
                self.problem((*path, "group"), where,
                             f"group {self.show(group)} is not a group{suggestion}; groups are {', '.join(group_ids)}")
            label = self.text(table.get("label"), (*path, "label"), where, "label", limit=40)
            if ident and label and group in group_ids:
                roles.append(Role(ident, group, label))
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
        for table, path, ident, where in self.each(tables, ("step",), "step"):
            step = self._step(table, path, ident, where)
            if step is not None:
                steps.append(step)
        return tuple(steps)

    def _step(self, table: Mapping[str, Any], path: Path, ident: str | None, where: str) -> Step | None:
        kind = table.get("kind")
        if kind is not None and kind not in KINDS:
            suggestion = self.did_you_mean(str(kind), KINDS)
            self.problem((*path, "kind"), where, f"kind {self.show(kind)} is not one of {', '.join(KINDS)}{suggestion}")
            self.keys(table, path, where, _STEP_KEYS + tuple(k for known in KINDS.values() for k in known.keys),
                      required=("id", "title"))
            return None
        known = KINDS.get(kind) if kind is not None else None
        allowed = _STEP_KEYS + (known.keys if known else ())
        required = ("id", "kind", "title") + (("text",) if known and known.needs_text else ())
        self.keys(table, path, where, allowed, required=required, kind=kind)
        title = self.text(table.get("title"), (*path, "title"), where, "title", limit=80)
        text = self.text(table.get("text"), (*path, "text"), where, "text", markdown=True, facilitator=True)
        notes = self.text(table.get("notes"), (*path, "notes"), where, "notes", markdown=True, facilitator=True)
        prompt = self.group_text(table.get("prompt"), (*path, "prompt"), where, "prompt", limit=200)
        minutes = self.integer(table, "minutes", path, where, 1, 240)
        report = table.get("report", False)
        if not isinstance(report, bool):
            self.problem((*path, "report"), where, f"report must be true or false, not {self.show(report)}")
            return None
        if report and text is None:
            self.problem((*path, "report"), where, "report = true needs a text to put in the report")
            return None
        if known is None or not ident or not title:
            return None
        extra = known.read(self, table, path, where)
        if extra is None:
            return None
        if "notes" in table and notes is None:
            return None
        return Step(id=ident, kind=known.name, title=title, text=text, prompt=prompt, minutes=minutes, notes=notes,
                    report=report, **extra)


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
