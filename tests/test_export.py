"""The harvest: HTML and Markdown reports, CSV and JSON data, from one or more sessions."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from gsdialog.cli import main
from gsdialog.export.data import to_csv, to_json
from gsdialog.export.escape import md_text, neutralise
from gsdialog.export.render import to_html, to_markdown
from gsdialog.export.report import ExportError, harvest
from gsdialog import sessions
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.session import Session
from gsdialog.store import Store
from gsdialog.core.workshop import Workshop

DATA = Path(__file__).parent / "data"
HOSTILE = ["<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "+31 6", "@SUM(A1)", "[/]", "*vet* | x"]


async def filled(workshop: Workshop, *, professionals: int = 4, others: int = 4, session_id: str = "s1",
                 journal: object | None = None) -> Session:
    """The example workshop answered by a room: professionals high, the others low."""
    session = await Session.new(workshop, journal or MemoryJournal(), session_id=session_id, code="ACE34",
                                created="2026-11-23T14:00:00+01:00", source="", threshold=3)
    phones = [(await session.join("professional"), True) for _ in range(professionals)]
    phones += [(await session.join("parent"), False) for _ in range(others)]
    for index, step in enumerate(workshop.steps):
        await session.go_to(index)
        for number, (token, professional) in enumerate(phones):
            if step.kind == "rating":
                await session.answer(token, step.id, {"luisteren": 5 if professional else 2})
            elif step.kind == "evaluation":
                await session.answer(token, step.id, {"totaal": 8 if professional else 6})
            elif step.kind == "choice":
                await session.answer(token, step.id, {"choice": ["tijd"] if professional else ["doorvragen"]})
            elif step.kind == "words":
                await session.answer(token, step.id, {"words": [HOSTILE[number % len(HOSTILE)], "tijd"]})
    return session


async def test_html_is_self_contained_with_charts_and_escaped_text(example: Workshop) -> None:
    html = to_html(harvest([await filled(example)]), "nl")
    assert html.startswith("<!doctype html>") and '<html lang="nl">' in html
    assert "<svg" in html and "<rect" in html  # the charts are inline
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        "HYPERLINK(&#34;http://x&#34;)", "")
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert ("Neem zomaar een professional en zomaar iemand anders. "
            "In 10 van de 10 keer geeft de professional het hogere cijfer.") in html
    assert "blinde vlek" in html and "Netwerk Beter Samen" in html
    assert "Niemand gaf een naam." in html


async def test_html_in_english(example: Workshop) -> None:
    html = to_html(harvest([await filled(example)]), "en")
    assert '<html lang="en">' in html and ("Take any professional and anyone else. "
                                           "In 10 out of 10 cases, the professional gives the higher score.") in html


async def test_a_group_under_the_threshold_shows_no_numbers_anywhere(example: Workshop) -> None:
    found = harvest([await filled(example, professionals=4, others=2)])
    html, md = to_html(found, "nl"), to_markdown(found, "nl")
    assert "nog te weinig antwoorden" in html and "nog te weinig antwoorden" in md
    assert "2.0" not in md  # the others' mean (2) is nowhere
    data = json.loads(to_json(found))
    other = data["results"]["gehoord"]["items"]["luisteren"]["groups"]["other"]
    assert other == {"n": 2, "enough": False}
    assert "gap" not in data["results"]["gehoord"]["items"]["luisteren"]
    assert all(row["group"] == "professional" or (row["group"] == "" and "text" in row) for row in data["responses"])
    assert data["session"]["rows_left_out"] > 0
    assert "weggelaten" in html


async def test_small_groups_only_on_request(example: Workshop) -> None:
    found = harvest([await filled(example, professionals=4, others=2)], include_small_groups=True)
    assert {row["group"] for row in found.rows} - {""} == {"professional", "other"}
    assert "Let op: ook antwoorden van groepen met minder dan 3" in to_html(found, "nl")


async def test_csv_has_one_row_per_answer_and_no_formulas(example: Workshop) -> None:
    session = await filled(example)
    text = to_csv(harvest([session]))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["session", "step", "item", "group", "value", "text"]
    ratings = [r for r in rows if r["step"] == "gehoord"]
    assert len(ratings) == 8 and {r["value"] for r in ratings} == {"5", "2"}
    words = [r["text"] for r in rows if r["step"] == "woorden"]
    assert "'=HYPERLINK(\"http://x\")" in words and "'+31 6" in words and "'@SUM(A1)" in words
    assert not any(w.startswith(("=", "+", "-", "@")) for w in words)
    assert not any(token in text for token in session.roles)


def test_neutralise() -> None:
    assert [neutralise(x) for x in ("=1", "+1", "-1", "@a", "\tx", "\rx", "ok", "")] == [
        "'=1", "'+1", "'-1", "'@a", "'\tx", "'\rx", "ok", ""]


async def test_json_schema(example: Workshop) -> None:
    session = await filled(example)
    data = json.loads(to_json(harvest([session])))
    assert list(data) == ["format", "version", "workshop", "session", "responses", "results"]
    assert data["workshop"]["id"] == "korte-check"
    assert data["session"]["ids"] == ["s1"] and data["session"]["threshold"] == 3
    assert {tuple(sorted(r)) for r in data["responses"]} <= {
        ("group", "item", "session", "step", "value"), ("group", "item", "session", "step", "text")}
    item = data["results"]["gehoord"]["items"]["luisteren"]
    assert item["groups"]["professional"] == {"n": 4, "enough": True, "mean": 5.0, "median": 5.0,
                                              "distribution": {"5": 4}}
    assert item["gap"]["out_of_ten"] == 10 and item["gap"]["blind_spot"] is True
    assert data["results"]["wat-helpt"]["groups"]["other"]["options"] == {"tijd": 0, "doorvragen": 4}
    assert not any(token in json.dumps(data) for token in session.roles)


async def test_markdown_shows_participant_text_literally(example: Workshop) -> None:
    md = to_markdown(harvest([await filled(example)]), "nl")
    assert "&lt;script&gt;" in md and "\\*vet\\* \\| x" in md and "\\[/\\]" in md
    assert "| 1 | Professionals: ‘Ik luister zonder oordeel.’ / Ouders: ‘De professional luistert zonder oordeel.’ |" in md


def test_md_text() -> None:
    assert md_text("- lijst") == "\\- lijst" and md_text("1. een") == "1\\. een"
    assert md_text("a <b> & c") == "a &lt;b&gt; &amp; c"


async def test_several_sessions_in_one_report(example: Workshop) -> None:
    first = await filled(example, session_id="s1")
    second = await filled(example, session_id="s2", professionals=3, others=5)
    found = harvest([first, second])
    assert found.participants == {"professional": 7, "other": 9}
    [result] = found.steps[2].result
    assert result.groups["professional"].n == 7 and result.groups["other"].n == 9
    assert {row["session"] for row in found.rows} == {"s1", "s2"}


async def test_sessions_of_different_workshops_are_refused(example: Workshop) -> None:
    from gsdialog.core.loader import builtin_path, load_workshop

    other = await Session.new(load_workshop(builtin_path("twaalf-vragen")), MemoryJournal(), session_id="s9",
                              code="XXXXX", created="", source="")
    with pytest.raises(ExportError, match="different workshops"):
        harvest([await filled(example), other])


# --- the commands -----------------------------------------------------------------------------


async def closed_room(tmp_path: Path, example: Workshop, example_source: str) -> Session:
    store = Store(tmp_path)
    session, folder = sessions.create(store, example, example_source)
    phones = [(await session.join("professional"), True) for _ in range(3)]
    phones += [(await session.join("parent"), False) for _ in range(3)]
    await session.go_to(2)
    for token, professional in phones:
        await session.answer(token, "gehoord", {"luisteren": 4 if professional else 1})
    await session.close()
    await folder.stop()
    return session


async def test_gsdialog_export_writes_each_format(tmp_path: Path, example: Workshop, example_source: str) -> None:
    """Each format read back as its reader would: the six answers of the closed room."""
    session = await closed_room(tmp_path, example, example_source)

    def exported(fmt: str) -> str:
        out = tmp_path / f"harvest.{fmt}"
        assert main(["export", "--data", str(tmp_path), "--format", fmt, "-o", str(out)]) == 0
        return out.read_text(encoding="utf-8")

    rows = list(csv.DictReader(io.StringIO(exported("csv"))))
    assert sorted((r["session"], r["step"], r["item"], r["group"], r["value"], r["text"]) for r in rows) == (
        [(session.id, "gehoord", "luisteren", "other", "1", "")] * 3
        + [(session.id, "gehoord", "luisteren", "professional", "4", "")] * 3)
    data = json.loads(exported("json"))
    assert data["session"]["ids"] == [session.id] and data["session"]["participants"] == {"professional": 3, "other": 3}
    assert sorted((r["group"], r["value"]) for r in data["responses"]) == [("other", 1)] * 3 + [("professional", 4)] * 3
    item = data["results"]["gehoord"]["items"]["luisteren"]
    assert item["groups"]["other"]["mean"] == 1.0 and item["groups"]["professional"]["mean"] == 4.0
    assert item["gap"]["difference"] == 3.0
    for fmt in ("html", "md"):
        report = exported(fmt)
        assert "Korte check" in report and session.code in report
        assert "De professional luistert zonder oordeel." in report and "+3,0" in report and "+3.0" not in report


async def test_gsdialog_export_to_standard_output_and_errors(tmp_path: Path, example: Workshop,
                                                             example_source: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--data", str(tmp_path), "--format", "json"]) == 1
    assert "there are no sessions" in capsys.readouterr().err
    session = await closed_room(tmp_path, example, example_source)
    assert main(["export", "--data", str(tmp_path), "--format", "json", "--session", session.id]) == 0
    assert json.loads(capsys.readouterr().out)["session"]["ids"] == [session.id]
    assert main(["export", "--data", str(tmp_path), "--session", "nope"]) == 1
    assert "no session nope" in capsys.readouterr().err


async def test_gsdialog_sessions_lists_them(tmp_path: Path, example: Workshop, example_source: str) -> None:
    session = await closed_room(tmp_path, example, example_source)
    result = subprocess.run([sys.executable, "-m", "gsdialog", "sessions", "--data", str(tmp_path)],
                            capture_output=True, text=True, check=True)
    [line] = [line for line in result.stdout.splitlines() if session.id in line]
    assert "korte-check" in line and "professional=3 other=3" in line and line.endswith("closed")


async def test_compare_shows_how_each_group_moved(example: Workshop) -> None:
    from gsdialog.export.report import compare
    from gsdialog.export.write import compare_text

    before = await filled(example, session_id="s1")
    after = await filled(example, session_id="s2", professionals=4, others=2)
    movements = {(m.step, m.group): m for m in compare(before, after).movements}
    assert movements["gehoord", "professional"].change == 0.0
    assert movements["gehoord", "other"].before == 2.0 and movements["gehoord", "other"].after is None
    assert movements["gehoord", "other"].change is None  # under the threshold afterwards: no change shown
    md = compare_text(before, after, "md", "nl")
    assert "| De professional luistert zonder oordeel. | Ouders | 2,0 | nog te weinig antwoorden |" in md
    data = json.loads(compare_text(before, after, "json", "nl"))
    assert data["before"] == "s1" and data["after"] == "s2"
    assert "<table>" in compare_text(before, after, "html", "en")


async def test_compare_on_the_command_line(tmp_path: Path, example: Workshop, example_source: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    first = await closed_room(tmp_path, example, example_source)
    second = await closed_room(tmp_path, example, example_source)
    assert main(["export", "--data", str(tmp_path), "--compare", first.id, second.id, "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("step,item,group,before,after,change") and "gehoord,luisteren,other,1.0,1.0,0.0" in out


async def test_the_report_opens_each_rating_step_with_its_overview_and_folds_unanswered_steps() -> None:
    import re

    from gsdialog.core.loader import builtin_path, load_workshop

    workshop = load_workshop(builtin_path("twaalf-vragen"))
    session = await Session.new(workshop, MemoryJournal(), session_id="s1", code="ACE34", created="2026-11-28",
                                source="", threshold=3)
    step = workshop.step("twaalf-vragen")
    phones = [(await session.join(role), role) for role in ["professional"] * 3 + ["parent"] * 3]
    await session.go_to([s.id for s in workshop.steps].index("twaalf-vragen"))
    for token, role in phones:  # item n: professionals 5, the others 5 - n % 4: gaps 0, 1, 2, 3
        await session.answer(token, step.id, {item.id: 5 if role == "professional" else 5 - n % 4
                                              for n, item in enumerate(step.items)})
    html = to_html(harvest([session]), "nl")
    chart = html[html.index('class="dots"'):]
    chart = chart[:chart.index('class="scale-key"')]
    labels = re.findall(r'class="dot-label">(\d+)\. ([^<]+)</span>', chart)
    assert len(labels) == 12 and {label for _, label in labels} == {item.short.get("nl") for item in step.items}
    gaps = [float(g.replace(",", ".")) for g in re.findall(r'class="dot-gap">([+-][0-9,]+)', chart)]
    assert gaps == sorted(gaps, reverse=True) and gaps[0] == 3.0
    assert chart.count("▲</span>") == 12 and chart.count("●</span>") == 12
    assert html.index('class="dots"') < html.index("‘Professionals laten me merken")
    [words] = [s for s in workshop.steps if s.kind == "words"]  # nobody answered it: one line, no section
    assert f"Niemand gaf antwoord bij: {words.title.get('nl')}." in html
    assert f"<h2>{words.title.get('nl')}</h2>" not in html
    assert "@page { size: A4" in html and "break-inside: avoid" in html
    assert "break-before" not in html  # the sections flow, one after the other


async def test_a_word_carries_its_group_only_where_enough_of_that_group_gave_it(example: Workshop) -> None:
    """DESIGN: a single entry never carries its group when fewer than K of that group gave it.
    "vertrouwen" from one parent, listed under the parents, told the room who wrote it."""
    session = await Session.new(example, MemoryJournal(), session_id="s1", code="ACE34",
                                created="2026-11-23T14:00:00+01:00", source="", threshold=3)
    pros = [await session.join("professional") for _ in range(4)]
    parents = [await session.join("parent") for _ in range(4)]
    step = next(n for n, s in enumerate(example.steps) if s.kind == "words")
    await session.go_to(step)
    for token in pros:
        await session.answer(token, example.steps[step].id, {"words": ["tijd"]})
    for n, token in enumerate(parents):
        await session.answer(token, example.steps[step].id, {"words": ["Tijd", "vertrouwen"] if n == 0 else ["tijd"]})
    found = harvest([session])
    rows = [r for r in found.rows if r["step"] == example.steps[step].id]
    assert {r["group"] for r in rows if r["text"].casefold() == "tijd"} == {"professional", "other"}
    assert [r["group"] for r in rows if r["text"] == "vertrouwen"] == [""]
    data = json.loads(to_json(found))
    words = data["results"][example.steps[step].id]["words"]
    assert {"text": "vertrouwen", "count": 1, "groups": {}} in words
    assert {"text": "tijd", "count": 8, "groups": {"professional": 4, "other": 4}} in words
    csv_rows = list(csv.DictReader(io.StringIO(to_csv(found))))
    assert [r["group"] for r in csv_rows if r["text"] == "vertrouwen"] == [""]
    html, md = to_html(found, "nl"), to_markdown(found, "nl")
    assert "- vertrouwen\n" in md and "- tijd ×8 (▲ 4 · ● 4)" in md
    assert "<li>vertrouwen</li>" in html
