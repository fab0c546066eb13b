"""`gsdialog simulate` against a real collector on loopback."""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from gsdialog.cli import main
from gsdialog.collector.app import make_app
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.session import Session
from gsdialog.simulate import ANSWER_FORM, RECONNECTS, Page, answer_for, read_page, simulate, split_url
from gsdialog.core.loader import builtin_path, load_workshop
from gsdialog.core.workshop import Workshop


async def served(workshop: Workshop) -> tuple[Session, TestServer, str]:
    session = await Session.new(workshop, MemoryJournal(), session_id="s", code="ACE34", created="",
                                source="", threshold=2)
    server = TestServer(make_app(session))
    await server.start_server()
    return session, server, str(server.make_url("/ACE34"))


async def wait_until(condition: Callable[[], bool], what: str, timeout: float = 10) -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds, saying `what` did not happen."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.02)


async def until_joined(session: Session, phones: int) -> None:
    await wait_until(lambda: len(session.roles) == phones, f"{phones} phones joined")


async def step_through(session: Session, phones: int) -> None:
    """Go to each next step like a facilitator, once every phone has answered the current one."""
    for index in range(1, len(session.workshop.steps)):
        await session.go_to(index)
        if session.step.kind not in ("info", "pairs"):
            step = session.step.id
            await wait_until(lambda: len(session.answers[step]) == phones, f"{phones} answers to {step}")


async def test_phones_join_follow_answer_and_stop_when_the_session_closes(example: Workshop) -> None:
    session, server, url = await served(example)
    run = asyncio.create_task(simulate(url, 12, mix=0.5, seed=7, think=0.05, duration=30))
    await until_joined(session, 12)
    await step_through(session, 12)
    await session.close()  # mid-run, as a facilitator would
    tally = await asyncio.wait_for(run, 10)
    await server.close()
    assert tally.joined == 12 and not tally.errors
    answerable = [s for s in example.steps if s.kind not in ("info", "pairs")]
    assert tally.sent == tally.acknowledged == 12 * len(answerable)
    assert len(tally.latencies) == tally.acknowledged
    # Professionals rated themselves higher than the others experience it.
    [result] = session.results("gehoord")  # type: ignore[misc]
    assert result.gap is not None and result.gap.difference > 0
    assert session.participant_counts()["professional"] > 0 and session.participant_counts()["other"] > 0
    assert "joined: 12" in tally.summary()


async def test_a_run_longer_than_every_time_limit_has_no_errors() -> None:
    """The event streams stay open for the whole session; only pages and answers have a time limit."""
    workshop = load_workshop(builtin_path("oogstdialoog"))
    session, server, url = await served(workshop)
    limit, phones = 1.0, 10
    loop = asyncio.get_running_loop()
    began = loop.time()
    run = asyncio.create_task(simulate(url, phones, seed=5, think=0.05, duration=60, request_timeout=limit))
    await until_joined(session, phones)
    answerable = [step.id for step in workshop.steps if step.kind not in ("info", "pairs")]
    for index in range(1, len(workshop.steps)):
        await session.go_to(index)
        step = session.step.id
        if step in answerable:
            await wait_until(lambda: len(session.answers[step]) == phones, f"{phones} answers to {step}")
            await session.show_results()
        await asyncio.sleep(limit / 3)  # the facilitator talks a while: the run outlasts the limit
    assert loop.time() - began > 5 * limit
    await session.close()
    tally = await asyncio.wait_for(run, 10)
    await server.close()
    assert not tally.errors
    assert tally.sent == tally.acknowledged == phones * len(answerable)


async def test_the_run_is_bounded_in_time(example: Workshop) -> None:
    session, server, url = await served(example)
    tally = await asyncio.wait_for(simulate(url, 5, seed=1, think=0, duration=1.5), 10)
    await server.close()
    assert tally.joined == 5 and tally.sent == 0  # only the welcome step was open: nothing to answer


async def test_the_others_choose_a_role_outside_the_professionals_group() -> None:
    """The oogstdialoog has students, teachers and advocates in the professionals' group:
    a phone that plays one of the others must not pick them."""
    workshop = load_workshop(builtin_path("oogstdialoog"))
    session, server, url = await served(workshop)
    tally = await asyncio.wait_for(simulate(url, 16, mix=0.0, seed=2, think=0, duration=1.5), 10)
    await server.close()
    assert tally.joined == 16
    assert {workshop.role(role).group for role in session.roles.values()} == {"other"}
    assert len(set(session.roles.values())) > 1


async def test_a_server_that_goes_away_is_an_error_and_ends_the_run(example: Workshop) -> None:
    session, server, url = await served(example)
    run = asyncio.create_task(simulate(url, 3, seed=1, think=0, duration=60))
    await until_joined(session, 3)
    await session.go_to(2)
    await wait_until(lambda: len(session.answers["gehoord"]) == 3, "3 answers")
    await server.close()  # mid-run: the session has not ended
    tally = await asyncio.wait_for(run, 30)
    assert tally.joined == 3 and tally.acknowledged == 3
    assert tally.errors["events ClientConnectorError"] == 3 * RECONNECTS
    assert "gave up reconnecting: 3" in tally.summary()


@pytest.mark.parametrize(("reason", "named"), [("disk_full", "POST 503"), ("step_not_open", "POST 409"),
                                               ("out_of_range", "POST 400")])
async def test_a_refused_answer_is_an_error(example: Workshop, reason: str, named: str) -> None:
    session, server, url = await served(example)
    journal = session.journal
    assert isinstance(journal, MemoryJournal) and journal.refusal is not None
    check, refused = journal.refusal, []

    def refuse_answers(event: dict[str, object], *ahead: Any) -> str | None:
        if event["type"] == "answer":
            refused.append(event)
            return reason
        return check(event, *ahead)

    journal.refusal = refuse_answers
    run = asyncio.create_task(simulate(url, 4, seed=1, think=0, duration=60))
    await until_joined(session, 4)
    await session.go_to(2)
    await wait_until(lambda: len(refused) == 4, "4 answers refused")
    await session.close()
    tally = await asyncio.wait_for(run, 10)
    await server.close()
    assert tally.sent == 4 and tally.acknowledged == 0
    assert tally.errors == {named: 4}
    assert f"errors: {named}: 4" in tally.summary()


async def test_a_wrong_code_is_reported_not_hidden(example: Workshop) -> None:
    session, server, url = await served(example)
    tally = await simulate(url.replace("ACE34", "XXXXX"), 3, seed=1, duration=5)
    await server.close()
    assert tally.joined == 0 and tally.errors["GET 404"] == 3


def test_answers_look_like_the_room() -> None:
    rng = random.Random(1)
    page = Page(step="r", kind="rating", items=["a"], scale=range(1, 6), options=[], multiple=False, max_choices=None,
                words=0, max_length=40)
    professional = [int(answer_for(page, True, rng)[1][1]) for _ in range(200)]
    other = [int(answer_for(page, False, rng)[1][1]) for _ in range(200)]
    assert sum(professional) / 200 > sum(other) / 200 + 1
    assert set(professional) | set(other) <= set(range(1, 6))
    choice = Page(step="c", kind="choice", items=[], scale=None, options=["x", "y", "z"], multiple=True, max_choices=2,
                  words=0, max_length=40)
    assert all(len(answer_for(choice, True, rng)) - 1 <= 2 for _ in range(50))


async def test_only_an_answer_form_is_answered(example: Workshop) -> None:
    """Once the results are shown, the page keeps the answer but has no form: nothing to answer."""
    session, server, url = await served(example)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
        async with phone.post(f"{url}/role", data={"role": "parent"}, allow_redirects=False) as joined:
            assert joined.status == 303
        await session.go_to(2)  # a rating step
        async with phone.get(url) as response:
            html = await response.text()
    await server.close()
    page = read_page(html)
    assert page is not None and page.step == "gehoord" and page.scale == range(1, 6)
    assert read_page(ANSWER_FORM.sub("<p>Your answer: 4</p>", html)) is None


async def test_the_page_says_its_kind_and_the_simulator_guesses_none(example: Workshop) -> None:
    """The answer form names its step's kind (data-kind); a kind the simulator does not
    know is not answered as the one its form looks like."""
    session, server, url = await served(example)
    kinds = {}
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
        async with phone.post(f"{url}/role", data={"role": "parent"}, allow_redirects=False) as joined:
            assert joined.status == 303
        for index, step in enumerate(example.steps):
            await session.go_to(index)
            async with phone.get(url) as response:
                page = read_page(await response.text())
            kinds[step.id] = page.kind if page else None
    await server.close()
    assert kinds == {step.id: (step.kind if step.kind in ("rating", "evaluation", "choice", "words") else None)
                     for step in example.steps}
    rating = Page(step="r", kind="rating", items=["a"], scale=range(1, 6), options=[], multiple=False,
                  max_choices=None, words=0, max_length=40)
    assert len(answer_for(rating, True, random.Random(1))) == 2
    made_up = dataclasses.replace(rating, kind="made-up")
    assert answer_for(made_up, True, random.Random(1)) == [("step", "r")]


def test_split_url() -> None:
    assert split_url("http://127.0.0.1:8080/ACE34") == ("http://127.0.0.1:8080", "ACE34")
    assert split_url("https://example.org/gs/ACE34/") == ("https://example.org/gs", "ACE34")
    with pytest.raises(ValueError):
        split_url("127.0.0.1:8080")


@pytest.mark.parametrize("args", [["simulate", "nonsense"], ["simulate", "http://127.0.0.1:1/A", "--phones", "0"],
                                  ["simulate", "http://127.0.0.1:1/A", "--mix", "2"]])
def test_bad_arguments_get_a_message(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert "gsdialog simulate:" in capsys.readouterr().err


async def test_a_whole_built_in_workshop(tmp_path) -> None:  # type: ignore[no-untyped-def]
    workshop = load_workshop(builtin_path("twaalf-vragen"))
    session, server, url = await served(workshop)
    run = asyncio.create_task(simulate(url, 20, seed=3, think=0.05, duration=30))
    await until_joined(session, 20)
    await step_through(session, 20)
    await session.close()
    tally = await asyncio.wait_for(run, 10)
    await server.close()
    assert tally.acknowledged == tally.sent > 0 and not tally.errors


async def test_stop_ends_the_run_at_once(example: Workshop) -> None:
    """What Ctrl-C does: no waiting for the next event on the stream."""
    session, server, url = await served(example)
    stop = asyncio.Event()
    run = asyncio.create_task(simulate(url, 4, seed=1, think=0, duration=60, stop=stop))
    await until_joined(session, 4)
    stop.set()
    tally = await asyncio.wait_for(run, 3)
    await server.close()
    assert tally.joined == 4
