"""An answer sent again with its key, and the phones that follow the room now
(collector/resend.py, collector/following.py), through aiohttp's test client."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from gsdialog.collector import following
from gsdialog.collector.app import make_app
from gsdialog.collector.remote import add_remote
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.session import Session
from gsdialog.core.workshop import Workshop

Client = TestClient  # type: ignore[type-arg]
MakeClient = Callable[[web.Application], Awaitable[Client]]
CODE = "ACE34"
STEPS = ["welkom", "vertellen", "gehoord", "wat-helpt", "woorden", "afsluiting"]
KEY = "k3y-0f-this-answer"


async def joined(client: Client, role: str = "parent") -> None:
    response = await client.post(f"/{CODE}/role", data={"role": role}, allow_redirects=False)
    assert response.status == 303


async def at(session: Session, step: str) -> None:
    await session.go_to(STEPS.index(step))


def only_phone(session: Session) -> str:
    [token] = session.roles
    return token


async def next_event(response: Any) -> dict[str, Any]:
    while True:
        line = (await asyncio.wait_for(response.content.readline(), 5)).decode().rstrip("\r\n")
        if line.startswith("data:"):
            return json.loads(line[5:])  # type: ignore[no-any-return]


@pytest.fixture
async def session(example: Workshop) -> Session:
    return await Session.new(example, MemoryJournal(), session_id="s", code=CODE, created="2026-11-23",
                             source="", threshold=2)


@pytest.fixture
async def client(aiohttp_client: MakeClient, session: Session) -> Client:
    return await aiohttp_client(make_app(session))


async def post(client: Client, data: dict[str, str]) -> tuple[int, str]:
    response = await client.post(f"/{CODE}/answer", data=data, allow_redirects=False)
    await response.read()
    return response.status, response.headers.get("Location", "")


def answers(session: Session) -> list[dict[str, Any]]:
    assert isinstance(session.journal, MemoryJournal)
    return [event for event in session.journal.events if event["type"] == "answer"]


async def test_a_key_sent_twice_is_stored_once_with_the_same_303(client: Client, session: Session) -> None:
    await joined(client)
    await at(session, "gehoord")
    first = await post(client, {"step": "gehoord", "item-luisteren": "2", "key": KEY})
    again = await post(client, {"step": "gehoord", "item-luisteren": "2", "key": KEY})
    assert first == again == (303, f"/{CODE}?sent=gehoord")
    assert len(answers(session)) == 1
    assert session.answer_of(only_phone(session), "gehoord") == {"luisteren": 2}


async def test_a_key_acknowledged_before_the_results_is_acknowledged_after(client: Client,
                                                                            session: Session) -> None:
    """Its 303 was lost on the way; the results came on the screen meanwhile: it counted."""
    await joined(client)
    await at(session, "gehoord")
    assert await post(client, {"step": "gehoord", "item-luisteren": "2", "key": KEY}) == (303, f"/{CODE}?sent=gehoord")
    await session.show_results()
    assert await post(client, {"step": "gehoord", "item-luisteren": "2", "key": KEY}) == (303, f"/{CODE}?sent=gehoord")
    await at(session, "wat-helpt")
    assert await post(client, {"step": "gehoord", "item-luisteren": "2", "key": KEY}) == (303, f"/{CODE}?sent=gehoord")
    assert len(answers(session)) == 1


async def test_after_a_restart_the_stored_answer_acknowledges_its_key(aiohttp_client: MakeClient,
                                                                       session: Session) -> None:
    """A restarted server has forgotten the keys: the same answer as the stored one is
    acknowledged and written no more; another one is refused once the step closed."""
    client = await aiohttp_client(make_app(session))
    await joined(client)
    await at(session, "gehoord")
    await post(client, {"step": "gehoord", "item-luisteren": "2", "key": KEY})
    cookies = client.session.cookie_jar
    restarted = await aiohttp_client(make_app(session))
    restarted.session.cookie_jar.update_cookies({c.key: c.value for c in cookies})
    assert await post(restarted, {"step": "gehoord", "item-luisteren": "2", "key": KEY}) == \
        (303, f"/{CODE}?sent=gehoord")
    assert len(answers(session)) == 1
    await session.show_results()
    assert await post(restarted, {"step": "gehoord", "item-luisteren": "2", "key": "another-key-1"}) == \
        (303, f"/{CODE}?sent=gehoord")
    assert (await post(restarted, {"step": "gehoord", "item-luisteren": "4", "key": "another-key-2"}))[0] == 409
    assert len(answers(session)) == 1
    assert session.answer_of(only_phone(session), "gehoord") == {"luisteren": 2}


async def test_an_answer_sent_after_its_step_closed_is_not_counted(client: Client, session: Session) -> None:
    await joined(client)
    await at(session, "gehoord")
    await session.show_results()
    response = await client.post(f"/{CODE}/answer", data={"step": "gehoord", "item-luisteren": "2", "key": KEY},
                                 allow_redirects=False)
    assert response.status == 409
    assert "De uitkomsten staan al op het scherm." in await response.text()
    await at(session, "wat-helpt")
    assert (await post(client, {"step": "gehoord", "item-luisteren": "2", "key": KEY}))[0] == 409
    assert answers(session) == []
    assert session.answer_counts("gehoord") == {"professional": 0, "other": 0}


async def test_an_older_answer_arriving_late_never_replaces_a_newer_one(client: Client, session: Session) -> None:
    await joined(client)
    await at(session, "gehoord")
    await post(client, {"step": "gehoord", "item-luisteren": "2", "key": "older-answer"})
    await post(client, {"step": "gehoord", "item-luisteren": "4", "key": "newer-answer"})
    assert await post(client, {"step": "gehoord", "item-luisteren": "2", "key": "older-answer"}) == \
        (303, f"/{CODE}?sent=gehoord")
    assert session.answer_of(only_phone(session), "gehoord") == {"luisteren": 4}
    assert len(answers(session)) == 2


async def test_a_changed_answer_with_a_new_key_is_stored(client: Client, session: Session) -> None:
    await joined(client)
    await at(session, "wat-helpt")
    await post(client, {"step": "wat-helpt", "option": "tijd", "key": "first-answer"})
    assert await post(client, {"step": "wat-helpt", "option": "doorvragen", "key": "second-answer"}) == \
        (303, f"/{CODE}?sent=wat-helpt")
    assert session.answer_of(only_phone(session), "wat-helpt") == {"choice": ["doorvragen"]}


async def test_without_a_key_or_with_a_bad_one_nothing_changes(client: Client, session: Session) -> None:
    """Without JavaScript no key is posted: the same answer twice is stored twice, as before.
    A key that is not one the script makes is no key at all."""
    await joined(client)
    await at(session, "gehoord")
    for data in ({}, {"key": "short"}, {"key": "no spaces or <b>markup</b>"}):
        assert await post(client, {"step": "gehoord", "item-luisteren": "2", **data}) == (303, f"/{CODE}?sent=gehoord")
    assert len(answers(session)) == 3
    status, _ = await post(client, {"step": "gehoord", "item-luisteren": "2", "key": KEY, "extra": "x"})
    assert status == 400  # still checked as any answer: the key is not an item


async def test_closing_forgets_the_keys(client: Client, session: Session) -> None:
    await joined(client)
    await at(session, "gehoord")
    await post(client, {"step": "gehoord", "item-luisteren": "2", "key": KEY})
    from gsdialog.collector.resend import SENT

    assert client.server.app[SENT].keys
    await session.close()
    assert client.server.app[SENT].keys == {}
    # The phone is forgotten too: to the session's page, which says the workshop has ended.
    assert await post(client, {"step": "gehoord", "item-luisteren": "2", "key": KEY}) == (303, f"/{CODE}")


# --- the phones following now -----------------------------------------------------------------------


async def test_the_stream_tells_the_browser_when_to_come_back_each_its_own(client: Client) -> None:
    waits = set()
    for _ in range(8):
        response = await client.get(f"/{CODE}/events")
        retry = None
        while retry is None:
            line = (await asyncio.wait_for(response.content.readline(), 5)).decode().strip()
            if line.startswith("retry:"):
                retry = int(line[6:])
        waits.add(retry)
        response.close()
    assert all(following.RETRY_MS <= wait < following.RETRY_MS + following.RETRY_JITTER_MS for wait in waits)
    assert len(waits) > 1, "the same wait for every phone: a hall would knock at once"


async def test_the_session_hears_how_many_joined_phones_follow(aiohttp_client: MakeClient, session: Session,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(following, "REPORT_EVERY", 0.01)
    heard: list[str] = []
    session.subscribe(lambda change: heard.append(change.kind))
    app = make_app(session)
    phones = [await aiohttp_client(app) for _ in range(3)]
    for phone, role in zip(phones, ("parent", "parent", "professional")):
        await joined(phone, role)
    stranger = await aiohttp_client(app)  # not joined: it is not counted
    streams = [await phone.get(f"/{CODE}/events") for phone in [*phones, phones[0], stranger]]
    for stream in streams:
        await next_event(stream)

    async def counted(expected: dict[str, int]) -> None:
        for _ in range(200):
            if session.following == expected:
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"{session.following} != {expected}")

    await counted({"professional": 1, "other": 2})
    assert "following" in heard
    streams[0].close()  # the same phone's second tab still follows
    await counted({"professional": 1, "other": 2})
    streams[3].close()
    await counted({"professional": 1, "other": 1})
    await phones[1].post(f"/{CODE}/role", data={"role": "professional"}, allow_redirects=False)
    await counted({"professional": 2, "other": 0})
    for stream in streams:
        stream.close()
    await counted({"professional": 0, "other": 0})


async def test_the_remote_shows_the_phones_following(aiohttp_client: MakeClient, session: Session) -> None:
    class Secret:
        value = "s3cr3t-" + "x" * 30

        def read(self) -> str:
            return self.value

    secret = Secret()
    app = make_app(session)
    add_remote(app, secret)
    client = await aiohttp_client(app)
    page = await (await client.get(f"/{CODE}/remote/{secret.value}")).text()
    assert "Volgen nu" not in page  # nobody counts them
    session.set_following({"professional": 3, "other": 1})
    for _ in range(2):
        await session.join("parent")
    page = await (await client.get(f"/{CODE}/remote/{secret.value}")).text()
    assert "Volgen nu" in page and "Ouders 1 van 2" in page and "Professionals 3 van 0" in page


async def test_the_projector_shows_the_phones_following_per_group(session: Session) -> None:
    from gsdialog.projector.app import ProjectorApp

    app = ProjectorApp(session, lang="nl")
    async with app.run_test(size=(160, 45)) as pilot:
        for role in ("parent", "parent", "professional"):
            await session.join(role)
        await pilot.pause(0.3)
        assert "Ouders 2" in str(app.status.render()) and "volgen" not in str(app.status.render())
        session.set_following({"professional": 1, "other": 1})
        for _ in range(100):
            if "Ouders 1 van 2 volgen" in str(app.status.render()):
                break
            await pilot.pause(0.05)
        status = str(app.status.render())
        assert "Professionals 1 van 1 volgen" in status and "Ouders 1 van 2 volgen" in status
