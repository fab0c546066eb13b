"""The live session: joining, answering, steps, events, closing."""

from __future__ import annotations

from typing import Any

import pytest

from gsdialog.core.journal import MemoryJournal
from gsdialog.core.session import (
    CLOSED,
    CODE_ALPHABET,
    OPEN,
    PENDING,
    RESULTS,
    AnswerError,
    Change,
    Session,
    new_code,
)
from gsdialog.core.workshop import Workshop


async def started(workshop: Workshop, source: str = "", threshold: int | None = None) -> Session:
    return await Session.new(workshop, MemoryJournal(), session_id="s1", code="ACE34", created="2026-11-23",
                             source=source, threshold=threshold)


async def at(session: Session, step_id: str) -> Session:
    await session.go_to([step.id for step in session.workshop.steps].index(step_id))
    return session


def test_join_codes_are_short_and_without_look_alikes() -> None:
    codes = {new_code() for _ in range(500)}
    assert all(len(code) <= 6 for code in codes)
    assert not set("".join(codes)) & set("0O1IlLSZ5B8")
    assert set("".join(codes)) <= set(CODE_ALPHABET)
    assert new_code(taken=codes) not in codes


async def test_a_new_session_opens_its_first_step(example: Workshop) -> None:
    session = await started(example)
    assert (session.id, session.code, session.step_index) == ("s1", "ACE34", 0)
    assert session.states["welkom"] == OPEN
    assert all(session.states[s.id] == PENDING for s in example.steps[1:])


async def test_moving_on_closes_the_step_before_and_going_back_reopens_it(example: Workshop) -> None:
    session = await at(await started(example), "gehoord")
    assert session.states["welkom"] == CLOSED and session.states["gehoord"] == OPEN
    await at(session, "woorden")
    assert session.states["gehoord"] == CLOSED
    await at(session, "gehoord")
    assert session.states["gehoord"] == OPEN and session.states["woorden"] == CLOSED


async def test_shown_results_end_the_answers_for_good(example: Workshop) -> None:
    """What the room saw never changes: not by a late answer, not by going back."""
    session = await at(await started(example), "gehoord")
    phone = await session.join("parent")
    await session.answer(phone, "gehoord", {"luisteren": 2})
    await session.show_results()
    assert session.states["gehoord"] == RESULTS
    with pytest.raises(AnswerError) as refused:
        await session.answer(phone, "gehoord", {"luisteren": 5})
    assert refused.value.reason == "results_shown"
    await at(session, "woorden")
    await at(session, "gehoord")
    assert session.states["gehoord"] == RESULTS
    with pytest.raises(AnswerError):
        await session.answer(await session.join("parent"), "gehoord", {"luisteren": 5})
    assert session.answer_rows() == [("gehoord", "luisteren", "other", 2)]


async def test_a_new_role_moves_only_the_answer_to_the_open_step(example: Workshop) -> None:
    """Results the room has seen do not shift when one person changes role."""
    session = await at(await started(example, threshold=1), "gehoord")
    phone = await session.join("professional")
    await session.answer(phone, "gehoord", {"luisteren": 5})
    await session.show_results()
    await at(session, "wat-helpt")
    await session.answer(phone, "wat-helpt", {"choice": ["tijd"]})
    await at(session, "woorden")
    await session.answer(phone, "woorden", {"words": ["samen"]})
    await session.set_role(phone, "parent")
    assert session.answer_counts("gehoord") == {"professional": 1, "other": 0}
    assert session.answer_counts("wat-helpt") == {"professional": 1, "other": 0}
    assert session.answer_counts("woorden") == {"professional": 0, "other": 1}
    await at(session, "afsluiting")
    await session.answer(phone, "afsluiting", {"totaal": 7})
    assert session.answer_counts("afsluiting") == {"professional": 0, "other": 1}


async def test_a_new_answer_from_the_same_phone_replaces_the_old_one(example: Workshop) -> None:
    session = await at(await started(example), "gehoord")
    phone = await session.join("parent")
    await session.answer(phone, "gehoord", {"luisteren": 2})
    await session.answer(phone, "gehoord", {"luisteren": 4})
    assert session.answer_of(phone, "gehoord") == {"luisteren": 4}
    assert session.answer_counts("gehoord") == {"professional": 0, "other": 1}


async def test_answers_are_kept_per_phone(example: Workshop) -> None:
    session = await at(await started(example, threshold=2), "gehoord")
    phones = [await session.join(role) for role in ("professional", "professional", "parent", "parent")]
    for phone, value in zip(phones, (5, 4, 2, 1), strict=True):
        await session.answer(phone, "gehoord", {"luisteren": value})
    [result] = session.results("gehoord")  # type: ignore[misc]
    assert result.groups["professional"].mean == 4.5 and result.groups["other"].mean == 1.5
    assert result.gap is not None and result.gap.blind_spot


async def test_changing_role_moves_earlier_answers_to_the_new_group(example: Workshop) -> None:
    session = await at(await started(example), "gehoord")
    phone = await session.join("professional")
    await session.answer(phone, "gehoord", {"luisteren": 5})
    await session.set_role(phone, "parent")
    assert session.answer_counts("gehoord") == {"professional": 0, "other": 1}
    assert session.participant_counts() == {"professional": 0, "other": 1}


@pytest.mark.parametrize(
    ("step", "values", "reason"),
    [
        ("gehoord", {}, "missing"),
        ("gehoord", {"luisteren": 6}, "out_of_range"),
        ("gehoord", {"luisteren": 0}, "out_of_range"),
        ("gehoord", {"luisteren": "4"}, "not_a_number"),
        ("gehoord", {"luisteren": True}, "not_a_number"),
        ("gehoord", {"praten": 3}, "unknown_item"),
        ("wat-helpt", {"choice": ["tijd", "vliegen"]}, "unknown_item"),
        ("wat-helpt", {"choice": []}, "missing"),
        ("wat-helpt", {"choice": "tijd"}, "missing"),
        ("wat-helpt", {"choice": ["tijd", "tijd"]}, "duplicate"),
        ("wat-helpt", {"other": ["tijd"]}, "unknown_item"),
        ("woorden", {"words": ["a", "b", "c", "d"]}, "too_many"),
        ("woorden", {"words": ["  ", "\u200b", "\x1b"]}, "missing"),
        ("woorden", {"words": [3]}, "missing"),
        ("afsluiting", {"totaal": 11}, "out_of_range"),
        ("welkom", {"x": 1}, "nothing_to_answer"),
    ],
)
async def test_bad_answers_are_refused_and_nothing_is_stored(example: Workshop, step: str,
                                                             values: dict[str, Any], reason: str) -> None:
    session = await at(await started(example), step)
    phone = await session.join("parent")
    events = len(session.journal.events)  # type: ignore[attr-defined]
    with pytest.raises(AnswerError) as refused:
        await session.answer(phone, step, values)
    assert refused.value.reason == reason
    assert session.answer_of(phone, step) is None
    assert len(session.journal.events) == events  # type: ignore[attr-defined]


async def test_only_the_current_step_takes_answers(example: Workshop) -> None:
    session = await at(await started(example), "gehoord")
    phone = await session.join("parent")
    with pytest.raises(AnswerError, match="step_not_open"):
        await session.answer(phone, "afsluiting", {"totaal": 5})
    await at(session, "woorden")
    with pytest.raises(AnswerError, match="step_not_open"):
        await session.answer(phone, "gehoord", {"luisteren": 3})


async def test_a_phone_must_have_joined_with_a_known_role(example: Workshop) -> None:
    session = await at(await started(example), "gehoord")
    with pytest.raises(AnswerError, match="unknown_phone"):
        await session.answer("made-up-token", "gehoord", {"luisteren": 3})
    with pytest.raises(AnswerError, match="unknown_role"):
        await session.join("koning")


async def test_choice_and_words_are_stored_clean(example: Workshop) -> None:
    session = await at(await started(example), "wat-helpt")
    phone = await session.join("parent")
    assert await session.answer(phone, "wat-helpt", {"choice": ["doorvragen", "tijd"]}) == {
        "choice": ["tijd", "doorvragen"]}
    await at(session, "woorden")
    stored = await session.answer(phone, "woorden", {"words": ["  echt\tluisteren ", "[/]\x1b[2J", "x" * 99]})
    assert stored == {"words": ["echt luisteren", "[/][2J", "x" * 40]}


async def test_a_single_choice_takes_one_option() -> None:
    from gsdialog.core.loader import builtin_path, load_workshop

    workshop = load_workshop(builtin_path("leerdoelen"))
    session = await at(await started(workshop), "gelukt")
    phone = await session.join("professional")
    with pytest.raises(AnswerError, match="too_many"):
        await session.answer(phone, "gelukt", {"choice": ["nee", "ja"]})


async def test_listeners_hear_every_change(example: Workshop) -> None:
    session = await started(example)
    heard: list[Change] = []
    stop = session.subscribe(heard.append)
    phone = await session.join("professional")
    await at(session, "gehoord")
    await session.answer(phone, "gehoord", {"luisteren": 3})
    await session.show_results()
    stop()
    await session.close()
    assert [c.kind for c in heard] == ["join", "step", "answer", "results"]
    assert heard[2] == Change("answer", "gehoord", "professional")


async def test_closing_forgets_the_phones_but_keeps_the_results(example: Workshop) -> None:
    session = await at(await started(example, threshold=2), "gehoord")
    phones = [await session.join(role) for role in ("professional", "professional", "parent", "parent")]
    for phone, value in zip(phones, (5, 4, 2, 1), strict=True):
        await session.answer(phone, "gehoord", {"luisteren": value})
    await at(session, "woorden")
    await session.answer(phones[0], "woorden", {"words": ["tijd"]})
    before = session.results("gehoord")
    await session.close()
    assert session.closed and session.roles == {}
    assert not set(phones) & set(session.groups)
    assert session.results("gehoord") == before
    assert session.participant_counts() == {"professional": 2, "other": 2}
    # No key links two answers: every answer has its own.
    keys = [key for by_key in session.answers.values() for key in by_key]
    assert len(keys) == len(set(keys)) == 5
    with pytest.raises(AnswerError, match="session_closed"):
        await session.join("parent")


async def test_a_hidden_word_leaves_the_wall(example: Workshop) -> None:
    session = await at(await started(example, threshold=2), "woorden")
    phones = [await session.join("parent") for _ in range(2)]  # both in before the first answer
    for phone, words in zip(phones, (["Tijd", "rot op"], ["tijd"]), strict=True):
        await session.answer(phone, "woorden", {"words": words})
    await session.hide_word("woorden", "ROT  op")
    result = session.results("woorden")
    assert [w.text for w in result.words["other"]] == ["Tijd"]  # type: ignore[union-attr]
