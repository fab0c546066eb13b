"""Snapshots of the projector's main views at 100x30 and 160x45, with fixed data.

Textual is pinned in pyproject.toml, since its rendering is what is compared.
After a deliberate change of the screens: `pytest tests/test_projector_snapshots.py
--snapshot-update`, then look at the new SVGs (snapshot_report.html) before committing.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from gsdialog.projector.app import ProjectorApp
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.session import Session, create_event
from gsdialog.core.loader import builtin_path, load_workshop

SIZES = [(100, 30), (160, 45)]
HOSTILE_WORDS = ["[/]", "[@click=app.quit]klik[/]", "<b>vet</b>", "\x1b[2J", "echt luisteren"]
IDEAS = ["Niet steeds een andere hulpverlener, zodat ik mijn verhaal niet opnieuw hoef te vertellen",
         "Op tijd terugbellen", "Echt luisteren", "Goed luisteren", "[@click=app.quit]klik[/] <b>vet</b>",
         "Zeggen wat je niet weet", "Samen beslissen wat de volgende stap is", "Uitleg zonder moeilijke woorden",
         "Eerlijk zijn over wat kan en wat niet", "Tijd nemen voor het eerste gesprek"]


def room(steps: dict[str, int] | None = None) -> Session:
    """The oogstdialoog with 16 phones that answered the twelve questions, the
    headline question, the themes and the words, and gave ideas and voted, always the same way."""
    workshop = load_workshop(builtin_path("oogstdialoog"))
    session = Session(workshop, MemoryJournal())
    session.apply(create_event(workshop, session_id="20261123-140000-KX4MP", code="KX4MP",
                               created="2026-11-23T14:00:00+01:00", source="", threshold=3))
    session.apply({"type": "step", "index": 0})
    rng = random.Random(6)
    index = {step.id: n for n, step in enumerate(workshop.steps)}
    for phone in range(16):
        token = f"phone-{phone}"
        professional = phone % 2 == 0
        role = "professional" if professional else ["parent", "young-person", "client", "resident"][phone % 4]
        session.apply({"type": "join", "token": token, "role": role})
    for step_id in ("serieus-genomen", "twaalf-vragen", "oogst-themas", "wat-maakte-het-goed"):
        session.apply({"type": "step", "index": index[step_id]})
        step = workshop.step(step_id)
        for phone in range(16):
            professional = phone % 2 == 0
            if step.kind == "rating":
                values = {item.id: rng.choice([3, 4, 4, 5, 5] if professional else [1, 2, 2, 3, 4])
                          for item in step.items}
            elif step.kind == "choice":
                values = {"choice": sorted(rng.sample([o.id for o in step.options], 2),
                                           key=[o.id for o in step.options].index)}
            else:
                values = {"words": [HOSTILE_WORDS[phone % len(HOSTILE_WORDS)], rng.choice(["tijd", "geduld"])]}
            session.apply({"type": "answer", "token": f"phone-{phone}", "step": step_id,
                           "values": Session.check_values(step, values)})
    # The idea wall: ten ideas, two merged, one hidden; every phone votes three times.
    ideas = "oogst-woorden"
    session.apply({"type": "step", "index": index[ideas]})
    for n, text in enumerate(IDEAS):
        session.apply({"type": "answer", "token": f"phone-{n}", "step": ideas, "values": {"idea": {f"i{n}": text}}})
    session.apply({"type": "merge", "step": ideas, "idea": "i3", "into": "i2"})
    session.apply({"type": "hide", "step": ideas, "word": "i9"})
    session.apply({"type": "stage", "step": ideas, "stage": "voting"})
    for phone in range(16):
        chosen = rng.sample(["i2", "i5", "i6", "i7"] if phone % 2 == 0 else ["i0", "i1", "i2", "i8"], 3)
        session.apply({"type": "answer", "token": f"phone-{phone}", "step": ideas, "values": {"votes": chosen}})
    session.apply({"type": "step", "index": 0})
    return session


def at(step_id: str, *keys: str) -> Callable[[Pilot], object]:
    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        assert isinstance(app, ProjectorApp)
        await app.session.go_to([s.id for s in app.workshop.steps].index(step_id))
        await pilot.pause(0.2)
        await pilot.pause()  # until every message is handled: a loaded machine lags behind the clock
        for key in keys:  # one at a time: "s" sorts the results that "r" brought up
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause(0.1)
        # Do not depend on the 10 Hz timer having run on a busy machine.
        app.redraw_now()
        await pilot.pause(0.1)

    return run_before


def app() -> ProjectorApp:
    return ProjectorApp(room(), join_url="http://192.168.1.20:8080/KX4MP", clock=False)


@pytest.mark.parametrize("size", SIZES)
def test_welcome(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app(), terminal_size=size, run_before=at("welkom"))


@pytest.mark.parametrize("size", SIZES)
def test_join_screen(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app(), terminal_size=size, run_before=at("welkom", "j"))


def test_rating_while_answers_come_in(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app(), terminal_size=(100, 30), run_before=at("twaalf-vragen"))


@pytest.mark.parametrize("size", SIZES)
def test_rating_results(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app(), terminal_size=size, run_before=at("twaalf-vragen", "r"))


def test_rating_results_sorted_by_gap(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app(), terminal_size=(100, 30), run_before=at("twaalf-vragen", "r", "s"))


@pytest.mark.parametrize("size", SIZES)
def test_headline_question_results(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app(), terminal_size=size, run_before=at("serieus-genomen", "r"))


def test_pairs_timer(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app(), terminal_size=(100, 30), run_before=at("goede-ervaring"))


@pytest.mark.parametrize("size", SIZES)
def test_words_wall_shows_participant_text_as_text(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app(), terminal_size=size, run_before=at("wat-maakte-het-goed"))


@pytest.mark.parametrize("size", SIZES)
def test_ideas_ranking(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Votes per group side by side, ◆ where the groups choose most differently, merged
    ideas together, the hidden one left out, participant text as text."""
    assert snap_compare(app(), terminal_size=size, run_before=at("oogst-woorden", "r"))


@pytest.mark.parametrize("size", SIZES)
def test_choice_results(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app(), terminal_size=size, run_before=at("oogst-themas", "r"))


def test_help(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app(), terminal_size=(100, 30), run_before=at("welkom", "question_mark"))


def test_a_window_too_small(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app(), terminal_size=(60, 20), run_before=at("welkom"))
