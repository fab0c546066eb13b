"""The projector app, driven with Textual's Pilot as a facilitator would."""

from __future__ import annotations

import pytest
from textual.widgets import Markdown, Static

from gsdialog.i18n import STRINGS
from gsdialog.projector.app import ProjectorApp
from gsdialog.projector.dialogs import HelpScreen, QuitScreen
from gsdialog.projector.step_view import StepView
from gsdialog.session import CLOSED, OPEN, MemoryJournal, Session
from gsdialog.workshop import builtin_path, load_workshop


async def session_of(name: str) -> Session:
    return await Session.new(load_workshop(builtin_path(name)), MemoryJournal(), session_id="s", code="ACE34",
                             created="2026-11-23", source="")


@pytest.fixture
async def app() -> ProjectorApp:
    return ProjectorApp(await session_of("oogstdialoog"), lang="nl")


async def go(app: ProjectorApp, index: int) -> None:
    await app.session.go_to(index)


def shown_text(app: ProjectorApp) -> str:
    view = app.query_one(StepView)
    parts = [str(widget.render()) for widget in view.query(Static)]
    parts += [widget.source for widget in view.query(Markdown)]
    return "\n".join(parts)


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
        await pilot.pause()
        await pilot.press("pagedown")
        assert app.step_index == index + 1


async def test_the_step_shows_its_title_text_and_per_group_statements(app: ProjectorApp) -> None:
    index = [step.id for step in app.workshop.steps].index("serieus-genomen")
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, index)
        await pilot.pause()
        text = shown_text(app)
        step = app.workshop.steps[index]
        assert step.title.get("nl") in text
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
        await pilot.press("q", "y")
        await pilot.pause()
        assert not app.is_running
    assert app.return_value == "closed" and app.session.closed


async def test_enter_confirms_quitting(app: ProjectorApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("q", "enter")
        await pilot.pause()
        assert not app.is_running
    assert app.session.closed


async def test_pause_leaves_the_session_open_to_resume(app: ProjectorApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("pagedown", "q", "p")
        await pilot.pause()
        assert not app.is_running
    assert app.return_value == "paused" and not app.session.closed and app.session.step_index == 1


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
    assert STRINGS["nl"].keys() == STRINGS["en"].keys()
