"""The privacy threshold across sessions and in the room.

The case an organiser ran into: two oogstdialoog sessions in one data folder,
the second with one person who was not there as a professional. That
person's answer must not be readable from any export that spans sessions,
nor from the difference between such an export and a single session's.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from gsdialog.cli import main
from gsdialog import sessions
from gsdialog.core.session import Session
from gsdialog.store import Store
from gsdialog.core.loader import builtin_path, load_workshop

STEP, ITEM = "serieus-genomen", "serieus"
LONE = 1
"""The lone participant's answer: nobody else in either session gives it."""


async def oogstdialoog(store: Store, professionals: int, others: list[int]) -> Session:
    """A closed oogstdialoog in which everyone answered "Serieus genomen?"."""
    path = builtin_path("oogstdialoog")
    workshop = load_workshop(path)
    session, folder = sessions.create(store, workshop, path.read_text(encoding="utf-8"))
    phones = [(await session.join("professional"), 5) for _ in range(professionals)]
    phones += [(await session.join("parent"), value) for value in others]
    await session.go_to([step.id for step in workshop.steps].index(STEP))
    for token, value in phones:
        await session.answer(token, STEP, {ITEM: value})
    await session.close()
    await folder.stop()
    return session


@pytest.fixture
async def two_sessions(tmp_path: Path) -> tuple[Path, Session, Session]:
    store = Store(tmp_path)
    first = await oogstdialoog(store, 4, [4, 4, 5])
    second = await oogstdialoog(store, 4, [LONE])
    return tmp_path, first, second


def export(data: Path, fmt: str, *sessions: str, small: bool = False,
           capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    args = ["export", "--data", str(data), "--format", fmt, "--session", *sessions]
    assert main(args + (["--include-small-groups"] if small else [])) == 0
    return capsys.readouterr().out


def serieus_other(results: dict) -> dict:
    return results[STEP]["items"][ITEM]["groups"]["other"]


async def test_csv_over_all_sessions_has_no_row_of_the_lone_answer(
        two_sessions: tuple[Path, Session, Session], capsys: pytest.CaptureFixture[str]) -> None:
    data, first, second = two_sessions
    rows = list(csv.DictReader(io.StringIO(export(data, "csv", "all", capsys=capsys))))
    others = [row for row in rows if row["step"] == STEP and row["group"] == "other"]
    assert sorted(row["value"] for row in others) == ["4", "4", "5"]
    assert {row["session"] for row in others} == {first.id}
    assert not [row for row in rows if row["session"] == second.id and row["group"] == "other"]
    # The professionals of the second session were enough: their rows are there.
    assert len([row for row in rows if row["session"] == second.id and row["group"] == "professional"]) == 4


async def test_json_over_all_sessions_pools_only_what_each_session_could_show(
        two_sessions: tuple[Path, Session, Session], capsys: pytest.CaptureFixture[str]) -> None:
    data, first, second = two_sessions
    both = json.loads(export(data, "json", "all", capsys=capsys))
    alone = json.loads(export(data, "json", first.id, capsys=capsys))
    assert serieus_other(both["results"]) == serieus_other(alone["results"]) == {
        "n": 3, "enough": True, "mean": 13 / 3, "median": 4.0, "distribution": {"4": 2, "5": 1}}
    assert both["results"][STEP]["items"][ITEM]["groups"]["professional"]["n"] == 8
    assert not [r for r in both["responses"] if r["session"] == second.id and r["group"] == "other"]
    assert both["session"]["rows_left_out"] == 1 and both["session"]["small_groups_included"] is False
    # The same two sessions named by id, or the other way round, say the same.
    named = json.loads(export(data, "json", second.id, first.id, capsys=capsys))
    assert named["results"] == both["results"] and named["responses"] == both["responses"]


@pytest.mark.parametrize("fmt", ["html", "md"])
async def test_reports_over_all_sessions_show_the_figures_without_the_lone_answer(
        two_sessions: tuple[Path, Session, Session], capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    data, first, _ = two_sessions
    both = export(data, fmt, "all", capsys=capsys)
    alone = export(data, fmt, first.id, capsys=capsys)
    assert "4,3" in both and "4,3" in alone  # the others' mean, from the first session only
    assert "3,5" not in both and "3.5" not in both  # (4 + 4 + 5 + 1) / 4: the mean with the lone answer
    assert "n=4" not in both.replace(" ", "") and "n = 4" not in both
    assert "weggelaten" in both and "in die sessie" in both


async def test_small_groups_on_request_are_marked_in_every_format(
        two_sessions: tuple[Path, Session, Session], capsys: pytest.CaptureFixture[str]) -> None:
    data, _, second = two_sessions
    rows = list(csv.DictReader(io.StringIO(export(data, "csv", "all", small=True, capsys=capsys))))
    [lone] = [row for row in rows if row["session"] == second.id and row["group"] == "other"]
    assert lone["value"] == str(LONE) and lone["small_group"] == "yes"
    assert {row["small_group"] for row in rows if row is not lone} == {""}
    document = json.loads(export(data, "json", "all", small=True, capsys=capsys))
    assert document["session"]["small_groups_included"] is True
    [lone_json] = [r for r in document["responses"] if r["session"] == second.id and r["group"] == "other"]
    assert lone_json["small_group"] is True
    # The figures stay what each session could show; only the rows come back.
    assert serieus_other(document["results"])["n"] == 3
    for fmt in ("html", "md"):
        assert "Let op: ook antwoorden van groepen" in export(data, fmt, "all", small=True, capsys=capsys)


async def test_xlsx_over_all_sessions_has_neither_row_nor_figure_of_the_lone_answer(
        two_sessions: tuple[Path, Session, Session], capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    data, first, second = two_sessions

    def workbook(*flags: str) -> openpyxl.Workbook:
        out = data / "harvest.xlsx"
        assert main(["export", "--data", str(data), "--format", "xlsx", "--session", "all", "-o", str(out), *flags]) == 0
        return openpyxl.load_workbook(out)

    book = workbook()
    answers = [row for row in book["Antwoorden"].iter_rows(min_row=2, values_only=True)]
    others = [row for row in answers if row[2] == ITEM and row[3] == "other"]
    assert sorted(row[4] for row in others) == [4, 4, 5] and {row[0] for row in others} == {first.id}
    assert not [row for row in answers if row[0] == second.id and row[3] == "other"]
    [sheet] = [name for name in book.sheetnames if "Serieus genomen" in name]
    figures = {row[2]: row for row in book[sheet].iter_rows(min_row=2, values_only=True)}
    assert figures["Professionals"][3] == 8
    other = figures["Niet als professional"]
    assert other[3] == 3 and other[4] == pytest.approx(13 / 3) and other[5] == 4.0  # n, mean, median: the first session's
    numbers = [cell for row in book[sheet].iter_rows(values_only=True) for cell in row]
    assert 3.5 not in numbers  # (4 + 4 + 5 + 1) / 4: the mean with the lone answer
    # Asked for, the lone answer's row comes back marked; the figures stay what each session could show.
    book = workbook("--include-small-groups")
    [lone] = [row for row in book["Antwoorden"].iter_rows(min_row=2, values_only=True)
              if row[0] == second.id and row[3] == "other"]
    assert lone[4] == LONE and lone[6] == "ja"
    assert [row[3] for row in book[sheet].iter_rows(min_row=2, values_only=True)] == [8, 3]


async def test_compare_shows_no_figure_of_a_group_under_the_threshold(
        two_sessions: tuple[Path, Session, Session], capsys: pytest.CaptureFixture[str]) -> None:
    data, first, second = two_sessions
    capsys.readouterr()
    assert main(["export", "--data", str(data), "--compare", first.id, second.id, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    [other] = [m for m in document["items"] if m["step"] == STEP and m["group"] == "other"]
    assert other["before"] == pytest.approx(13 / 3) and other["after"] is None and other["change"] is None


# --- in the room ------------------------------------------------------------------------------

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from gsdialog.collector.app import make_app  # noqa: E402
from gsdialog.projector.app import ProjectorApp  # noqa: E402
from test_projector import answered, session_of, shown_when, wait_until  # noqa: E402


async def test_choice_results_on_the_projector_show_nothing_of_a_small_group() -> None:
    app = ProjectorApp(await session_of("oogstdialoog"), lang="nl")
    async with app.run_test(size=(100, 30)) as pilot:
        await answered(app, pilot, "oogst-themas", [("professional", {"choice": ["gezien"]})] * 3
                       + [("parent", {"choice": ["erkenning"]})] * 2)
        await pilot.press("r")
        text = await shown_when(app, pilot, "██████████")
        options = [line for line in text.splitlines() if "nog te weinig" in line]
        assert len(options) == 9, text  # one per option, in the others' column
        assert all(line.index("nog te weinig") > line.rindex("█") for line in options if "█" in line)
        assert "(n=2)" in text  # the count alone


async def test_the_word_wall_shows_a_group_s_words_only_from_the_threshold_on() -> None:
    app = ProjectorApp(await session_of("oogstdialoog"), lang="nl")
    async with app.run_test(size=(100, 30)) as pilot:
        await answered(app, pilot, "wat-maakte-het-goed", [("professional", {"words": ["tijd"]})] * 3
                       + [("parent", {"words": ["geheimwoord"]})] * 2)
        from gsdialog.projector.words_wall import WordsWall

        def on_the_wall() -> set[str]:
            return {entry.text for wall in app.query(WordsWall) for entry in wall.entries}

        text = await shown_when(app, pilot, "×3")
        assert on_the_wall() == {"tijd"}
        assert "Niet als professional 0" not in text  # no per-group count for a group under the threshold
        token = await app.session.join("client")
        await app.session.admit_late()  # a latecomer, let in by the facilitator (l)
        await app.session.answer(token, "wat-maakte-het-goed", {"words": ["geheimwoord"]})
        assert await wait_until(pilot, lambda: "geheimwoord" in on_the_wall())


async def test_a_word_on_the_wall_names_its_groups_only_when_each_gave_it_often_enough() -> None:
    """ "Naast mij staan ×1 · Niet als professional 1" told the room who wrote it."""
    from gsdialog.projector.words_wall import WordsWall

    app = ProjectorApp(await session_of("oogstdialoog"), lang="nl")
    async with app.run_test(size=(160, 45)) as pilot:
        await answered(app, pilot, "wat-maakte-het-goed",
                       [("professional", {"words": ["tijd"]})] * 3
                       + [("parent", {"words": ["tijd", "naast mij staan"]})]
                       + [("parent", {"words": ["tijd"]})] * 2
                       + [("professional", {"words": ["geduld"]})] * 3 + [("parent", {"words": ["geduld"]})])
        text = await shown_when(app, pilot, "×6")  # tijd
        wall = app.query_one(WordsWall)
        entries = {entry.key: entry for entry in wall.entries}
        assert {label for _, label, _ in entries["tijd"].per_group} == {"Professionals", "Niet als professional"}
        assert entries["naast mij staan"].per_group == ()  # one parent: no group
        assert entries["geduld"].per_group == ()  # 3 + 1: naming one group would give the other away
        assert "Niet als professional 1" not in text and "Professionals 3" in text


async def test_a_phone_shows_its_own_answer_and_nothing_of_the_others_after_the_reveal() -> None:
    session = await session_of("oogstdialoog")
    step = [s.id for s in session.workshop.steps].index("oogst-themas")
    async with TestClient(TestServer(make_app(session))) as professional, \
            TestClient(TestServer(make_app(session))) as parent:
        for client, role in ((professional, "professional"), (parent, "parent")):
            assert (await client.post(f"/{session.code}/role", data={"role": role})).status == 200
        await session.go_to(step)
        await professional.post(f"/{session.code}/answer", data={"step": "oogst-themas", "option": "gezien"})
        await parent.post(f"/{session.code}/answer", data={"step": "oogst-themas", "option": "erkenning"})
        await session.show_results()
        page = await (await professional.get(f"/{session.code}")).text()
        assert "De uitkomsten staan op het scherm." in page and "Gezien worden" in page
        assert "Erkenning" not in page and "<form" not in page
        refused = await parent.post(f"/{session.code}/answer", data={"step": "oogst-themas", "option": "gezien"})
        assert refused.status == 409 and "De uitkomsten staan al op het scherm." in await refused.text()
        assert session.answer_counts("oogst-themas") == {"professional": 1, "other": 1}
        assert session.answer_of(next(iter(session.roles)), "oogst-themas") == {"choice": ["gezien"]}


async def test_the_facilitator_s_notes_reach_neither_the_projector_nor_a_phone(example_source: str) -> None:
    from gsdialog.core.journal import MemoryJournal as Journal
    from gsdialog.core.loader import parse_workshop
    secret = "ALLEEN-VOOR-DE-BEGELEIDER"
    source = example_source.replace('id = "gehoord"\n', f'id = "gehoord"\nnotes.nl = "{secret}"\nnotes.en = "{secret}"\n', 1)
    workshop = parse_workshop(source)
    assert workshop.step("gehoord").notes is not None
    session = await Session.new(workshop, Journal(), session_id="s", code="ACE34", created="2026-11-28", source="")
    await session.go_to([s.id for s in workshop.steps].index("gehoord"))
    app = ProjectorApp(session, lang="nl")
    async with app.run_test(size=(160, 45)) as pilot:
        text = await shown_when(app, pilot, workshop.step("gehoord").title.get("nl"))
        assert secret not in text
    async with TestClient(TestServer(make_app(session))) as phone:
        await phone.post(f"/{session.code}/role", data={"role": "parent"})
        assert secret not in await (await phone.get(f"/{session.code}")).text()
