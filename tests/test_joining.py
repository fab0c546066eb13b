"""The door of the room (issue 23): closing joining, joining at a human pace,
counting people rather than tabs, and the remote's last loose ends.

The attack these guard against: one real "other" phone answers 1,2,3,4,…,
the same person joins twice more without a cookie and answers 5 everywhere,
and the revealed means (n = 3) give the real person's answers away.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from multidict import CIMultiDict
from aiohttp import web
from aiohttp.test_utils import TestClient

from gsdialog import sessions
from gsdialog.collector.app import make_app
from gsdialog.collector.requests import TOKEN_COOKIE
from gsdialog.collector.pace import Bucket, JoinPace
from gsdialog.collector.remote import add_remote, form_token
from gsdialog.core import joining
from gsdialog.core.errors import AnswerError
from gsdialog.core.i18n import t
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.loader import builtin_path, load_workshop
from gsdialog.core.results import ScaleResult
from gsdialog.core.session import Session
from gsdialog.projector.app import ProjectorApp
from gsdialog.store import Store
from gsdialog.store.remote import RemoteSecret, Serving
from test_projector import shown_when  # noqa: E402

Client = TestClient  # type: ignore[type-arg]
MakeClient = Callable[[web.Application], Awaitable[Client]]
CODE = "ACE34"
FORWARDED = "X-Forwarded-For"


async def twelve() -> Session:
    """The twaalf-vragen workshop at its twelve questions."""
    session = await Session.new(load_workshop(builtin_path("twaalf-vragen")), MemoryJournal(), session_id="s",
                                code=CODE, created="2026-12-03", source="")
    await session.go_to([step.id for step in session.workshop.steps].index("twaalf-vragen"))
    return session


def replayed(session: Session) -> Session:
    """The same session rebuilt from its events, as after a restart."""
    journal = session.journal
    assert isinstance(journal, MemoryJournal)
    again = Session(session.workshop, MemoryJournal())
    for event in journal.events:
        again.apply(event)
    return again


def items(session: Session) -> list[str]:
    return [item.id for item in session.step.items]


def real_answers(session: Session) -> dict[str, int]:
    return {item: 1 + n % 4 for n, item in enumerate(items(session))}  # 1,2,3,4,1,2,3,4,…


def others(session: Session) -> list[Any]:
    """The "other" group's figures per statement of the twelve questions."""
    results = session.results("twaalf-vragen")
    assert isinstance(results, list)
    return [result.groups["other"] for result in results if isinstance(result, ScaleResult)]


# --- the session: the door, late phones, restarts ------------------------------------------


async def test_closed_joining_refuses_a_new_phone_and_keeps_the_old_ones() -> None:
    session = await twelve()
    old = await session.join("parent")
    await session.set_joining(False)
    with pytest.raises(AnswerError, match="joining_closed"):
        await session.join("parent")
    await session.set_role(old, "client")  # a phone that joined keeps working
    await session.answer(old, "twaalf-vragen", real_answers(session))
    assert session.answer_counts("twaalf-vragen")["other"] == 1
    again = replayed(session)  # journalled: a restart keeps the door closed
    assert not again.door.open
    await session.set_joining(True)
    await session.join("parent")
    assert replayed(session).door.open and session.participant_counts()["other"] == 2


async def test_a_phone_that_joins_after_the_first_answer_waits_unless_let_in() -> None:
    session = await twelve()
    early, also_early = await session.join("parent"), await session.join("professional")
    await session.answer(early, "twaalf-vragen", real_answers(session))
    late = await session.join("parent")
    with pytest.raises(AnswerError, match="joined_late"):
        await session.answer(late, "twaalf-vragen", real_answers(session))
    await session.answer(also_early, "twaalf-vragen", real_answers(session))  # joined before: counts
    assert session.door.waiting("twaalf-vragen") == 1
    assert replayed(session).door.waits(late, "twaalf-vragen")  # the same after a restart
    assert await session.admit_late() == 1  # the facilitator lets the latecomer in (l)
    await session.answer(late, "twaalf-vragen", real_answers(session))
    assert session.answer_counts("twaalf-vragen")["other"] == 2
    assert not replayed(session).door.waits(late, "twaalf-vragen")
    # The next question takes everyone who is in when its answers begin.
    await session.go_to(session.step_index + 1)
    assert not session.door.waits(late, session.step.id)


async def test_going_back_to_a_step_does_not_let_new_phones_in() -> None:
    session = await twelve()
    real = await session.join("parent")
    await session.answer(real, "twaalf-vragen", real_answers(session))
    await session.go_to(session.step_index + 1)
    fake = await session.join("parent")
    await session.go_to(session.step_index - 1)
    with pytest.raises(AnswerError, match="joined_late"):
        await session.answer(fake, "twaalf-vragen", {item: 5 for item in items(session)})


async def test_the_door_survives_a_snapshot_and_an_old_snapshot_counts_everyone(tmp_path: Path) -> None:
    workshop = load_workshop(builtin_path("twaalf-vragen"))
    session, folder = sessions.create(Store(tmp_path), workshop, "")
    await session.go_to([step.id for step in workshop.steps].index("twaalf-vragen"))
    real = await session.join("parent")
    await session.answer(real, "twaalf-vragen", real_answers(session))
    late = await session.join("parent")
    await session.set_joining(False)
    state = session.dump_state()
    await session.journal.stop()
    again = Session(workshop, MemoryJournal())
    again.restore_state(state)
    assert not again.door.open and again.door.waits(late, "twaalf-vragen") and not again.door.waits(real, "twaalf-vragen")
    del state["meta"][0]["door"]  # as a snapshot of an older gsdialog
    older = Session(workshop, MemoryJournal())
    older.restore_state(state)
    assert older.door.open and not older.door.waits(late, "twaalf-vragen") and older.door.joins == 2


async def test_closing_the_session_forgets_the_join_numbers() -> None:
    session = await twelve()
    await session.join("parent")
    await session.close()
    assert session.door.number == {} and session.dump_state()["meta"][0]["door"]["number"] == {}


# --- the attack of the issue, over HTTP ----------------------------------------------------


async def phone(client: Client, role: str) -> int:
    """A fresh phone joins (no cookie yet; the client keeps the one it gets)."""
    response = await client.post(f"/{CODE}/role", data={"role": role}, allow_redirects=False)
    return response.status


async def send(client: Client, session: Session, values: dict[str, int]) -> int:
    form = {"step": session.step.id, **{f"item-{item}": str(value) for item, value in values.items()}}
    response = await client.post(f"/{CODE}/answer", data=form, allow_redirects=False)
    return response.status


async def test_the_attack_with_joining_open_reveals_nothing(aiohttp_client: MakeClient) -> None:
    session = await twelve()
    app = make_app(session)
    real = await aiohttp_client(app)
    assert await phone(real, "parent") == 303
    assert await send(real, session, real_answers(session)) == 303
    for _ in range(2):  # two private tabs: no cookie, a new phone each
        fake = await aiohttp_client(app)
        assert await phone(fake, "parent") == 303
        response = await fake.post(f"/{CODE}/answer", data={"step": session.step.id,
                                                            **{f"item-{item}": "5" for item in items(session)}})
        assert response.status == 409
        assert "Bij de volgende vraag doe je mee" in await response.text()
    await session.show_results()
    assert all(group.n == 1 and group.mean is None for group in others(session))  # under the threshold of 3
    # The phone page of a latecomer says so instead of offering the form.
    page = await (await fake.get(f"/{CODE}")).text()
    assert "Bij de volgende vraag doe je mee" not in page  # results shown now: the step is over for all
    assert "uitkomsten" in page.lower()


async def test_the_attack_with_joining_closed_gets_the_message(aiohttp_client: MakeClient) -> None:
    session = await twelve()
    app = make_app(session)
    real = await aiohttp_client(app)
    assert await phone(real, "parent") == 303
    await session.set_joining(False)  # the room is in: the facilitator presses d
    assert await send(real, session, real_answers(session)) == 303
    for _ in range(2):
        fake = await aiohttp_client(app)
        assert (await fake.get(f"/{CODE}")).status == 403
        assert "Meedoen is gesloten. Vraag het aan de begeleider." in await (await fake.get(f"/{CODE}/role")).text()
        response = await fake.post(f"/{CODE}/role", data={"role": "parent"}, allow_redirects=False)
        assert response.status == 403 and "Meedoen is gesloten" in await response.text()
        assert not fake.session.cookie_jar.filter_cookies(fake.make_url("/")).get(TOKEN_COOKIE.format(code=CODE))
        english = await fake.get(f"/{CODE}?lang=en", allow_redirects=True)
        assert "Joining is closed. Ask the facilitator." in await english.text()
    assert session.participant_counts() == {"professional": 0, "other": 1}
    await session.show_results()
    assert all(group.n == 1 and group.mean is None for group in others(session))
    projector = ProjectorApp(session, lang="nl", clock=False)
    async with projector.run_test(size=(160, 45)) as pilot:
        text = await shown_when(projector, pilot, "nog te weinig")
        assert "meedoen gesloten" in text and "Niet als professional 1" in text
        assert not any(mean in text for mean in ("3.7", "3,7", "4.0", "4,0", "4.3", "4,3", "4.7", "4,7"))


async def test_a_latecomers_phone_waits_and_gets_the_form_when_let_in(aiohttp_client: MakeClient) -> None:
    session = await twelve()
    app = make_app(session)
    real = await aiohttp_client(app)
    await phone(real, "parent")
    await send(real, session, real_answers(session))
    late = await aiohttp_client(app)
    await phone(late, "professional")
    page = await (await late.get(f"/{CODE}")).text()
    assert "Bij de volgende vraag doe je mee" in page and 'data-open="false"' in page and "<form method=\"post\"" not in page
    stream = await late.get(f"/{CODE}/events?step={session.step.id}&open=false")
    first = json.loads(await read_event(stream))
    assert first == {"step": session.step.id, "open": False, "closed": False}
    await session.admit_late()
    second = json.loads(await read_event(stream))
    assert second["open"] and 'name="step"' in second["html"]
    stream.close()
    assert await send(late, session, {item: 3 for item in items(session)}) == 303


async def read_event(response: Any) -> str:
    data = ""
    while True:
        line = (await asyncio.wait_for(response.content.readline(), 5)).decode().rstrip("\r\n")
        if line.startswith("data: "):
            data = line[6:]
        elif line == "" and data:
            return data


# --- joining at a human pace ---------------------------------------------------------------


async def test_fifty_joins_from_one_address_are_refused_after_the_limit(aiohttp_client: MakeClient) -> None:
    session = await twelve()
    session.door.expect = 30
    client = await aiohttp_client(make_app(session, pace=JoinPace(5, trust_proxy=True)))
    statuses, texts = [], []
    for _ in range(50):
        client.session.cookie_jar.clear()  # a new private tab each time
        response = await client.post(f"/{CODE}/role", data={"role": "parent"},
                                     headers={FORWARDED: "10.9.8.7, 192.0.2.44"}, allow_redirects=False)
        statuses.append(response.status)
        texts.append(await response.text())
    assert statuses[:5] == [303] * 5 and set(statuses[5:]) == {429}
    assert "Wacht een minuut" in texts[-1]
    assert session.participant_counts()["other"] == 5
    # The facilitator sees it, in the status line's words.
    lines = said("nl", joining.status(session.door, step_id=session.step.id, asking=True, now=session.clock(),
                                      phones=5))
    assert "⚠ 45 keer meedoen geweigerd: te snel" in lines
    # Another address is not held up by that one.
    client.session.cookie_jar.clear()
    other = await client.post(f"/{CODE}/role", data={"role": "parent"}, headers={FORWARDED: "192.0.2.45"},
                              allow_redirects=False)
    assert other.status == 303


async def test_the_forwarded_address_counts_only_when_the_proxy_is_trusted(aiohttp_client: MakeClient) -> None:
    session = await twelve()
    client = await aiohttp_client(make_app(session, pace=JoinPace(2, total_burst=4, total_per_second=0.001)))
    statuses = []
    for n in range(6):  # a phone cannot dodge the limit by writing an address of its own
        client.session.cookie_jar.clear()
        response = await client.post(f"/{CODE}/role", data={"role": "parent"}, headers={FORWARDED: f"10.0.0.{n}"},
                                     allow_redirects=False)
        statuses.append(response.status)
    # Loopback (this laptop) has no limit per address, only the one for everyone.
    assert statuses == [303] * 4 + [429] * 2
    assert "heel veel telefoons tegelijk" in await response.text()
    assert response.headers["Retry-After"] == "60"


def test_the_buckets_refill_and_forget_addresses_that_are_full_again() -> None:
    bucket = Bucket(3, 3 / 60)
    assert [bucket.allow("a", 0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.allow("a", 20.0) and not bucket.allow("a", 20.0)
    for n in range(5000):
        bucket.allow(f"address {n}", 1000.0 + n)
    assert len(bucket.buckets) < 5000  # full buckets are dropped: memory does not grow with every address


async def test_the_pace_keeps_addresses_in_memory_only(aiohttp_client: MakeClient, tmp_path: Path) -> None:
    """The limiter's addresses are written nowhere: not in the session's folder, not in a snapshot."""
    workshop = load_workshop(builtin_path("twaalf-vragen"))
    session, folder = sessions.create(Store(tmp_path), workshop, "")
    try:
        client = await aiohttp_client(make_app(session, pace=JoinPace(5, trust_proxy=True)))
        for n in range(8):
            client.session.cookie_jar.clear()
            await client.post(f"/{session.code}/role", data={"role": "parent"},
                              headers={FORWARDED: f"198.51.100.{n % 2 + 7}"}, allow_redirects=False)
        assert session.participant_counts()["other"] == 8
        await session.go_to(1)  # a step change folds the journal into a snapshot
        await session.journal.stop()
    finally:
        await session.journal.stop()
    stored = b"".join(path.read_bytes() for path in tmp_path.rglob("*") if path.is_file())
    assert b"198.51.100" not in stored and b"127.0.0.1" not in stored


def said(lang: str, notes: list[tuple[str, dict[str, int]]]) -> list[str]:
    """The status line's notes about joining in `lang`, at full length."""
    return [t(lang, key, **values) for key, values in notes]


async def test_a_jump_in_joins_shows_quietly_in_the_status_line() -> None:
    session = await twelve()
    clock = [1000.0]
    session.clock = lambda: clock[0]
    for _ in range(6):  # the room fills up over a few minutes: no jump
        await session.join("professional")
        clock[0] += 70
    assert session.door.jump is None
    for _ in range(7):  # then seven in a few seconds: more than the six before
        await session.join("parent")
        clock[0] += 1
    assert session.door.jump == (7, clock[0] - 1)
    session.door.expect = 10
    lines = said("nl", joining.status(session.door, step_id=session.step.id, asking=True, now=clock[0], phones=13))
    assert "⚠ 7 telefoons in 1 minuut erbij" in lines and "⚠ 13 telefoons, 10 verwacht" in lines
    app = ProjectorApp(session, lang="nl", clock=False, join_url=f"http://192.168.1.20:8080/{CODE}")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        app.redraw_now()
        status = str(app.status.render())
        assert "⚠ 7 telefoons in 1 minuut erbij" in status and "⚠ 13 telefoons, 10 verwacht" in status
        assert "meedoen open" not in status  # one line: the usual state gives way first
    clock[0] += joining.JUMP_SHOWN
    assert said("en", joining.status(session.door, step_id=session.step.id, asking=True, now=clock[0],
                                     phones=9)) == ["joining open"]


async def test_the_projectors_keys_close_joining_and_let_latecomers_in() -> None:
    session = await twelve()
    real = await session.join("parent")
    await session.answer(real, "twaalf-vragen", real_answers(session))
    late = await session.join("parent")
    app = ProjectorApp(session, lang="nl", clock=False, join_url=f"http://192.168.1.20:8080/{CODE}")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.redraw_now()
        assert "1 wachten (l)" in str(app.status.render())  # at 100 columns, the shorter form
        await pilot.press("l")
        await pilot.pause()
        assert not session.door.waits(late, "twaalf-vragen")
        await pilot.press("j")  # the join screen says whether joining is open; d works there too
        await pilot.press("d")
        await pilot.pause()
        assert not session.door.open
        app.redraw_now()
        assert "Meedoen is gesloten. Met d open je het weer." in str(app.screen.query_one("#counts").render())
        await pilot.press("j", "d")
        await pilot.pause()
        assert session.door.open


# --- the remote ----------------------------------------------------------------------------


async def remote_client(aiohttp_client: MakeClient, session: Session, folder: Path,
                        public_url: str | None = None) -> tuple[Client, RemoteSecret]:
    secret = RemoteSecret(folder)
    secret.new()
    app = make_app(session)
    add_remote(app, secret, public_url=public_url)
    return await aiohttp_client(app), secret


async def test_the_remote_closes_joining_and_lets_latecomers_in(aiohttp_client: MakeClient, tmp_path: Path) -> None:
    session = await twelve()
    client, secret = await remote_client(aiohttp_client, session, tmp_path)
    key = secret.read() or ""
    real = await session.join("parent")
    await session.answer(real, "twaalf-vragen", real_answers(session))
    late = await session.join("parent")
    page = await (await client.get(f"/{CODE}/remote/{key}")).text()
    assert "Meedoen is open." in page and "Laatkomers laten meedoen (1)" in page and "Meedoen sluiten" in page
    for action in ("door", "admit"):
        response = await client.post(f"/{CODE}/remote/{key}", data={"do": action, "token": form_token(key)},
                                     allow_redirects=False)
        assert response.status == 303
    assert not session.door.open and not session.door.waits(late, "twaalf-vragen")
    page = await (await client.get(f"/{CODE}/remote/{key}")).text()
    assert "Meedoen is gesloten" in page and "Meedoen weer openen" in page and "Laatkomers" not in page


async def test_a_post_from_another_origin_without_sec_fetch_site_is_refused(aiohttp_client: MakeClient,
                                                                          tmp_path: Path) -> None:
    session = await twelve()
    client, secret = await remote_client(aiohttp_client, session, tmp_path, public_url="https://room.example.org")
    key = secret.read() or ""

    async def blank(**headers: str) -> int:
        response = await client.post(f"/{CODE}/remote/{key}", data={"do": "blank", "token": form_token(key)},
                                     headers=headers, allow_redirects=False)
        return response.status

    assert await blank(Origin="http://evil.example") == 403
    assert await blank(Origin="null") == 403
    assert not session.blank
    host = client.make_url("/").host
    port = client.make_url("/").port
    assert await blank(Origin=f"http://{host}:{port}") == 303 and session.blank
    assert await blank(Origin="https://room.example.org") == 303 and not session.blank  # the public address
    assert await blank(Origin="http://evil.example", **{"Sec-Fetch-Site": "same-origin"}) == 303


async def stream_ends(response: Any) -> float:
    """Read the stream to its end; the time it ended."""
    while await response.content.readline():
        pass
    return time.monotonic()


async def test_an_old_remote_stream_ends_within_a_second_of_the_button(aiohttp_client: MakeClient,
                                                                       tmp_path: Path) -> None:
    session = await twelve()
    client, secret = await remote_client(aiohttp_client, session, tmp_path)
    old = secret.read() or ""
    stream = await client.get(f"/{CODE}/remote/{old}/events")
    assert stream.headers["Cache-Control"] == "no-store"
    await read_event(stream)
    ended = asyncio.ensure_future(stream_ends(stream))
    await asyncio.sleep(0.3)
    pressed = time.monotonic()
    response = await client.post(f"/{CODE}/remote/{old}", data={"do": "new_link", "token": form_token(old)},
                                 allow_redirects=False)
    assert response.status == 303
    assert await asyncio.wait_for(ended, 5) - pressed < 1.0


async def test_an_old_remote_stream_ends_within_a_second_of_the_command(aiohttp_client: MakeClient,
                                                                        tmp_path: Path) -> None:
    workshop = load_workshop(builtin_path("twaalf-vragen"))
    session, folder = sessions.create(Store(tmp_path), workshop, "")
    try:
        app = make_app(session)
        secret = RemoteSecret(folder.path)
        old = secret.get()
        add_remote(app, secret)
        client = await aiohttp_client(app)
        Serving(folder.path, os.getpid(), "127.0.0.1", 8123, None).write()  # as `gsdialog run` does
        stream = await client.get(f"/{session.code}/remote/{old}/events")
        await read_event(stream)
        ended = asyncio.ensure_future(stream_ends(stream))
        done = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "gsdialog.cli", "remote", "--data",
                                                        str(tmp_path), "--new"], capture_output=True, text=True,
                                       timeout=60)
        finished = time.monotonic()
        assert done.returncode == 0, done.stderr
        assert await asyncio.wait_for(ended, 5) - finished < 1.0
    finally:
        await session.journal.stop()


def test_remote_new_without_a_running_session_says_what_to_do(tmp_path: Path) -> None:
    sessions.create(Store(tmp_path), load_workshop(builtin_path("oogstdialoog")), "")
    done = subprocess.run([sys.executable, "-m", "gsdialog.cli", "remote", "--data", str(tmp_path), "--new"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "gsdialog run --new-remote" in done.stderr and "no workshop is running" in done.stderr


def test_run_new_remote_starts_a_resumed_session_with_a_fresh_link(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from gsdialog.cli import main
    from gsdialog.collector.requests import PACE

    path = builtin_path("oogstdialoog")
    _, folder = sessions.create(Store(tmp_path), load_workshop(path), path.read_text(encoding="utf-8"))
    old = RemoteSecret(folder.path).new()
    seen: list[Any] = []

    def run(self: ProjectorApp) -> str:  # instead of the screen: what the run was given
        assert self.server is not None
        seen.append((RemoteSecret(folder.path).read(), self.session.door.expect,
                     self.session.door.latecomers_answer, self.server.app[PACE]))  # type: ignore[attr-defined]
        return "paused"

    monkeypatch.setattr(ProjectorApp, "run", run)
    base = ["run", "oogstdialoog", "--data", str(tmp_path), "--host", "127.0.0.1", "--port", "0"]
    assert main(base) == 0
    assert seen[-1][0] == old  # resumed: the same link as before
    assert main([*base, "--new-remote", "--expect", "25", "--join-limit", "3", "--trust-proxy",
                 "--latecomers-answer"]) == 0
    secret, expect, latecomers, pace = seen[-1]
    assert secret not in (None, old) and expect == 25 and latecomers
    assert pace.per_address == 3 and pace.trust_proxy
    assert main([*base, "--join-limit", "-1"]) == 2 and main([*base, "--expect", "0"]) == 2


@pytest.mark.parametrize(("lang", "words"), [("nl", ["De grens van 3", "een rol", "druk dan op d"]),
                                             ("en", ["The limit of 3", "a role", "then press d"])])
def test_the_run_sheet_says_what_the_threshold_protects_and_what_not(lang: str, words: list[str]) -> None:
    from gsdialog.export import guide

    workshop = load_workshop(builtin_path("twaalf-vragen"))
    for text in (guide.to_html(workshop, lang), guide.to_markdown(workshop, lang)):
        assert all(word.lower() in text.lower() for word in words)
        first_step = text.index('<section class="step">') if text.startswith("<!doctype") else text.index("## 1.")
        assert text.lower().index(words[0].lower()) < first_step  # before the first step: read first


def test_the_laptop_itself_rehearsing_on_its_join_address_is_not_paced_per_address() -> None:
    """`gsdialog simulate http://192.168.43.20:8080/CODE` on the facilitator's laptop
    comes from the laptop's own address; a phone never has that address."""

    class Transport:
        def get_extra_info(self, name: str) -> object:
            return ("192.168.43.20", 8080) if name == "sockname" else None

    class Request:
        def __init__(self, remote: str) -> None:
            self.remote, self.headers, self.transport = remote, CIMultiDict(), Transport()

    pace = JoinPace(2, total_burst=1000)
    laptop = [pace.refusal(Request("192.168.43.20"), now=1.0) for _ in range(24)]  # type: ignore[arg-type]
    phone = [pace.refusal(Request("192.168.43.50"), now=1.0) for _ in range(4)]  # type: ignore[arg-type]
    assert laptop == [None] * 24
    assert phone == [None, None, "join_pace", "join_pace"]
    trusting = JoinPace(2, trust_proxy=True, total_burst=1000)  # behind a proxy the peer is the proxy
    assert [trusting.refusal(Request("192.168.43.20"), now=1.0) for _ in range(3)][-1] == "join_pace"  # type: ignore[arg-type]
