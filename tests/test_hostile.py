"""Hostile phones: fuzzed forms, nasty text, half-open connections, and what leaks.

Whatever a phone sends, the answer is a plain status (never a 500), nothing
invalid is stored, the projector keeps running and following keys, the other
phones are served, and every export stays safe.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import socket
from urllib.parse import urlencode
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import ClientSession, CookieJar
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gsdialog.collector.app import make_app
from gsdialog.collector.pace import RateLimit
from gsdialog.collector.server import Server, bind
from gsdialog.export.data import to_csv, to_json
from gsdialog.export.render import to_html, to_markdown
from gsdialog.export.report import harvest
from gsdialog.projector.app import ProjectorApp
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.session import Session
from gsdialog.core.loader import load_workshop
from gsdialog.core.workshop import Workshop

from pathlib import Path

DATA = Path(__file__).parent / "data"

CODE = "ACE34"
NASTY = [
    "[/]", "[@click=app.quit]klik[/]", "[bold red]rood[/]", "<script>alert(1)</script>", "<img src=x onerror=1>",
    "=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@A1", "\x1b[2J\x1b[H", "\x07bel", "x" * 5000,
    "👨‍👩‍👧 gezin 🎉", "שלום עולם", "مرحبا", "a\u200bb\u200cc\u200d", "\u202eesrever", "\x00nul",
    "{{ 7*7 }}", "{% raw %}", "'; DROP TABLE answers; --", "%s%s%n", "\ud800".encode("utf-8", "surrogatepass")
    .decode("utf-8", "replace"),
]
KEYS = ["step", "item-luisteren", "item-x", "option", "word", "role", "", "item-", "step[]", "a" * 300]


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def fuzzed(loop: asyncio.AbstractEventLoop) -> Iterator[tuple[Session, TestClient]]:  # type: ignore[type-arg]
    workshop = load_workshop(DATA / "example.toml")

    async def start() -> tuple[Session, TestClient]:  # type: ignore[type-arg]
        session = await Session.new(workshop, MemoryJournal(), session_id="s", code=CODE, created="",
                                    source="", threshold=2)
        client = TestClient(TestServer(make_app(session, rate=RateLimit(burst=10**9))))
        await client.start_server()
        await client.post(f"/{CODE}/role", data={"role": "parent"})
        return session, client

    session, client = loop.run_until_complete(start())
    yield session, client
    loop.run_until_complete(client.close())


def stored_values_are_valid(session: Session) -> None:
    for step in session.workshop.steps:
        for values in session.answers[step.id].values():
            Session.check_values(step, values)  # raises if anything invalid got in


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(step=st.sampled_from(["gehoord", "wat-helpt", "woorden", "afsluiting", "welkom"]),
       fields=st.lists(st.tuples(st.sampled_from(KEYS) | st.text(max_size=20),
                                 st.sampled_from(NASTY) | st.text(max_size=60) | st.integers().map(str)),
                       max_size=30),
       raw=st.binary(max_size=200))
def test_fuzzed_forms_get_a_plain_status_and_store_nothing_invalid(
        fuzzed: tuple[Session, TestClient], loop: asyncio.AbstractEventLoop,  # type: ignore[type-arg]
        step: str, fields: list[tuple[str, str]], raw: bytes) -> None:
    session, client = fuzzed

    async def attempt() -> list[int]:
        steps = [s.id for s in session.workshop.steps]
        await session.go_to(steps.index(step))
        statuses = []
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        for path in (f"/{CODE}/answer", f"/{CODE}/role"):
            for body in (urlencode(fields).encode(), raw):
                response = await client.post(path, data=body, allow_redirects=False, headers=form)
                statuses.append(response.status)
        return statuses

    statuses = loop.run_until_complete(attempt())
    assert set(statuses) <= {303, 400, 409, 413}, statuses
    stored_values_are_valid(session)


async def test_nasty_text_everywhere_keeps_the_projector_running_and_exports_safe(example: Workshop) -> None:
    session = await Session.new(example, MemoryJournal(), session_id="s", code=CODE, created="", source="",
                                threshold=2)
    words_step = [s.id for s in example.steps].index("woorden")
    server = TestServer(make_app(session, rate=RateLimit(burst=10**9)))
    await server.start_server()
    await session.go_to(words_step)
    session.door.latecomers_answer = True  # each phone joins, then answers at once
    for index in range(0, len(NASTY), 3):
        async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as phone:  # each a phone of its own
            await phone.post(server.make_url(f"/{CODE}/role"), data={"role": "parent" if index % 2 else "professional"})
            form = urlencode([("step", "woorden")] + [("word", w) for w in NASTY[index:index + 3]]).encode()
            response = await phone.post(server.make_url(f"/{CODE}/answer"), data=form, allow_redirects=False,
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert response.status in (303, 400), await response.text()
            page = await (await phone.get(server.make_url(f"/{CODE}?sent=woorden"))).text()
            assert "<script>alert" not in page and "<img src=x" not in page
    await server.close()
    stored = [w for values in session.answers["woorden"].values() for w in values["words"]]
    assert stored and all(len(w) <= 40 for w in stored)
    assert not any(c in w for w in stored for c in "\x1b\x07\x00\u200b\u202e")

    app = ProjectorApp(session, clock=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        app.redraw_now()
        await pilot.pause(0.2)
        await pilot.press("down", "down", "x", "pageup", "pagedown", "question_mark", "escape")
        await pilot.pause(0.2)
        assert app.is_running and app.step_index == words_step

    found = harvest([session])
    html, md, table, data = to_html(found, "nl"), to_markdown(found, "nl"), to_csv(found), to_json(found)
    assert "<script>alert" not in html and "<img src=x" not in html and "{{ 7*7 }}" in html.replace("&#123;", "{")
    assert "<script>" not in md and "<img" not in md
    for row in csv.reader(io.StringIO(table)):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row[4:]), row
    assert json.loads(data)["responses"]


async def test_many_half_open_connections_do_not_stop_real_phones(example: Workshop) -> None:
    session = await Session.new(example, MemoryJournal(), session_id="s", code=CODE, created="", source="")
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = Server(make_app(session), sock)
    await server.start()
    loop = asyncio.get_running_loop()
    stalled = []
    try:
        for _ in range(200):  # each sends half a request and then nothing
            raw = socket.socket()
            raw.setblocking(False)
            await loop.sock_connect(raw, ("127.0.0.1", port))
            await loop.sock_sendall(raw, b"POST /ACE34/answer HTTP/1.1\r\nHost: x\r\nContent-Length: 999\r\n\r\nst")
            stalled.append(raw)

        async def phone(number: int) -> int:
            async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as http:
                await http.post(f"http://127.0.0.1:{port}/{CODE}/role", data={"role": "parent"})
                response = await http.get(f"http://127.0.0.1:{port}/{CODE}")
                return response.status

        statuses = await asyncio.wait_for(asyncio.gather(*(phone(n) for n in range(20))), 20)
        assert statuses == [200] * 20 and len(session.roles) == 20
    finally:
        for raw in stalled:
            raw.close()
        await server.stop()


async def test_no_log_holds_a_participants_address(example: Workshop, caplog: pytest.LogCaptureFixture) -> None:
    session = await Session.new(example, MemoryJournal(), session_id="s", code=CODE, created="", source="")
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = Server(make_app(session), sock)
    caplog.set_level(logging.DEBUG)
    await server.start()
    try:
        async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as http:
            await http.post(f"http://127.0.0.1:{port}/{CODE}/role", data={"role": "parent"})
            await session.go_to(2)
            await http.post(f"http://127.0.0.1:{port}/{CODE}/answer",
                            data={"step": "gehoord", "item-luisteren": "3"})
            await http.get(f"http://127.0.0.1:{port}/nothing")
    finally:
        await server.stop()
    assert session.answer_counts("gehoord")["other"] == 1
    assert "127.0.0.1" not in caplog.text
    records: list[Any] = [r for r in caplog.records if r.name.startswith("aiohttp.access")]
    assert records == []
