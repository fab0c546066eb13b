"""Line numbers for the keys of a TOML document.

`tomllib` parses TOML but forgets where each value stood, and a workshop
author needs `FILE:LINE:` to find a problem. This reads the same text once
more, line by line, and remembers the line of every table header and key as
a path like ``("step", 2, "scale", "min")``: the same path the validator
walks in the parsed data. It only has to be right for documents that
`tomllib` already accepted.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_BARE_KEY = r"[A-Za-z0-9_-]+"
_QUOTED_KEY = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY_PART = rf"\s*(?:{_BARE_KEY}|{_QUOTED_KEY})\s*"
_DOTTED_KEY = rf"{_KEY_PART}(?:\.{_KEY_PART})*"
_KEY_LINE = re.compile(rf"^({_DOTTED_KEY})=(.*)$")
_HEADER = re.compile(rf"^\s*(\[\[?)({_DOTTED_KEY})(\]\]?)\s*(?:#.*)?$")
_PART = re.compile(rf"{_BARE_KEY}|{_QUOTED_KEY}")


def _split_key(dotted: str) -> tuple[str, ...]:
    parts = []
    for token in _PART.findall(dotted):
        if token[0] in "\"'":
            token = token[1:-1]
        parts.append(token)
    return tuple(parts)


def _value_state(value: str) -> tuple[str | None, int]:
    """How a value that starts on this line goes on: (open multi-line string
    delimiter or None, bracket depth still open)."""
    depth = 0
    i = 0
    while i < len(value):
        c = value[i]
        if value.startswith(('"""', "'''"), i):
            delim = value[i : i + 3]
            end = value.find(delim, i + 3)
            if end == -1:
                return delim, depth
            i = end + 3
            continue
        if c in "\"'":
            end = i + 1
            while end < len(value) and value[end] != c:
                end += 2 if c == '"' and value[end] == "\\" else 1
            i = end + 1
            continue
        if c == "#":
            break
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
        i += 1
    return None, depth


def key_lines(source: str) -> dict[Path, int]:
    """Map each table and key path in `source` to its 1-based line."""
    lines: dict[Path, int] = {}
    array_counts: dict[Path, int] = {}
    table: Path = ()
    open_string: str | None = None
    depth = 0

    def resolve(names: tuple[str, ...]) -> Path:
        path: Path = ()
        for name in names:
            path = (*path, name)
            if path in array_counts:
                path = (*path, array_counts[path] - 1)
        return path

    def remember(path: Path, lineno: int) -> None:
        for end in range(1, len(path) + 1):
            lines.setdefault(path[:end], lineno)

    for lineno, line in enumerate(source.splitlines(), start=1):
        if open_string is not None:
            end = line.find(open_string)
            if end == -1:
                continue
            open_string, more = _value_state(line[end + 3 :])
            depth += more
            continue
        if depth > 0:
            open_string, more = _value_state(line)
            depth += more
            continue
        header = _HEADER.match(line)
        if header:
            names = _split_key(header.group(2))
            if header.group(1) == "[[":
                parent = resolve(names[:-1])
                array = (*parent, names[-1])
                array_counts[array] = array_counts.get(array, 0) + 1
                table = (*array, array_counts[array] - 1)
            else:
                table = resolve(names)
            remember(table, lineno)
            continue
        key = _KEY_LINE.match(line)
        if key:
            remember((*table, *_split_key(key.group(1))), lineno)
            open_string, depth = _value_state(key.group(2))
    return lines


def line_of(lines: dict[Path, int], path: Path) -> int:
    """The line of `path`, or of its nearest ancestor that has one (1 if none)."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 1
