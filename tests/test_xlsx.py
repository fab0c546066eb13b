"""The xlsx export, read back with openpyxl (not the library that wrote it):
the answers and the figures per question, the threshold, hostile text, the
sheet names, and the command line."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from gsdialog.cli import main
from gsdialog.core.results import WordCount, WordsResult, wall
from gsdialog.core.workshop import Workshop
from gsdialog.export.report import harvest
from gsdialog.export.sheets import Column, Table
from gsdialog.export.workbook import sheet_names, to_xlsx, write_workbook
from test_export import HOSTILE, closed_room, filled


def opened(blob: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(blob))


def records(sheet: Worksheet) -> list[dict[str, Any]]:
    """The sheet's table (up to its first empty row) as dicts by header."""
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    found = []
    for row in rows:
        if all(cell is None for cell in row):
            break
        found.append(dict(zip(header, row, strict=True)))
    return found


def formulas(blob: bytes) -> list[str]:
    """Every formula element in the file's sheets, read from the XML itself."""
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        return [name for name in package.namelist() if name.startswith("xl/worksheets/")
                and (b"<f>" in package.read(name) or b"<f " in package.read(name))]


async def test_the_workbook_has_the_answers_and_the_figures_per_question(example: Workshop) -> None:
    session = await filled(example)
    blob = to_xlsx(harvest([session]), "nl")
    book = opened(blob)
    assert book.sheetnames == ["Antwoorden", "3. Luisteren", "4. Wat helpt het meest", "5. In een paar woorden",
                               "6. Hoe was het", "Over deze oogst"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes is not None and sheet.freeze_panes[1] == "2", sheet.title  # the header row stays

    answers = records(book["Antwoorden"])
    assert list(answers[0]) == ["Sessie", "Stap", "Onderdeel", "Groep", "Waarde", "Tekst"]
    expected = harvest([session]).rows
    assert len(answers) == len(expected)
    for got, row in zip(answers, expected, strict=True):
        assert (got["Sessie"], got["Stap"], got["Onderdeel"], got["Groep"]) == (
            row["session"], row["step"], row["item"], row["group"])
        assert got["Waarde"] == row.get("value") and got["Tekst"] == row.get("text")
    ratings = [a["Waarde"] for a in answers if a["Stap"] == "gehoord"]
    assert sorted(ratings) == [2] * 4 + [5] * 4 and all(type(v) is int for v in ratings)  # numbers, not text

    professionals, others = records(book["3. Luisteren"])
    assert (professionals["Groep"], professionals["n"], professionals["Gemiddeld"], professionals["Mediaan"]) == (
        "Professionals", 4, 5, 5)
    assert (others["Groep"], others["n"], others["Gemiddeld"]) == ("Ouders", 4, 2)
    assert professionals["Aantal keer 5"] == 4 and others["Aantal keer 2"] == 4 and others["Aantal keer 5"] == 0
    assert professionals["Verschil"] == 3 and professionals["Hoe groot is het verschil"] == "groot verschil"
    assert professionals["Professionals hoger: in … van de 10 keer"] == 10
    assert professionals["Blinde vlek"] == "◆ blinde vlek" and others["Verschil"] is None
    assert book["3. Luisteren"]["E2"].number_format == "0.0"  # shown as 5,0 with Dutch settings

    choice = {row["Keuze"]: row for row in records(book["4. Wat helpt het meest"])}
    assert choice["Tijd nemen"]["Professionals"] == 4 and choice["Tijd nemen"]["Professionals: %"] == 1
    assert choice["Goed doorvragen"]["Ouders"] == 4 and choice["Aantal mensen (n)"]["Ouders"] == 4
    words = records(book["5. In een paar woorden"])
    assert [(w["Hoe vaak"], w["Professionals (n = 4)"], w["Ouders (n = 4)"])
            for w in words if w["Woord of zin"] == "tijd"] == [(8, 4, 4)]
    once = [w for w in words if w["Hoe vaak"] == 1]  # given by one person: no group beside it
    assert once and all(w["Professionals (n = 4)"] is None and w["Ouders (n = 4)"] is None for w in once)
    [evaluation, _] = records(book["6. Hoe was het"])
    assert evaluation["Gemiddeld"] == 8 and "Verschil" not in evaluation  # an evaluation does not compare
    [about] = records(book["Over deze oogst"])
    assert about["Sessie"] == "s1" and about["Code"] == "ACE34" and about["Deelnemers: Ouders"] == 4
    assert formulas(blob) == []


async def test_headers_and_sheet_names_in_english(example: Workshop) -> None:
    book = opened(to_xlsx(harvest([await filled(example)]), "en"))
    assert book.sheetnames[0] == "Answers" and book.sheetnames[-1] == "About this harvest"
    assert [cell.value for cell in book["Answers"][1]] == ["Session", "Step", "Item", "Group", "Value", "Text"]
    header = [cell.value for cell in book["3. Listening"][1]]
    assert header[:6] == ["#", "Statement", "Group", "n", "Mean", "Median"] and "Gap" in header


async def test_a_group_under_the_threshold_shows_no_figures(example: Workshop) -> None:
    """One person of the other group: a count and a note, nowhere a mean, a choice or a word of theirs."""
    session = await filled(example, others=1)
    book = opened(to_xlsx(harvest([session]), "nl"))
    assert not [a for a in records(book["Antwoorden"]) if a["Groep"] == "other"]
    _, other = records(book["3. Luisteren"])
    assert other["n"] == 1 and other["Gemiddeld"] == "nog te weinig antwoorden"
    assert [value for key, value in other.items() if key not in ("#", "Stelling", "Groep", "n", "Gemiddeld")] == (
        [None] * (len(other) - 5))
    choice = records(book["4. Wat helpt het meest"])
    assert {row["Ouders"] for row in choice[:-1]} == {"nog te weinig antwoorden"}
    assert {row["Ouders: %"] for row in choice} == {None} and choice[-1]["Ouders"] == 1
    words = records(book["5. In een paar woorden"])
    assert {w["Ouders (n = 1)"] for w in words} == {None}
    notes = [row[0].value for row in book["5. In een paar woorden"].iter_rows() if row[0].value]
    assert "Ouders: nog te weinig antwoorden" in notes
    notes = [row[0].value for row in book["Over deze oogst"].iter_rows() if row[0].value]
    assert any("weggelaten" in str(note) for note in notes)


CONTROL = "a\x01b\x1b[31mc\x7f\x9bd\r\ne\x00f\ud800g\ufffe"


async def test_hostile_text_stays_text(example: Workshop) -> None:
    """Formulas, markup, 5,000 characters and control characters in the answers and among the words:
    string cells, marked as text, the same text (control characters out), and no formula in the file."""
    found = harvest([await filled(example)])
    long = "=" + "x" * 4999
    hostile = [*HOSTILE, "-2+3", "=1+1", "\t=cmd", "_x0041_", long, CONTROL, "y" * 40_000]
    found.rows += [{"session": "s1", "step": "woorden", "item": "words", "group": "professional", "text": text}
                   for text in hostile]
    [words] = [s for s in found.steps if s.step.id == "woorden"]
    result = words.result
    given = {**result.words, "professional": [WordCount(text, 2) for text in hostile]}
    words.result = WordsResult(result.groups, given, wall(given, ["professional", "other"], 3), 3)
    blob = to_xlsx(found, "nl")
    book = opened(blob)
    cleaned = [*HOSTILE, "-2+3", "=1+1", "\t=cmd", "_x0041_", long, "ab[31mcd\nefg", "y" * 32_767]
    answers = book["Antwoorden"]
    cells = [row[5] for row in answers.iter_rows(min_row=answers.max_row - len(hostile) + 1)]
    word_sheet = book["5. In een paar woorden"]
    listed = [row[0] for row in word_sheet.iter_rows(min_row=2) if row[0].value in cleaned]
    assert [cell.value for cell in cells] == cleaned and {cell.value for cell in listed} == set(cleaned)
    cells += listed
    assert {cell.data_type for cell in cells} == {"s"} and all(cell.quotePrefix for cell in cells)
    assert len(long) == 5000 and formulas(blob) == []


def test_sheet_names_excel_accepts() -> None:
    names = sheet_names(["Antwoorden", "3. Serieus genomen?", "4. [a]:b*c/d\\e", "5. " + "Lang " * 20, "'quoted'",
                         "History", "antwoorden", "", "6. 🙂" * 10, "Over deze oogst"])
    assert names[:5] == ["Antwoorden", "3. Serieus genomen", "4. a b c d e", "5. Lang Lang Lang Lang Lang",
                         "quoted"]
    assert names[5] == "History (2)" and names[6] == "antwoorden (2)" and names[7] == "8"
    assert all(len(n.encode("utf-16-le")) // 2 <= 31 for n in names)  # Excel counts UTF-16 units
    assert len({n.casefold() for n in names}) == len(names)
    assert not any(set(n) & set("[]:*?/\\") or n.startswith("'") or n.endswith("'") for n in names)
    # XlsxWriter checks names as Excel does, and refuses a bad one; what it wrote opens with them all.
    blob = write_workbook(((name, Table([Column("x")])) for name in names), title="t")
    assert opened(blob).sheetnames == names


# --- the command line -------------------------------------------------------------------------


async def test_gsdialog_export_xlsx_to_a_file_prints_full_paths(tmp_path: Path, example: Workshop,
                                                                example_source: str, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    session = await closed_room(tmp_path / "data", example, example_source)
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--data", "data", "--format", "xlsx", "-o", "oogst.xlsx"]) == 0
    said = capsys.readouterr()
    assert said.out == "" and said.err == f"Wrote {tmp_path / 'oogst.xlsx'}\nData folder: {tmp_path / 'data'}\n"
    answers = records(opened((tmp_path / "oogst.xlsx").read_bytes())["Antwoorden"])
    assert sorted((a["Sessie"], a["Groep"], a["Waarde"]) for a in answers) == (
        [(session.id, "other", 1)] * 3 + [(session.id, "professional", 4)] * 3)
    assert main(["export", "--data", "data", "--format", "csv", "-o", "oogst.csv"]) == 0
    assert capsys.readouterr().err.startswith(f"Wrote {tmp_path / 'oogst.csv'}\n")


async def test_gsdialog_export_xlsx_without_o(tmp_path: Path, example: Workshop, example_source: str) -> None:
    """To a terminal: a plain message and no bytes; to a pipe: the workbook's bytes as they are."""
    await closed_room(tmp_path, example, example_source)
    command = [sys.executable, "-m", "gsdialog", "export", "--data", str(tmp_path), "--format", "xlsx"]
    piped = subprocess.run(command, capture_output=True, check=True, timeout=60)
    assert piped.stdout.startswith(b"PK") and len(records(opened(piped.stdout)["Antwoorden"])) == 6

    terminal, other_end = pty.openpty()
    try:
        shown = subprocess.run(command, stdout=other_end, stderr=subprocess.PIPE, timeout=60)
        os.close(other_end)
        other_end = -1
        written = b""
        try:
            while chunk := os.read(terminal, 4096):
                written += chunk
        except OSError:  # the terminal is closed once nothing is left to read
            pass
    finally:
        os.close(terminal)
        if other_end >= 0:
            os.close(other_end)
    assert shown.returncode == 2 and written == b""
    assert b"Write it to a file with -o" in shown.stderr


async def test_compare_as_xlsx_is_refused_plainly(tmp_path: Path, example: Workshop, example_source: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    first = await closed_room(tmp_path, example, example_source)
    second = await closed_room(tmp_path, example, example_source)
    assert main(["export", "--data", str(tmp_path), "--compare", first.id, second.id, "--format", "xlsx",
                 "-o", str(tmp_path / "x.xlsx")]) == 1
    assert "--compare writes html, md, csv or json, not xlsx" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("ended", ["closed", "paused"])
def test_the_end_of_gsdialog_run_prints_the_full_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], ended: str) -> None:
    """The projector replaced by one that writes the harvest (as `e` and the end do) and ends."""
    from gsdialog.projector.app import ProjectorApp

    def run(self: ProjectorApp, *args: object, **kwargs: object) -> str:
        self.exported = self.export()() if ended == "closed" and self.export else []
        return ended

    monkeypatch.setattr(ProjectorApp, "run", run)
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--data", "data", "--host", "127.0.0.1", "--port", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"Data folder: {tmp_path / 'data'}"
    if ended == "closed":
        exports = sorted((tmp_path / "data" / "exports").iterdir())
        assert [path.suffix for path in exports] == [".html", ".json", ".xlsx"]
        assert lines[1:-1] == [f"  {path}" for path in exports]
