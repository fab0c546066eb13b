"""Choosing sessions from the store and writing their harvest in a format."""

from __future__ import annotations

from pathlib import Path

from gsdialog.export.data import to_csv, to_json
from gsdialog.export.render import to_html, to_markdown
from gsdialog.export.report import ExportError, harvest
from gsdialog.session import Session
from gsdialog.store import Store

FORMATS = ("html", "md", "csv", "json")


def open_sessions(data: Path, wanted: list[str]) -> list[Session]:
    """Sessions by id, or 'latest', or 'all' (every session of the latest's workshop)."""
    store = Store(data)
    infos = [info for info in store.sessions() if info.problem is None]
    if not infos:
        raise ExportError(f"there are no sessions in {data}")
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
    return [store.open(info.path)[0] for info in chosen]


def export_text(sessions: list[Session], fmt: str, lang: str, *, include_small_groups: bool = False) -> str:
    found = harvest(sessions, include_small_groups=include_small_groups)
    if fmt == "html":
        return to_html(found, lang)
    if fmt == "md":
        return to_markdown(found, lang)
    if fmt == "csv":
        return to_csv(found)
    if fmt == "json":
        return to_json(found)
    raise ExportError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")


def write_harvest(session: Session, data: Path, lang: str) -> list[Path]:
    """The report (HTML) and the data (JSON) of one session, in DATA/exports/."""
    folder = data / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in ("html", "json"):
        path = folder / f"{session.id}.{fmt}"
        path.write_text(export_text([session], fmt, lang), encoding="utf-8")
        written.append(path)
    return written
