"""Choosing sessions from the store and writing their harvest in a format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gsdialog.export.data import comparison_csv, comparison_json, to_csv, to_json
from gsdialog.export.render import comparison_html, comparison_markdown, to_html, to_markdown
from gsdialog.export.report import Cover, ExportError, Movement, compare, harvest
from gsdialog import sessions as stored
from gsdialog.core.session import Session
from gsdialog.store import Store

FORMATS = ("html", "md", "csv", "json", "xlsx")
BINARY = ("xlsx",)
"""Formats that are bytes, not text: `export_bytes` writes them."""


def open_sessions(data: Path, wanted: list[str]) -> list[Session]:
    """Sessions by id, or 'latest', or 'all' (every session of the latest's workshop)."""
    store = Store(data)
    every = stored.listing(store)
    infos = [info for info in every if info.problem is None]
    if not infos:
        problems = [info.problem for info in every if info.problem]
        raise ExportError(problems[-1] if problems else f"there are no sessions in {data}")
    by_id = {info.id: info for info in infos}
    latest = max(infos, key=lambda info: (info.created, info.id))
    if wanted in (["latest"], []):
        chosen = [latest]
    elif wanted == ["all"]:
        chosen = [info for info in infos if info.workshop == latest.workshop]
    else:
        unknown = [w for w in wanted if w not in by_id]
        if unknown:
            raise ExportError(f"no session {', '.join(unknown)} in {data}; `gsdialog sessions` lists them")
        chosen = [by_id[w] for w in dict.fromkeys(wanted)]
    workshops = sorted({info.workshop for info in chosen})
    if len(workshops) > 1:
        raise ExportError(f"these sessions are of different workshops ({', '.join(workshops)}); "
                          "export them one workshop at a time")
    chosen.sort(key=lambda info: (info.created, info.id))
    return [stored.open(info.path)[0] for info in chosen]


__all__ = ["BINARY", "FORMATS", "Movement", "compare_text", "export_bytes", "export_text", "harvest_writer", "open_pair",
           "open_sessions"]


def export_text(sessions: list[Session], fmt: str, lang: str, *, include_small_groups: bool = False,
                cover: Cover | None = None) -> str:
    """The harvest in a format; `cover` (place, organiser, facilitator) goes in a report's first lines."""
    found = harvest(sessions, include_small_groups=include_small_groups)
    return _in_format(fmt, {"html": lambda: to_html(found, lang, cover), "md": lambda: to_markdown(found, lang, cover),
                            "csv": lambda: to_csv(found), "json": lambda: to_json(found)})


def export_bytes(sessions: list[Session], fmt: str, lang: str, *, include_small_groups: bool = False) -> bytes:
    """A format that is not text (xlsx), as the bytes of its file."""
    if fmt not in BINARY:
        raise ExportError(f"format {fmt!r} is text: export_text writes it")
    from gsdialog.export.workbook import to_xlsx  # loads XlsxWriter only when a workbook is asked for

    return to_xlsx(harvest(sessions, include_small_groups=include_small_groups), lang)


def _in_format(fmt: str, writers: dict[str, Callable[[], str]]) -> str:
    if fmt not in writers:
        raise ExportError(f"format {fmt!r} is not one of {', '.join(writers)}")
    return writers[fmt]()


def harvest_writer(session: Session, data: Path, lang: str) -> Callable[[], list[Path]]:
    """The harvest of one session as it is now; the call returned writes its report (HTML),
    data (JSON) and workbook (xlsx) in DATA/exports/ and gives their full, real paths, to be
    shown as they are. It reads nothing of the live session, so it may run in a worker
    thread while the session goes on (the projector's `e`)."""
    found = harvest([session])
    folder = data.resolve() / "exports"

    def write() -> list[Path]:
        from gsdialog.export.workbook import to_xlsx  # loads XlsxWriter only when a workbook is written

        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for fmt, make in (("html", lambda: to_html(found, lang, None)), ("json", lambda: to_json(found)),
                          ("xlsx", lambda: to_xlsx(found, lang))):
            path = folder / f"{session.id}.{fmt}"
            content = make()
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            written.append(path)
        return written

    return write


def compare_text(before: Session, after: Session, fmt: str, lang: str) -> str:
    """How each group's answers moved between two sessions, in a format."""
    if fmt in BINARY:
        raise ExportError(f"--compare writes html, md, csv or json, not {fmt}")
    comparison = compare(before, after)
    return _in_format(fmt, {"html": lambda: comparison_html(comparison, lang),
                            "md": lambda: comparison_markdown(comparison, lang),
                            "csv": lambda: comparison_csv(comparison), "json": lambda: comparison_json(comparison)})


def open_pair(data: Path, before: str, after: str) -> tuple[Session, Session]:
    first, second = open_sessions(data, [before]), open_sessions(data, [after])
    return first[0], second[0]
