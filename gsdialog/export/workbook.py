"""The harvest as an Excel workbook (xlsx), for organisers (docs/export-format.md).

A CSV opens in Excel as its regional settings read it: with Dutch settings
one column, and UTF-8 garbled. An xlsx carries its own cells: numbers are
numbers (shown with the reader's decimal comma or point), text is text.

Sheets: the answers (the CSV's columns), one per step with results (its
kind's `sheet` in `sections.SECTIONS`), and what the harvest is about. Every
text is written as a string cell marked as text (`quote_prefix`, as a typed
leading apostrophe), so a participant's "=HYPERLINK(…)" is never a formula,
not even after someone edits the cell.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from gsdialog.core.i18n import t
from gsdialog.core.kinds import kind_of
from gsdialog.export.data import CSV_COLUMNS
from gsdialog.export.escape import cell_text
from gsdialog.export.report import Harvest
from gsdialog.export.sections import SECTIONS
from gsdialog.export.sheets import Column, Note, Table, Value

SHEET_NAME_LIMIT = 31
"""Characters (UTF-16 units) in an Excel sheet name."""
_NOT_IN_A_NAME = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_RESERVED_NAMES = {"history"}
"""Excel keeps this name for itself."""

_NUMBER_FORMATS = {"count": "0", "decimal": "0.0", "signed": "+0.0;-0.0;0.0", "percent": "0%"}
_WIDTHS = {"count": (6, 11), "decimal": (8, 11), "signed": (8, 11), "percent": (7, 11),
           "text": (8, 30), "long": (20, 50), "participant": (12, 50)}
"""Per style the narrowest and widest a column gets, in characters."""
_HEADER_WIDTH = 10
"""A header longer than this wraps rather than widen its column."""
_PAGE_WIDTH = 150
"""Characters of columns that still read when fitted to an A4 page's width (landscape; about 100 at 100 %)."""


def to_xlsx(harvest: Harvest, lang: str) -> bytes:
    """The workbook: answers, a sheet per step with results, and what it is about."""
    tables: list[tuple[str, Table]] = [(t(lang, "xlsx_answers"), answers_table(harvest, lang))]
    groups = harvest.workshop.groups
    for number, step_harvest in enumerate(harvest.steps, start=1):
        sheet = SECTIONS[kind_of(step_harvest.step)].sheet
        if sheet is not None and step_harvest.result is not None:
            title = f"{number}. {step_harvest.step.title.get(lang)}"
            tables.append((title, sheet(step_harvest.step, step_harvest.result, groups, lang)))
    tables.append((t(lang, "xlsx_about"), about_table(harvest, lang)))
    names = sheet_names([name for name, _ in tables])
    return write_workbook(zip(names, (table for _, table in tables), strict=True),
                          title=f"{harvest.workshop.title.get(lang)} — {t(lang, 'report_title')}")


def answers_table(harvest: Harvest, lang: str) -> Table:
    """The CSV's rows and columns, headed in the language; value a number where it is one."""
    headers = t(lang, "xlsx_columns").split(",")
    assert len(headers) == len(CSV_COLUMNS) + 1, "xlsx_columns names the CSV's columns and small_group"
    marked = harvest.include_small_groups
    styles = ("text", "text", "text", "text", "text", "participant", "text")
    columns = [Column(header, style) for header, style in zip(headers, styles, strict=True)]
    table = Table(columns if marked else columns[:-1])
    yes = t(lang, "xlsx_yes")
    for row in harvest.rows:
        cells: list[Value] = [row["session"], row["step"], row["item"], row["group"],
                              row.get("value"), row.get("text")]
        if marked:
            cells.append(yes if row.get("small_group") else None)
        table.rows.append(cells)
    return table


def about_table(harvest: Harvest, lang: str) -> Table:
    """The sessions with their participants, and what was left out and why."""
    groups = harvest.workshop.groups
    columns = [Column(t(lang, "xlsx_columns").split(",")[0]), Column(t(lang, "report_date")),
               Column(t(lang, "report_code"))]
    columns += [Column(f"{t(lang, 'report_participants')}: {g.label.get(lang)}", "count") for g in groups]
    table = Table(columns, keep=1)
    for session in harvest.sessions:
        table.rows.append([session.id, session.created[:10], session.code,
                           *(session.participants.get(g.id, 0) for g in groups)])
    table.notes = [harvest.workshop.title.get(lang), t(lang, "report_privacy_text", k=harvest.threshold)]
    if harvest.left_out:
        table.notes.append(t(lang, "report_small_left_out", n=harvest.left_out, k=harvest.threshold))
    if harvest.include_small_groups:
        table.notes.append(t(lang, "report_small_included", k=harvest.threshold))
    table.notes.append(t(lang, "report_made_with"))
    return table


def sheet_names(wanted: list[str]) -> list[str]:
    """Names Excel accepts: none of []:*?/\\, not empty, at most 31 characters, no
    apostrophe at either end, not "History", and no two alike (Excel ignores case)."""
    taken: set[str] = set()
    names = []
    for number, name in enumerate(wanted, start=1):
        base = " ".join(_NOT_IN_A_NAME.sub(" ", name).split()).strip("'").strip() or f"{number}"
        candidate, extra = _cut(base, SHEET_NAME_LIMIT), 1
        while candidate.casefold() in taken or candidate.casefold() in _RESERVED_NAMES:
            extra += 1
            suffix = f" ({extra})"
            candidate = _cut(base, SHEET_NAME_LIMIT - len(suffix)).rstrip("'").rstrip() + suffix
        taken.add(candidate.casefold())
        names.append(candidate)
    return names


def _cut(text: str, limit: int) -> str:
    """At most `limit` UTF-16 units (how Excel counts), never half a character, at a space where one is near."""
    cut = text
    while len(cut.encode("utf-16-le")) // 2 > limit:
        cut = cut[:-1]
    if cut != text and text[len(cut)] != " " and cut.rfind(" ") > limit // 2:
        cut = cut[:cut.rfind(" ")]
    return cut.rstrip("'").rstrip()


class _Formats:
    """The workbook's cell formats, made once."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E7E6E6",
                                       "bottom": 1, "quote_prefix": True})
        self.text = book.add_format({"valign": "top", "quote_prefix": True})
        self.long = book.add_format({"valign": "top", "text_wrap": True, "quote_prefix": True})
        self.note = book.add_format({"valign": "top", "italic": True, "font_color": "#595959", "quote_prefix": True})
        self.numbers = {style: book.add_format({"valign": "top", "num_format": number_format})
                        for style, number_format in _NUMBER_FORMATS.items()}
        self.number = book.add_format({"valign": "top"})
        """A number in a column of text (a rating's value among choices): as it is."""

    def for_text(self, column: Column, value: str) -> Format:
        if isinstance(value, Note):
            return self.note
        return self.long if column.style == "long" else self.text


def write_workbook(sheets: Iterable[tuple[str, Table]], *, title: str) -> bytes:
    out = io.BytesIO()
    # Never read a string as a formula, a number or a link: only write_string and write_number are used,
    # and these say so once more.
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties({"title": cell_text(title), "comments": "gsdialog"})
    formats = _Formats(book)
    for name, table in sheets:
        _write_table(book.add_worksheet(name), table, formats)
    book.close()
    return out.getvalue()


def _write_table(sheet: Worksheet, table: Table, formats: _Formats) -> None:
    widths = [_width(column, [row[col] for row in table.rows]) for col, column in enumerate(table.columns)]
    for col, (column, width) in enumerate(zip(table.columns, widths, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, cell_text(column.header), formats.header)
    # Set, not left to the reader: LibreOffice does not grow a row for wrapped text by itself.
    sheet.set_row(0, _height(max(_lines(column.header, width, bold=True)
                                 for column, width in zip(table.columns, widths, strict=True))))
    for number, row in enumerate(table.rows, start=1):
        for col, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            _write_cell(sheet, number, col, column, value, formats)
        wrapped = [_lines(str(value), width) for column, value, width in zip(table.columns, row, widths, strict=True)
                   if column.style == "long" and isinstance(value, str)]
        if max(wrapped, default=1) > 1:
            sheet.set_row(number, _height(max(wrapped)))
    below = len(table.rows) + 2
    for offset, note in enumerate(table.notes):
        text = cell_text(note)
        if len(table.columns) > 1:
            sheet.merge_range(below + offset, 0, below + offset, len(table.columns) - 1, text, formats.long)
        else:
            sheet.write_string(below + offset, 0, text, formats.long)
        sheet.set_row(below + offset, _height(_lines(text, sum(widths))))
    sheet.freeze_panes(1, table.keep)
    if table.rows:
        sheet.autofilter(0, 0, len(table.rows), len(table.columns) - 1)
    # On paper: A4 landscape, the header on every page, and as wide as the page when that stays legible.
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.repeat_rows(0)
    if table.keep:
        sheet.repeat_columns(0)  # only the first: the statement's number, the option, the group
    if sum(widths) <= _PAGE_WIDTH:
        sheet.fit_to_pages(1, 0)


def _write_cell(sheet: Worksheet, row: int, col: int, column: Column, value: Value, formats: _Formats) -> None:
    if value is None:
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, value, formats.numbers.get(column.style, formats.number))
        return
    text = cell_text(str(value))
    sheet.write_string(row, col, text, formats.for_text(column, value if isinstance(value, Note) else text))


def _width(column: Column, values: list[Value]) -> float:
    """Wide enough for what the column holds, within its style's bounds; headers wrap."""
    if column.width is not None:
        return column.width
    narrowest, widest = _WIDTHS[column.style]
    longest = max((len(_shown(v)) for v in values if v is not None and not isinstance(v, Note)), default=0)
    header = max([min(len(column.header), _HEADER_WIDTH), *(len(word) for word in column.header.split())])
    # A note ("not enough answers yet") may stand beside a figure of the next group: room for it too.
    note = max((len(v) for v in values if isinstance(v, Note)), default=0)
    return max(narrowest, min(widest, longest + 2), min(header + 2, 30), min(note + 1, 30))


def _lines(text: str, width: float, *, bold: bool = False) -> int:
    """About how many lines `text` takes when it wraps at spaces in a column `width` characters wide.

    A width counts the digit 0 of Calibri 11; a line of text holds about 1.2 times as many
    characters (measured with Carlito, Calibri's metric twin, in LibreOffice), bold text about
    1.1 times. Estimated on the low side, so a row is rather a little high than cut off."""
    room = max(1.0, (width - 1) * (1.1 if bold else 1.2))
    lines = 0
    for part in text.split("\n"):
        lines, used = lines + 1, 0.0
        for word in part.split(" "):
            need = len(word) + (1 if used else 0)
            if used and used + need > room:
                lines, used = lines + 1, float(len(word))
            else:
                used += need
            while used > room:  # a word longer than the line breaks anywhere
                lines, used = lines + 1, used - room
    return lines


def _height(lines: int) -> float:
    return min(409.0, 15.0 * lines)


def _shown(value: Value) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)
