"""The projector app, driven with Textual's Pilot as a facilitator would."""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.app import ScreenStackError
from textual.pilot import Pilot
from textual.widgets import Static

from gsdialog.core.i18n import t
from gsdialog.projector.app import ProjectorApp
from gsdialog.projector.dialogs import HelpScreen, QuitScreen
from gsdialog.projector.screens import big
from gsdialog.projector.step_view import StepView
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.kinds import kind_of
from gsdialog.core.session import CLOSED, OPEN, Session
from gsdialog.core.loader import builtin_path, load_workshop


async def session_of(name: str) -> Session:
    return await Session.new(load_workshop(builtin_path(name)), MemoryJournal(), session_id="s", code="ACE34",
                             created="2026-11-23", source="")


@pytest.fixture
async def app() -> ProjectorApp:
    return ProjectorApp(await session_of("oogstdialoog"), lang="nl")


async def go(app: ProjectorApp, index: int) -> None:
    await app.session.go_to(index)


async def wait_until(pilot: Pilot[str], condition: Callable[[], object], timeout: float = 10) -> bool:
    """Let the app run until `condition()` holds, or `timeout` seconds have passed;
    whether it holds. The screen changes a moment after what it shows (a step is
    recomposed, the live numbers are redrawn ten times a second, an exit takes a
    turn), and a busy machine makes that moment longer: the tests wait for what
    they look for instead of a fixed time, then assert as before."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        try:
            await pilot.pause(0.02)
        except ScreenStackError:  # the app exited during the pause: nothing left to draw
            await asyncio.sleep(0.02)
    return True


async def answer_quit(pilot: Pilot[str], key: str) -> None:
    """Press q, and `key` once the question is on the screen: a key typed before
    the dialog is up goes to the screen below it, as it would for a person."""
    await pilot.press("q")
    assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, QuitScreen))
    await pilot.press(key)


async def shown_when(app: ProjectorApp, pilot: Pilot[str], needle: str, seconds: float = 10) -> str:
    """The screen's text once `needle` is on it."""
    if not await wait_until(pilot, lambda: needle in shown_text(app), seconds):
        raise AssertionError(f"{needle!r} never appeared on:\n{shown_text(app)}")
    return shown_text(app)


def shown_text(app: ProjectorApp) -> str:
    """The screen's text, as the room sees it."""
    svg = app.export_screenshot()
    lines: dict[str, list[str]] = {}
    for y, text in re.findall(r'<text[^>]* y="([0-9.]+)"[^>]*>([^<]*)</text>', svg):
        lines.setdefault(y, []).append(html.unescape(text).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(lines.items(), key=lambda kv: float(kv[0])))


async def test_clicker_keys_walk_forward_and_back(app: ProjectorApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.step_index == 0
        await pilot.press("pagedown", "pagedown", "right", "space")
        assert app.step_index == 4
        assert app.sub_title == f"stap 5 van {len(app.workshop.steps)}"
        await pilot.press("pageup", "left")
        assert app.step_index == 2
        assert app.query_one(StepView).step == app.workshop.steps[2]
        assert app.session.states[app.workshop.steps[2].id] == OPEN
        assert app.session.states[app.workshop.steps[3].id] == CLOSED


async def test_pagedown_steps_even_when_the_step_is_long(app: ProjectorApp) -> None:
    """The twelve questions do not fit at 100x30; PageDown must still step."""
    index = [step.id for step in app.workshop.steps].index("twaalf-vragen")
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, index)
        await shown_when(app, pilot, app.workshop.steps[index].title.get("nl"))
        await pilot.press("pagedown")
        assert app.step_index == index + 1


async def test_the_step_shows_its_title_text_and_per_group_statements(app: ProjectorApp) -> None:
    index = [step.id for step in app.workshop.steps].index("serieus-genomen")
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, index)
        step = app.workshop.steps[index]
        text = await shown_when(app, pilot, step.title.get("nl"))
        assert step.items[0].text.get("nl", "other") in text
        assert step.prompt is not None
        for group in ("professional", "other"):
            assert step.prompt.get("nl", group) in text


async def test_the_ends_of_the_workshop_stay_put(app: ProjectorApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("pageup")
        assert app.step_index == 0
        last = len(app.workshop.steps) - 1
        await go(app, last)
        await pilot.press("pagedown")
        assert app.step_index == last


async def test_quit_asks_first_and_y_ends_the_session(app: ProjectorApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("q")
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("n")
        assert not isinstance(app.screen, QuitScreen) and app.is_running
        await pilot.press("pagedown")
        assert app.step_index == 1
        await answer_quit(pilot, "y")
        await wait_until(pilot, lambda: not app.is_running)
        assert not app.is_running
    assert app.return_value == "closed" and app.session.closed


async def test_enter_confirms_quitting(app: ProjectorApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("q", "enter")
        await wait_until(pilot, lambda: not app.is_running)
        assert not app.is_running
    assert app.session.closed


async def test_pause_leaves_the_session_open_to_resume(app: ProjectorApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("pagedown")
        await answer_quit(pilot, "p")
        await wait_until(pilot, lambda: not app.is_running)
        assert not app.is_running
    assert app.return_value == "paused" and not app.session.closed and app.session.step_index == 1
    assert app.session.since is None  # the time away is not counted against the plan
    again = ProjectorApp(app.session, lang="nl")
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.session.since is not None  # counting again from the restart


async def test_help_lists_the_keys_and_any_key_closes_it() -> None:
    app = ProjectorApp(await session_of("twaalf-vragen"), lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert "PageDown" in text and "previous step" in text
        await pilot.press("x")
        assert not isinstance(app.screen, HelpScreen)
        assert app.step_index == 0


def test_both_languages_have_the_same_strings() -> None:
    from gsdialog.core import catalogs

    assert catalogs.catalog("nl").strings.keys() == catalogs.catalog("en").strings.keys()


# --- the keys of issue 5 ------------------------------------------------------------------

from gsdialog.projector.screens import BlankScreen, JoinScreen, TooSmallScreen  # noqa: E402
from gsdialog.projector.timer import PairsTimer  # noqa: E402
from gsdialog.projector.words_wall import WordsWall  # noqa: E402
from gsdialog.core.session import RESULTS, AnswerError  # noqa: E402


async def answered(app: ProjectorApp, pilot: Pilot[str], step_id: str,
                   answers: list[tuple[str, dict[str, object]]]) -> None:
    """Go to the step, wait until it is drawn, then let phones answer it.

    Drawn first: a redraw that comes after the step changed but before its
    widgets are mounted loses the counts until the next answer (see
    test_end_to_end.py, test_a_redraw_while_the_step_is_recomposed_loses_no_counts);
    a busy machine hit that here."""
    index = [s.id for s in app.workshop.steps].index(step_id)
    await go(app, index)
    await shown_when(app, pilot, app.workshop.steps[index].title.get("nl"))
    # Every phone in before the first answer: a phone that joins later waits for the next step.
    tokens = [await app.session.join(role) for role, _ in answers]
    for token, (_, values) in zip(tokens, answers, strict=True):
        await app.session.answer(token, step_id, values)


async def test_r_reveals_the_results_and_late_answers_change_nothing(app: ProjectorApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await answered(app, pilot, "serieus-genomen", [("professional", {"serieus": 5})] * 3 + [("parent", {"serieus": 1})] * 2)
        await wait_until(pilot, lambda: all(counts in shown_text(app)
                                            for counts in ("Professionals: 3", "Niet als professional: 2")))
        text = shown_text(app)
        assert "Professionals: 3" in text and "Niet als professional: 2" in text
        assert "4,0" not in text and "5,0" not in text  # no numbers before r
        await pilot.press("r")
        await wait_until(pilot, lambda: app.session.step_state == RESULTS
                         and all(shown in shown_text(app) for shown in ("(n=3)", "nog te weinig"))
                         and f"PgDn {t('nl', 'next_step')}" in shown_text(app))  # the key bar settled too
        assert app.session.step_state == RESULTS
        text = shown_text(app)
        from gsdialog.projector.screens import big

        assert big("5,0").splitlines()[0].strip() in text and "nog te weinig" in text  # the other group is under 3
        token = await app.session.join("client")
        with pytest.raises(AnswerError, match="results_shown"):
            await app.session.answer(token, "serieus-genomen", {"serieus": 2})
        # Nothing to wait for but a redraw after the refusal: the new phone in the status line.
        await wait_until(pilot, lambda: "Niet als professional 3" in str(app.status.render()))
        # The step's part of the screen, without the clock and the status line's join counts.
        assert shown_text(app).splitlines()[1:-3] == text.splitlines()[1:-3]


async def test_s_sorts_by_gap(app: ProjectorApp) -> None:
    items = [item.id for item in app.workshop.step("twaalf-vragen").items]
    pro = {item: 5 for item in items}
    other = {item: (1 if item == items[-1] else 4) for item in items}
    async with app.run_test(size=(160, 45)) as pilot:
        await answered(app, pilot, "twaalf-vragen", [("professional", pro)] * 3 + [("parent", other)] * 3)
        await pilot.press("r", "s")

        def shown_rows() -> list[str]:
            return [line.strip() for line in shown_text(app).splitlines() if line.strip()[:2].strip().isdigit()]

        await wait_until(pilot, lambda: shown_rows()[:1] and shown_rows()[0].startswith("12"))
        assert app.sort_by_gap
        rows = shown_rows()
        assert rows[0].startswith("12")
        await pilot.press("s")
        assert not app.sort_by_gap


async def test_t_runs_the_round_timer_and_signals_the_end(app: ProjectorApp) -> None:
    later = [0.0]
    app.session.clock = lambda: time.time() + later[0]
    said: list[str] = []
    app.notify = lambda message, **kw: said.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, [s.id for s in app.workshop.steps].index("goede-ervaring"))
        await wait_until(pilot, lambda: app.query(PairsTimer))
        timer = app.query_one(PairsTimer)
        await pilot.press("t")
        assert await wait_until(pilot, lambda: timer.running and timer.has_class("-running"))
        await pilot.press("t")
        assert await wait_until(pilot, lambda: not timer.running)
        assert app.session.countdown(app.session.step.id).running is False
        await pilot.press("t")
        later[0] = timer.countdown.remaining(time.time()) + 1  # the round runs out now
        assert await wait_until(pilot, lambda: timer.done and timer.has_class("-done"))
        assert not timer.running
        # The room sees "Wissel om" in the timer; the facilitator what PageDown does next;
        # no pop-up covers the join address on the status line.
        text = await shown_when(app, pilot, t("nl", "next_round", n=2))
        assert "██" in text and not said
        assert big(t("nl", "switch")).split("\n")[0].strip() in text
        await pilot.press("t")
        assert await wait_until(pilot, lambda: timer.round_index == 1 and timer.running)


@pytest.mark.parametrize("size", [(100, 30), (160, 45)])
async def test_a_clicker_alone_runs_a_pairs_step_round_by_round(app: ProjectorApp, size: tuple[int, int]) -> None:
    """PageDown starts the round, stops one that runs, starts the next once time is up,
    and moves on after the last; the room never reads which key to press. "Wissel om"
    fits (the join code beside it pushed it below the edge: PageDown scrolled first)."""
    later = [0.0]
    app.session.clock = lambda: time.time() + later[0]
    app.join_url = URL
    steps = [s.id for s in app.workshop.steps]
    async with app.run_test(size=size) as pilot:
        await go(app, steps.index("goede-ervaring"))
        await wait_until(pilot, lambda: app.query(PairsTimer))
        timer = app.query_one(PairsTimer)
        await shown_when(app, pilot, t("nl", "next_timer_start"))
        await pilot.press("pagedown")
        assert await wait_until(pilot, lambda: timer.running)
        assert app.session.step.id == "goede-ervaring"
        await shown_when(app, pilot, t("nl", "next_timer_end"))
        later[0] = timer.countdown.remaining(time.time()) + 1  # round 1 runs out
        assert await wait_until(pilot, lambda: timer.done)
        await shown_when(app, pilot, t("nl", "next_round", n=2))
        clock = timer.query_one("#clock", Static)
        assert max(len(line) for line in str(clock.render()).splitlines()) <= clock.content_size.width
        await pilot.press("pagedown")
        assert await wait_until(pilot, lambda: timer.round_index == 1 and timer.running)
        await pilot.press("pagedown")  # stops round 2 early: its time is up now
        assert await wait_until(pilot, lambda: timer.done)
        text = await shown_when(app, pilot, t("nl", "next_step"))
        assert t("nl", "time_up_last") in text
        for hint in ("Druk op", "om de tijd te starten", "om te pauzeren"):
            assert hint not in text.split(t("nl", "join_at"))[0]
        await pilot.press("pagedown")
        assert await wait_until(pilot, lambda: app.session.step.id == steps[steps.index("goede-ervaring") + 1])
        await pilot.press("pageup")
        assert await wait_until(pilot, lambda: app.session.step.id == "goede-ervaring")


async def test_x_hides_the_chosen_word(app: ProjectorApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        words = [("parent", {"words": ["[@click=app.quit]klik[/]", "tijd"]})] * 3
        await answered(app, pilot, "wat-maakte-het-goed", words + [("professional", {"words": ["tijd"]})] * 3)

        def words_shown() -> list[str]:
            return [entry.text for w in app.query(WordsWall) for entry in w.entries]

        await wait_until(pilot, lambda: app.query(WordsWall) and app.query_one(WordsWall).has_focus
                         and any("[@click=app.quit]klik[/]" in p for p in words_shown()))
        wall = app.query_one(WordsWall)
        assert wall.has_focus
        assert "[@click=app.quit]klik[/]" in shown_text(app)
        for _ in range(3):
            if wall.highlighted_word == "[@click=app.quit]klik[/]":
                break
            await pilot.press("down")
        assert wall.highlighted_word == "[@click=app.quit]klik[/]"
        await pilot.press("x")
        await wait_until(pilot, lambda: not any("klik" in p for p in words_shown()))
        assert not any("klik" in p for p in words_shown()) and app.is_running
        assert "klik" not in shown_text(app)


async def test_the_word_wall_pages_with_the_clicker_then_moves_on(app: ProjectorApp) -> None:
    steps = [s.id for s in app.workshop.steps]
    async with app.run_test(size=(100, 30)) as pilot:
        words = [f"woord {n}" for n in range(30)]
        await answered(app, pilot, "wat-maakte-het-goed", [("professional", {"words": words[n:n + 2]})
                                                     for n in range(0, 30, 2)])
        await wait_until(pilot, lambda: app.query(WordsWall) and len(app.query_one(WordsWall).entries) == 30)
        wall = app.query_one(WordsWall)
        assert wall.pages >= 2  # thirty entries never fit on one screen: pages, no scroll bar
        for page in range(wall.pages):
            await shown_when(app, pilot, t("nl", "words_page", n=page + 1, total=wall.pages))
            await shown_when(app, pilot, t("nl", "next_page" if page + 1 < wall.pages else "next_step"))
            await pilot.press("pagedown")
        assert await wait_until(pilot, lambda: app.session.step.id == steps[steps.index("wat-maakte-het-goed") + 1])
        await pilot.press("pageup")
        assert await wait_until(pilot, lambda: app.session.step.id == "wat-maakte-het-goed")


async def test_j_shows_the_join_screen_and_b_blanks(app: ProjectorApp) -> None:
    app.join_url = "http://192.168.1.20:8080/ACE34"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j")
        assert isinstance(app.screen, JoinScreen)
        await pilot.press("pagedown")  # the clicker still steps
        assert app.step_index == 1
        await pilot.press("j")
        assert not isinstance(app.screen, JoinScreen)
        await pilot.press("b")
        assert isinstance(app.screen, BlankScreen)
        await pilot.press("x")
        assert not isinstance(app.screen, BlankScreen)
        await pilot.press("full_stop")
        assert isinstance(app.screen, BlankScreen)


async def test_a_window_too_small_says_so_and_comes_back(app: ProjectorApp) -> None:
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, TooSmallScreen))
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(100, 30)
        await wait_until(pilot, lambda: not isinstance(app.screen, TooSmallScreen))
        assert not isinstance(app.screen, TooSmallScreen)


async def test_e_writes_the_harvest_and_ending_writes_it_too(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gsdialog.export.write import harvest_writer

    monkeypatch.chdir(tmp_path)
    session = await session_of("twaalf-vragen")
    app = ProjectorApp(session, export=lambda: harvest_writer(session, Path("data"), "nl"))
    exports = tmp_path / "data" / "exports"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await wait_until(pilot, lambda: exports.is_dir() and len(list(exports.iterdir())) == 3)
        assert sorted(p.name for p in exports.iterdir()) == ["s.html", "s.json", "s.xlsx"]
        # Every file by its full path, and the data folder, though the data folder was given as "data".
        said = "\n".join(note.message for note in app._notifications)
        for name in ("s.html", "s.json", "s.xlsx"):
            assert f"{exports / name}\n" in said
        assert said.endswith(f"Map met gegevens: {tmp_path / 'data'}")
        (exports / "s.json").unlink()
        (exports / "s.xlsx").unlink()
        await answer_quit(pilot, "y")
        await wait_until(pilot, lambda: not app.is_running)
    assert app.session.closed and (exports / "s.json").exists() and (exports / "s.xlsx").exists()
    assert app.exported == [exports / "s.html", exports / "s.json", exports / "s.xlsx"]


async def test_e_writes_in_a_worker_thread_and_the_room_goes_on_meanwhile(tmp_path: Path) -> None:
    """The harvest is taken on the event loop when `e` is pressed; while a (stubbed, slow)
    writer works, the app still takes PageDown and a phone still answers; the
    notification comes once the files are written."""
    import threading

    session = await session_of("twaalf-vragen")
    gate = threading.Event()
    order: list[str] = []
    threads: dict[str, bool] = {}

    def writer() -> list[Path]:
        threads["writer on the loop's thread"] = threading.current_thread() is threading.main_thread()
        gate.wait(20)  # until the test saw the room go on (a writer on the loop would hold it here)
        order.append("written")
        return [tmp_path / "exports" / "s.html"]

    def export() -> Callable[[], list[Path]]:
        threads["snapshot on the loop's thread"] = threading.current_thread() is threading.main_thread()
        order.append("snapshot")
        return writer

    app = ProjectorApp(session, export=export)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await pilot.press("pagedown")
        assert await wait_until(pilot, lambda: session.step_index == 1)
        token = await session.join("parent")
        await session.answer(token, session.step.id, values_for(session.step, 0))
        order.append("moved on")
        gate.set()
        assert await wait_until(pilot, lambda: any("s.html" in note.message for note in app._notifications))
    assert order == ["snapshot", "moved on", "written"]
    assert threads == {"snapshot on the loop's thread": True, "writer on the loop's thread": False}


async def test_started_again_on_the_same_data_it_opens_where_it_was(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gsdialog import sessions
    from gsdialog.store import Store
    from gsdialog.core.loader import builtin_path, load_workshop

    path = builtin_path("oogstdialoog")
    session, folder = sessions.create(Store(tmp_path), load_workshop(path), path.read_text(encoding="utf-8"))
    first = ProjectorApp(session)
    async with first.run_test(size=(100, 30)) as pilot:
        await pilot.press("pagedown", "pagedown", "pagedown")
        await answer_quit(pilot, "p")
        await wait_until(pilot, lambda: not first.is_running)
    assert first.return_value == "paused"

    store = Store(tmp_path)
    resumed, _ = sessions.open(sessions.unfinished(store, "oogstdialoog"))
    again = ProjectorApp(resumed)
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: again.query_one(StepView).step == resumed.workshop.steps[3]
                         and again.sub_title.startswith("stap 4 van"))
        assert (resumed.code, again.step_index) == (session.code, 3)
        assert again.query_one(StepView).step == resumed.workshop.steps[3]
        assert again.sub_title.startswith("stap 4 van")


async def test_no_network_is_said_and_a_new_address_is_followed() -> None:
    session = await session_of("twaalf-vragen")
    where = {"url": "http://127.0.0.1:8080/ACE34", "reachable": False}

    class Where:
        def current(self) -> tuple[str, bool]:
            return where["url"], where["reachable"]

        def options(self) -> list[tuple[str, str]]:
            return []

        def choose(self, url: str) -> bool:
            return False

        def better(self) -> None:
            return None

    app = ProjectorApp(session, address=Where())
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: "Geen netwerk: telefoons kunnen http://127.0.0.1:8080/ACE34 niet bereiken"
                         in shown_text(app))
        assert "Geen netwerk: telefoons kunnen http://127.0.0.1:8080/ACE34 niet bereiken" in shown_text(app)
        where.update(url="http://192.168.1.20:8080/ACE34", reachable=True)
        app._check_address()
        app.redraw_now()
        await wait_until(pilot, lambda: "Doe mee: http://192.168.1.20:8080/ACE34" in shown_text(app)
                         and "Geen netwerk" not in shown_text(app))
        text = shown_text(app)
        assert "Doe mee: http://192.168.1.20:8080/ACE34" in text and "Geen netwerk" not in text
        assert app.join_url == "http://192.168.1.20:8080/ACE34"


async def test_a_clicker_reveals_the_results_first_then_moves_on(app: ProjectorApp) -> None:
    """PageDown on a question with answers shows its results; the next PageDown moves on;
    PageUp goes back to the step, still showing them. Without answers, PageDown moves on."""
    steps = [step.id for step in app.workshop.steps]
    question = steps.index("serieus-genomen")
    async with app.run_test(size=(100, 30)) as pilot:
        await answered(app, pilot, "serieus-genomen", [("professional", {"serieus": 5})] * 3
                       + [("parent", {"serieus": 2})] * 3)
        await pilot.press("pagedown")
        assert await wait_until(pilot, lambda: app.session.step_state == RESULTS)
        assert app.session.step_index == question
        await shown_when(app, pilot, "In 10 van de 10 keer")
        await pilot.press("pagedown")
        assert await wait_until(pilot, lambda: app.session.step_index == question + 1)
        await pilot.press("pageup")
        assert await wait_until(pilot, lambda: app.session.step_index == question)
        assert app.session.step_state == RESULTS
        await pilot.press("pagedown")  # results shown already: on
        assert await wait_until(pilot, lambda: app.session.step_index == question + 1)
        twelve = steps.index("twaalf-vragen")
        await go(app, twelve)
        await shown_when(app, pilot, "12. ")  # nobody answered: the rest of the statements, then on
        while app.step_view.more_below:
            await pilot.press("pagedown")
            await pilot.pause(0.1)
        assert app.session.step_index == twelve
        await pilot.press("pagedown")
        assert await wait_until(pilot, lambda: app.session.step_index == twelve + 1)
        assert app.session.states["twaalf-vragen"] != RESULTS


async def test_a_single_statement_shows_both_averages_in_large_digits(app: ProjectorApp) -> None:
    from gsdialog.projector.screens import big

    async with app.run_test(size=(100, 30)) as pilot:
        await answered(app, pilot, "serieus-genomen", [("professional", {"serieus": v}) for v in (5, 4, 4)]
                       + [("parent", {"serieus": v}) for v in (1, 2, 2)])
        await pilot.press("r")
        text = await shown_when(app, pilot, "▲ Professionals")
        lines = text.splitlines()
        for mean in ("4,3", "1,7"):
            for row in big(mean).splitlines():
                assert any(row.strip() in line for line in lines), (mean, row)
        assert "● Niet als professional" in text and "In 10 van de 10 keer" in text
        assert "Ik neem de mensen met wie ik werk serieus." in text  # what each group rated
        assert "Ik voel me serieus genomen door professionals." in text


async def test_a_single_statement_under_the_threshold_shows_no_large_digits(app: ProjectorApp) -> None:
    from gsdialog.projector.screens import big

    async with app.run_test(size=(100, 30)) as pilot:
        await answered(app, pilot, "serieus-genomen", [("professional", {"serieus": v}) for v in (5, 4, 4)]
                       + [("parent", {"serieus": v}) for v in (1, 2)])
        await pilot.press("r")
        text = await shown_when(app, pilot, "▲ Professionals")
        assert "nog te weinig antwoorden" in text and "(n=2)" in text
        assert not any(big("1.5").splitlines()[0].strip() in line for line in text.splitlines())


async def test_the_twelve_questions_read_in_full_as_a_picture_of_the_gap() -> None:
    """The issue's room: twaalf-vragen at 100x30, 24 phones, one PageDown: every statement by
    its short label, both groups' marks, the gap, and nothing cut with an ellipsis."""
    app = ProjectorApp(await session_of("twaalf-vragen"), lang="nl")
    step = app.workshop.step("twaalf-vragen")
    pro = {item.id: 4 + n % 2 for n, item in enumerate(step.items)}
    other = {item.id: 1 + n % 3 for n, item in enumerate(step.items)}
    async with app.run_test(size=(100, 30)) as pilot:
        await answered(app, pilot, "twaalf-vragen", [("professional", pro)] * 12 + [("parent", other)] * 12)
        await pilot.press("pagedown")
        text = await shown_when(app, pilot, "Verschil")
        assert "…" not in text
        for item in step.items:
            assert item.short is not None and item.short.get("nl") in text
        rows = [line for line in text.splitlines() if "▲" in line and "●" in line and "━" in line]
        assert len(rows) == 12, text
        assert "▲ Professionals (n=12)" in text and "● Niet als professional (n=12)" in text


async def test_statements_without_short_labels_are_shown_whole_over_pages_the_clicker_turns() -> None:
    """Long statements wrap, never cut; what does not fit goes to a next page, and
    PageDown turns the pages before it moves on (PageUp turns back)."""
    import re

    from gsdialog.core.loader import parse_workshop

    source = builtin_path("twaalf-vragen").read_text(encoding="utf-8")
    workshop = parse_workshop(re.sub(r'(?m)^short\.(nl|en) = ".*"\n', "", source))
    step = workshop.step("twaalf-vragen")
    assert all(item.short is None for item in step.items)
    session = await Session.new(workshop, MemoryJournal(), session_id="s", code="ACE34", created="2026-11-28",
                                source="")
    app = ProjectorApp(session, lang="nl")
    async with app.run_test(size=(100, 30)) as pilot:
        await answered(app, pilot, "twaalf-vragen", [("professional", {i.id: 5 for i in step.items})] * 3
                       + [("parent", {i.id: 2 for i in step.items})] * 3)
        await pilot.press("pagedown")
        text = await shown_when(app, pilot, "Blad 1 van")
        total = int(re.search(r"Blad 1 van (\d+)", text).group(1))  # type: ignore[union-attr]
        assert total >= 2
        seen: list[int] = []
        for page in range(1, total + 1):
            text = await shown_when(app, pilot, f"Blad {page} van {total}")
            assert "…" not in text
            seen += [int(m) for m in re.findall(r"(?m)^\s*(\d{1,2}) ?(?=[A-Z])", text)]
            if page < total:
                await pilot.press("pagedown")
        assert sorted(seen) == list(range(1, 13)), seen
        await pilot.press("pageup")
        await shown_when(app, pilot, f"Blad {total - 1} van {total}")
        await pilot.press("pagedown", "pagedown")
        index = [s.id for s in workshop.steps].index("twaalf-vragen")
        assert await wait_until(pilot, lambda: app.session.step_index == index + 1)


async def test_an_idle_projector_sleeps(monkeypatch: pytest.MonkeyPatch) -> None:
    """With nobody acting, nothing wakes the projector but the header's clock: the redraw
    timer and a countdown waiting for `t` pause themselves, and wake when needed
    (bench/room_bench.py measures the CPU this saves)."""
    calls = {"redraw": 0, "tick": 0}

    class Counted(ProjectorApp):
        def _refresh_live(self) -> None:
            calls["redraw"] += 1
            super()._refresh_live()

    tick = PairsTimer._tick

    def counted_tick(self: PairsTimer) -> None:
        calls["tick"] += 1
        tick(self)

    monkeypatch.setattr(PairsTimer, "_tick", counted_tick)
    app = Counted(await session_of("oogstdialoog"), lang="nl")
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, [s.id for s in app.workshop.steps].index("goede-ervaring"))
        await wait_until(pilot, lambda: app.query(PairsTimer))
        await pilot.pause(0.5)
        before = dict(calls)
        await asyncio.sleep(1.0)
        assert calls["redraw"] - before["redraw"] <= 1, "the redraw timer kept waking"
        assert calls["tick"] == before["tick"], "the countdown ticked while waiting for t"

        await app.session.join("parent")  # a change wakes the redraw
        assert await wait_until(pilot, lambda: "Niet als professional 1" in str(app.status.render()), 2)
        await pilot.press("t")  # the countdown runs
        assert await wait_until(pilot, lambda: calls["tick"] - before["tick"] >= 2, 2)
        await pilot.press("t")
        await pilot.pause(0.3)
        paused = calls["tick"]
        await asyncio.sleep(0.6)
        assert calls["tick"] == paused


async def test_a_redraw_before_the_new_step_is_composed_leaves_the_old_widgets_alone(app: ProjectorApp) -> None:
    """A redraw can come between the step changing and its recompose (the redraw
    timer wakes at once when it slept): the widgets then are the old step's, and a
    word wall asked to show a pairs step failed on its assert and took the app down."""
    async with app.run_test(size=(100, 30)) as pilot:
        await answered(app, pilot, "wat-maakte-het-goed", [("parent", {"words": ["tijd"]})] * 3)
        await wait_until(pilot, lambda: app.query(WordsWall))
        await go(app, [s.id for s in app.workshop.steps].index("goede-ervaring"))
        app._show_step()  # as the step-changed message does, then a redraw before the recompose
        app.redraw_now()
        assert app.query(WordsWall), "the old step's widgets are still there"
        await shown_when(app, pilot, app.workshop.step("goede-ervaring").title.get("nl"))
        assert await wait_until(pilot, lambda: app.query(PairsTimer) and not app.query(WordsWall))


async def test_a_flood_of_answers_redraws_the_counts_without_a_new_layout(app: ProjectorApp,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Only digits change while answers come in: the counts and the status line are drawn
    again without laying the screen out (which cost more than drawing them)."""
    from gsdialog.projector.results_view import LiveResults

    updates: list[tuple[str, bool]] = []
    update = Static.update

    def spied(self: Static, content: object = "", *, layout: bool = True) -> None:
        if isinstance(self, LiveResults) or self.id == "status":
            updates.append((type(self).__name__, layout))
        update(self, content, layout=layout)  # type: ignore[arg-type]

    monkeypatch.setattr(Static, "update", spied)
    items = [item.id for item in app.workshop.step("twaalf-vragen").items]
    async with app.run_test(size=(100, 30)) as pilot:
        await answered(app, pilot, "twaalf-vragen", [("professional", {item: 4 for item in items})])
        assert await wait_until(pilot, lambda: "Professionals: 1" in shown_text(app))
        updates.clear()
        for n in range(2, 7):
            token = await app.session.join("parent")
            await app.session.admit_late()  # the facilitator lets the latecomer in (l)
            await app.session.answer(token, "twaalf-vragen", {item: 2 for item in items})
            assert await wait_until(pilot, lambda: f"Niet als professional: {n - 1}" in shown_text(app))
        assert {name for name, _ in updates} == {"ScaleResults", "Static"}
        assert not any(layout for _, layout in updates), updates
        redraws = len(updates)
        app.redraw_now()  # nothing changed: nothing is drawn
        assert len(updates) == redraws


async def test_the_join_screen_lists_the_other_addresses_and_a_switches_the_qr() -> None:
    """A VPN or a bridge may be ranked first by mistake, or the hotspot come up
    late: the facilitator sees every address on `j` and moves the phones with `a`."""
    from gsdialog.collector.addresses import Candidate
    from gsdialog.collector.server import JoinAddress

    session = await session_of("twaalf-vragen")
    found = [Candidate("192.168.43.20", "wlan0", "default_route"), Candidate("10.8.0.2", "tun0", "vpn")]
    address = JoinAddress(session.code, host="0.0.0.0", port=8080, find=lambda: list(found))
    wifi, vpn = (f"http://{a}:8080/{session.code}" for a in ("192.168.43.20", "10.8.0.2"))
    app = ProjectorApp(session, address=address, clock=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j")
        await wait_until(pilot, lambda: isinstance(app.screen, JoinScreen))
        text = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert wifi in text and f"{vpn}  ·  tun0 (VPN)" in text
        await pilot.press("a")
        await wait_until(pilot, lambda: app.join_url == vpn and isinstance(app.screen, JoinScreen)
                         and app.screen.url == vpn)
        assert address.current()[0] == vpn
        await pilot.press("a")
        await wait_until(pilot, lambda: app.join_url == wifi)
        assert app.screen.url == wifi
        found.insert(0, Candidate("192.168.1.5", "eth0", "default_route"))  # a cable, better, comes in
        app._check_address()
        await pilot.pause()
        assert app.join_url == wifi, "never moved without the facilitator's say"
        assert any("http://192.168.1.5:8080/" in note.message for note in app._notifications)


def values_for(step, n: int, session: Session | None = None) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """A valid answer to `step` for phone `n` (a step with stages: in the stage it is in)."""
    if kind_of(step).stages and session is not None:
        if session.stage(step.id) == kind_of(step).stages[0]:
            return {"idea": {"new": f"idee {n}"}}
        wall = session.wall(step.id)
        return {"votes": [wall[n % len(wall)].id]}
    if step.kind == "words":
        return {"words": [f"woord {n % 4}"]}
    if step.kind == "choice":
        return {"choice": [step.options[n % len(step.options)].id]}
    assert step.scale is not None
    return {item.id: step.scale.min + n % (step.scale.max - step.scale.min + 1) for item in step.items}


@pytest.mark.parametrize("size", [(100, 30), (160, 45)])
async def test_the_whole_oogstdialoog_runs_with_pagedown_alone(size: tuple[int, int]) -> None:
    """A clicker alone: every step, every pairs round, every result, then the closing screen;
    the room never reads which key to press, nor the phones' "look at the screen"."""
    from gsdialog.projector.screens import ClosingScreen

    app = ProjectorApp(await session_of("oogstdialoog"), lang="nl")
    later = [0.0]
    app.session.clock = lambda: time.time() + later[0]
    session = app.session
    phones = [await session.join(role) for role in ["professional", "parent"] * 3]
    answered_steps: set[tuple[str, str]] = set()
    rounds_run: dict[str, set[int]] = {}
    revealed: set[str] = set()
    facilitator = ("Druk op", "PgDn", "Kijk naar het scherm", "om de tijd te starten", "uitkomsten te laten zien")
    async with app.run_test(size=size) as pilot:
        for _ in range(200):
            if isinstance(app.screen, ClosingScreen):
                break
            step = session.step
            await shown_when(app, pilot, step.title.get("nl"))
            if kind_of(step).asks and (step.id, session.stage(step.id)) not in answered_steps \
                    and session.step_state == "open":
                answered_steps.add((step.id, session.stage(step.id)))
                for n, token in enumerate(phones):
                    await session.answer(token, step.id, values_for(step, n, session))
                await pilot.pause(0.2)
            if step.rounds:
                countdown = session.countdown(step.id)
                if countdown.running and not countdown.over(session.clock()):
                    rounds_run.setdefault(step.id, set()).add(countdown.round)
                    later[0] += countdown.remaining(session.clock()) + 1  # the round runs out
                    assert await wait_until(pilot, lambda: t("nl", "next_round", n=countdown.round + 2)
                                            in shown_text(app) or t("nl", "next_step") in shown_text(app))
            if session.step_state == "results":
                revealed.add(step.id)
            await pilot.pause(0.15)
            text = shown_text(app)
            body = text.split("\ncode ACE34")[0]
            assert not any(hint in body for hint in facilitator), (step.id, body)
            await pilot.press("pagedown")
            await pilot.pause(0.1)
        assert isinstance(app.screen, ClosingScreen)
        await shown_when(app, pilot, t("nl", "closing_joined", n=6))
        steps = app.workshop.steps
        assert session.step_index == len(steps) - 1
        assert revealed == {s.id for s in steps if kind_of(s).reveals}
        assert rounds_run == {s.id: set(range(len(s.rounds))) for s in steps if s.rounds}
        await pilot.press("pageup")
        assert await wait_until(pilot, lambda: not isinstance(app.screen, ClosingScreen))
        await pilot.press("pagedown")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ClosingScreen))
        await answer_quit(pilot, "y")
        assert await wait_until(pilot, lambda: session.closed)


@pytest.mark.parametrize("size", [(100, 30), (100, 25)])
async def test_a_step_that_does_not_fit_says_more_and_the_clicker_shows_the_rest(size: tuple[int, int]) -> None:
    """Statement 12 was cut off at 100x30 with no sign that more followed."""
    app = ProjectorApp(await session_of("oogstdialoog"), lang="nl")
    async with app.run_test(size=size) as pilot:
        await go(app, [s.id for s in app.workshop.steps].index("twaalf-vragen"))
        await shown_when(app, pilot, "1. Professionals laten me merken")
        assert await wait_until(pilot, lambda: (t("nl", "more_below") in shown_text(app)
                                                and t("nl", "next_more") in shown_text(app))
                                or "12. Professionals helpen" in shown_text(app))
        text = shown_text(app)
        if "12. Professionals helpen" not in text:
            assert t("nl", "more_below") in text and t("nl", "next_more") in text
            await pilot.press("pagedown")
            text = await shown_when(app, pilot, "12. Professionals helpen")
            assert app.session.step.id == "twaalf-vragen"
        else:
            assert size == (100, 30)
        assert await wait_until(pilot, lambda: t("nl", "more_below") not in shown_text(app)
                                and t("nl", "next_step") in shown_text(app))
        if size == (100, 25):
            await pilot.press("pageup")  # back to the top of the step, not the step before
            await shown_when(app, pilot, t("nl", "more_below"))
            assert app.session.step.id == "twaalf-vragen"


URL = "http://192.168.1.23:8765/ACE34"


@pytest.mark.parametrize("size, scale", [((100, 30), 1), ((160, 45), 2)])
async def test_the_room_sees_the_join_code_large_where_it_joins(size: tuple[int, int], scale: int) -> None:
    """No `j` needed: beside the welcome and every step up to the first question's first
    answer the QR code stands whole on screen, twice as large where there is room."""
    from textual.containers import Vertical

    from gsdialog.projector.join_panel import JoinPanel
    from gsdialog.projector.qr import qr_size

    app = ProjectorApp(await session_of("oogstdialoog"), lang="nl", join_url=URL)
    steps = app.workshop.steps
    first_question = next(n for n, s in enumerate(steps) if kind_of(s).asks)
    async with app.run_test(size=size) as pilot:
        panel = app.query_one(JoinPanel)
        qr = app.query_one("#join-qr", Static)
        width, lines = qr_size(URL)
        for index in range(first_question + 1):
            await go(app, index)
            await shown_when(app, pilot, steps[index].title.get("nl"))
            if steps[index].rounds:  # beside a pairs timer the clock is what the room reads
                assert await wait_until(pilot, lambda: not panel.display and not app.screen.has_class("-joining"))
                continue
            assert await wait_until(pilot, lambda: panel.display and app.screen.has_class("-joining")
                                    and qr.region.height == (lines if scale == 1 else width)), index
            assert qr.region.width == width * scale and qr.region.bottom <= size[1] - 2  # whole, never cut
            assert not app.query_one("#corner", Vertical).display
        assert any(step.rounds for step in steps[:first_question])  # the loop saw a pairs step
        await app.session.answer(await app.session.join("parent"), steps[first_question].id,
                                 values_for(steps[first_question], 0))
        assert await wait_until(pilot, lambda: not app.screen.has_class("-joining") and not panel.display)
        await go(app, first_question + 1)
        await shown_when(app, pilot, steps[first_question + 1].title.get("nl"))
        assert not panel.display


async def test_at_160x45_the_key_result_grows_and_the_corner_code_steps_aside(app: ProjectorApp) -> None:
    from textual.containers import Vertical

    app.join_url = URL
    async with app.run_test(size=(160, 45)) as pilot:
        await answered(app, pilot, "twaalf-vragen", [("professional", {"belangrijk": 5})] * 3
                       + [("parent", {"belangrijk": 2})] * 3)
        corner = app.query_one("#corner", Vertical)
        assert await wait_until(pilot, lambda: corner.display)  # a question open: the corner helps latecomers
        await answered(app, pilot, "serieus-genomen", [("professional", {"serieus": v}) for v in (5, 4, 4)]
                       + [("parent", {"serieus": v}) for v in (1, 2, 2)])
        await pilot.press("pagedown")
        text = await shown_when(app, pilot, "▲ Professionals")
        for row in big("4,3", 2).splitlines():
            assert row.strip() in text  # twice as large as at 100x30
        assert await wait_until(pilot, lambda: not corner.display)  # nothing outweighs the result
        await go(app, [s.id for s in app.workshop.steps].index("goede-ervaring"))
        await pilot.press("pagedown")
        text = await shown_when(app, pilot, t("nl", "next_timer_end"))
        assert big("03:59", 2).splitlines()[0].strip()[:20] in text or big("04:00", 2).splitlines()[0][:20] in text
        assert not corner.display


async def test_the_evaluation_shows_its_figures_its_prompt_once_and_even_ticks(app: ProjectorApp) -> None:
    """Its results showed no figures, the axis ticks stood unevenly apart, and the
    legend said the one prompt twice."""
    step = app.workshop.step("evaluatie")
    pro = {item.id: 8 for item in step.items}
    other = {item.id: 6 + n % 2 for n, item in enumerate(step.items)}
    async with app.run_test(size=(100, 30)) as pilot:
        await answered(app, pilot, "evaluatie", [("professional", pro)] * 3 + [("parent", other)] * 3)
        await pilot.press("pagedown")
        text = await shown_when(app, pilot, t("nl", "mean_column"))
        assert "8,0" in text and "6,0" in text and "7,0" in text  # decimal commas
        assert step.prompt is not None and step.prompt.shared is not None
        assert text.count(step.prompt.shared.get("nl")) == 1
        [axis] = [line for line in text.splitlines() if "Stelling" in line and "Gemiddeld" in line]
        places = [m.start() for m in re.finditer(r"\d+", axis.split("Stelling")[1].split("Gemiddeld")[0])]
        gaps = {b - a for a, b in zip(places[1:], places[2:-1], strict=False)}
        assert len(places) == 11 and len(gaps) == 1, axis  # 1 to 9 evenly apart


def test_large_letters_never_run_wider_than_their_room() -> None:
    """At 160x45 beside the join code "Wissel om!" was drawn twice as large and cut off."""
    for width in (46, 70, 150):  # "WISSEL" alone is 45 wide
        for scale in (1, 2):
            assert max(len(line) for line in big("Wissel om!", scale, width).splitlines()) <= width
    assert big("Wissel om!", 2, 150) == big("Wissel om!", 2)  # room enough: as large as asked
    assert big("Wissel om!", 2, 46) == big("Wissel om!", 1, 46)


@pytest.mark.parametrize("width", [100, 160])
async def test_the_status_line_is_one_line_at_100_columns_in_the_worst_case(width: int) -> None:
    """Following counts per group, joining open, latecomers waiting and three alerts, with a
    long address: the status line gives way by priority and stays one line, with the
    address and each group's count in it."""
    from rich.cells import cell_len

    url = "http://192.168.178.123:18835/ACE34"
    session = await session_of("oogstdialoog")
    app = ProjectorApp(session, lang="nl", join_url=url)
    items = [item.id for item in app.workshop.step("twaalf-vragen").items]
    async with app.run_test(size=(width, 30 if width == 100 else 45)) as pilot:
        await answered(app, pilot, "twaalf-vragen", [("professional", {item: 4 for item in items})] * 12
                       + [("parent", {item: 2 for item in items})] * 17)
        for _ in range(15):
            await session.join("parent")  # in after the first answer: they wait (l)
        now = session.clock()
        session.door.expect = 10
        session.door.jump = (25, now)
        session.door.refusals = (7, now)
        session.set_following({"professional": 12, "other": 30})
        assert await wait_until(pilot, lambda: "⚠" in str(app.status.render()))
        text = str(app.status.render())
        assert app.status.size.height == 1 and cell_len(text) <= width - 4, text
        assert url in text and "Professionals 12" in text and "30/32" in text
        if width == 160:  # room for the group's whole label
            assert "Niet als professional 30/32" in text


def test_the_status_line_gives_way_in_its_order() -> None:
    from gsdialog.projector.status import Part, fit, line

    found = [Part("join", "Doe mee: http://h:8080/ABCDE", "http://h:8080/ABCDE"),
             Part("group", "Professionals 12 van 13 volgen", "Professionals 12/13", "Professionals"),
             Part("group", "Niet als professional 30 van 32 volgen", "Niet als professional 30/32",
                  "Niet als professional"),
             Part("door_open", "meedoen open", "meedoen open"),
             Part("waiting", "15 wacht(en) op de volgende vraag (l)", "15 wachten (l)"),
             Part("alert", "⚠ 25 telefoons in 1 minuut erbij", "⚠ +25/min"),
             Part("alert", "⚠ 42 telefoons, 10 verwacht", "⚠ 42/10 verwacht")]

    def fitted(width: int) -> str:
        return line(fit(found, width))

    assert fitted(400) == line(found)
    assert fitted(210) == ("Doe mee: http://h:8080/ABCDE · Professionals 12 van 13 volgen · Niet als professional "
                           "30 van 32 volgen · 15 wacht(en) op de volgende vraag (l) · ⚠ 25 telefoons in 1 minuut "
                           "erbij · ⚠ 42 telefoons, 10 verwacht")  # joining open: the usual state gives way first
    assert fitted(120) == ("http://h:8080/ABCDE · Professionals 12/13 · Niet als professional 30/32 · "
                           "15 wachten (l) · ⚠ +25/min · ⚠ 42/10 verwacht")  # shorter forms, nothing left out
    assert fitted(96) == ("http://h:8080/ABCDE · Professionals 12/13 · Niet als profess… 30/32 · "
                          "15 wachten (l) · ⚠ +25/min")  # the second alert out, a label cut a little
    assert fitted(75) == "http://h:8080/ABCDE · Professionals 12/13 · Niet als pro… 30/32 · ⚠ +25/min"
    assert fitted(60) == "http://h:8080/ABCDE · Professiona… 12/13 · Niet als p… 30/32"
    for width in range(60, 200):
        assert len(fitted(width)) <= width and "http://h:8080/ABCDE" in fitted(width), width
