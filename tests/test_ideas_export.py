"""The ideas step in every export (HTML, Markdown, CSV, JSON, xlsx): votes per group under
the threshold, hidden ideas left out, merged ones together, participant text as text."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from gsdialog.core.ideas import IDEA_ITEM, VOTES_ITEM
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.loader import load_workshop
from gsdialog.core.session import Session
from gsdialog.export.write import export_bytes, export_text

DATA = Path(__file__).parent / "data"
STEP = "wat-werkt"
HOSTILE = "<script>alert(1)</script> [b]vet[/b] =1+1 \u202etxet\u202c " + "z" * 60
SECRET = "Geheim idee van de voorzitter"


async def voted(others_voting: int) -> tuple[Session, dict[str, str]]:
    """Four professionals and three parents gather ideas; one is hidden, two merged; all
    professionals vote and `others_voting` parents."""
    workshop = load_workshop(DATA / "ideas.toml")
    session = await Session.new(workshop, MemoryJournal(), session_id="s1", code="ACE34", created="2026-12-03",
                                source="", threshold=3)
    await session.go_to(1)
    pros = [await session.join("professional") for _ in range(4)]
    others = [await session.join("parent") for _ in range(3)]
    ids = {}
    for token, text in zip(pros + others, ("Luisteren", "Echt luisteren", HOSTILE, SECRET, "Op tijd bellen",
                                           "Samen beslissen", "Eerlijk zijn"), strict=True):
        stored = await session.answer(token, STEP, {IDEA_ITEM: {"new": text}})
        ids[text] = next(iter(stored[IDEA_ITEM]))
    await session.hide_word(STEP, ids[SECRET])
    await session.next_stage()
    for token in pros:
        await session.answer(token, STEP, {VOTES_ITEM: [ids["Luisteren"], ids["Echt luisteren"], ids[HOSTILE]]
                                           if token == pros[0] else [ids["Luisteren"], ids["Samen beslissen"]]})
    await session.merge_ideas(STEP, ids["Echt luisteren"], ids["Luisteren"])  # while voting
    for token in others[:others_voting]:
        await session.answer(token, STEP, {VOTES_ITEM: [ids["Op tijd bellen"], ids["Eerlijk zijn"]]})
    await session.show_results()
    return session, ids


@pytest.mark.parametrize("others_voting", [3, 2])
async def test_every_format_lists_the_ranking_under_the_threshold(others_voting: int) -> None:
    session, ids = await voted(others_voting)
    split = others_voting >= 3
    data = json.loads(export_text([session], "json", "nl"))
    result = data["results"][STEP]
    assert result["split"] is split
    ranked = {idea["texts"][0]: idea for idea in result["ideas"]}
    assert ranked["Luisteren"]["texts"] == ["Luisteren", "Echt luisteren"]
    assert ranked["Luisteren"]["total"] == 4, "the first phone's votes for both merged ideas count once"
    assert SECRET not in json.dumps(data, ensure_ascii=False), "a hidden idea is left out"
    assert result["ideas"][0]["texts"][0] == "Luisteren"
    if split:
        assert ranked["Luisteren"]["votes"] == {"professional": 4, "other": 0}
        assert ranked["Op tijd bellen"]["votes"] == {"professional": 0, "other": 3}
        assert ranked["Luisteren"]["apart"] and ranked["Op tijd bellen"]["apart"]
    else:
        assert all("votes" not in idea for idea in result["ideas"])
        assert ranked["Op tijd bellen"]["total"] == 2

    rows = list(csv.DictReader(io.StringIO(export_text([session], "csv", "nl"))))
    mine = [row for row in rows if row["step"] == STEP]
    assert SECRET not in str(mine)
    assert all(row["group"] == "" for row in mine if row["text"]), "an idea one phone gave never carries its group"
    assert {row["item"] for row in mine if row["text"] == "Echt luisteren"} == {ids["Luisteren"]}
    votes = [row for row in mine if row["group"] == "other" and row["value"]]
    assert (len(votes) == 2 * others_voting) is split and (votes == []) is not split, \
        "a group under the threshold has no vote rows"
    assert any(row["text"].startswith("'") or row["text"].startswith("<script>") for row in mine if "alert" in row["text"])

    markdown = export_text([session], "md", "nl")
    part = markdown[markdown.index("Wat maakt samenwerken gelijkwaardig?"):]
    assert "Luisteren / Echt luisteren" in part and SECRET not in markdown
    assert ("◆" in part) is split
    assert ("(n = 3)" in part) is split
    assert "\\<script\\>" in part or "&lt;script&gt;" in part

    page = export_text([session], "html", "nl")
    assert SECRET not in page and "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count('class="idea-text merged"') == 1
    assert ('title="Ouders"' in page) is split

    book = openpyxl.load_workbook(io.BytesIO(export_bytes([session], "xlsx", "nl")))
    sheet = next(book[name] for name in book.sheetnames if name.startswith("2"))
    cells = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    flat = [str(cell) for row in cells for cell in row if cell is not None]
    assert "Luisteren / Echt luisteren" in flat and SECRET not in " ".join(flat)
    assert any(HOSTILE.replace("\u202e", "").replace("\u202c", "") in cell or "alert(1)" in cell for cell in flat)
    assert any("Ouders" in cell for cell in flat) is split


async def test_ideas_gathered_without_a_vote_are_still_in_the_report() -> None:
    """The room ran out of time before the vote: the report still lists what it gathered."""
    workshop = load_workshop(DATA / "ideas.toml")
    session = await Session.new(workshop, MemoryJournal(), session_id="s1", code="ACE34", created="2026-12-03",
                                source="", threshold=3)
    await session.go_to(1)
    phones = [await session.join("parent") for _ in range(2)]
    for token, text in zip(phones, ("Op tijd bellen", "Samen beslissen"), strict=True):
        await session.answer(token, STEP, {IDEA_ITEM: {"new": text}})
    md = export_text([session], "md", "nl")
    html = export_text([session], "html", "nl")
    for text in ("Op tijd bellen", "Samen beslissen"):
        assert text in md and text in html
