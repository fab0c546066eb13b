"""Choosing sessions from the store and writing their harvest in a format."""

from __future__ import annotations

from pathlib import Path

from gsdialog.export.data import to_csv, to_json
from gsdialog.export.render import to_html, to_markdown
from gsdialog.export.report import ExportError, Movement, compare, harvest
from gsdialog import sessions as stored
from gsdialog.core.session import Session
from gsdialog.store import Store

FORMATS = ("html", "md", "csv", "json")


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


__all__ = ["FORMATS", "Movement", "compare_text", "export_text", "open_pair", "open_sessions", "write_harvest"]


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


def compare_text(before: Session, after: Session, fmt: str, lang: str) -> str:
    """How each group's answers moved between two sessions, in a format."""
    import csv
    import io
    import json

    from gsdialog.core.i18n import t

    movements = compare(before, after)
    workshop = after.workshop
    labels = {g.id: g.label.get(lang) for g in workshop.groups}
    texts = {(s.id, i.id): i.text.get(lang, workshop.groups[-1].id) for s in workshop.steps for i in s.items}

    def number(value: float | None, sign: bool = False) -> str:
        if value is None:
            return t(lang, "not_enough")
        return f"{value:+.1f}" if sign else f"{value:.1f}"

    if fmt == "json":
        return json.dumps({"format": "gsdialog-comparison", "version": 1, "workshop": workshop.id,
                           "before": before.id, "after": after.id,
                           "items": [{**m.__dict__, "change": m.change} for m in movements]},
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["step", "item", "group", "before", "after", "change", "n_before", "n_after"])
        for m in movements:
            writer.writerow([m.step, m.item, m.group, m.before if m.before is not None else "",
                             m.after if m.after is not None else "", "" if m.change is None else round(m.change, 3),
                             m.n_before, m.n_after])
        return out.getvalue()
    rows = [(texts[m.step, m.item], labels[m.group], number(m.before), number(m.after), number(m.change, True))
            for m in movements]
    head = (t(lang, "statement"), t(lang, "compare_group"), before.created[:10] or before.id,
            after.created[:10] or after.id, t(lang, "compare_change"))
    title = f"{t(lang, 'compare_title')}: {workshop.title.get(lang)}"
    if fmt == "md":
        from gsdialog.export.render import md_text

        lines = [f"# {md_text(title)}", "", "| " + " | ".join(head) + " |", "|---|---|---|---|---|"]
        lines += ["| " + " | ".join([md_text(row[0]), md_text(row[1]), *row[2:]]) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    if fmt == "html":
        import jinja2

        template = jinja2.Environment(autoescape=True).from_string(
            "<!doctype html><html lang=\"{{ lang }}\"><head><meta charset=\"utf-8\"><title>{{ title }}</title>"
            "<style>body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem}"
            "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;"
            "border-bottom:1px solid #ddd}</style></head><body><h1>{{ title }}</h1><table><tr>"
            "{% for h in head %}<th>{{ h }}</th>{% endfor %}</tr>{% for row in rows %}<tr>"
            "{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}</table></body></html>\n")
        return template.render(lang=lang, title=title, head=head, rows=rows)
    raise ExportError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")


def open_pair(data: Path, before: str, after: str) -> tuple[Session, Session]:
    first, second = open_sessions(data, [before]), open_sessions(data, [after])
    return first[0], second[0]
