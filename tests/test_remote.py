"""The facilitator's remote: the session's new commands, the secret, the page and its guards.

The remote's page and the projector run in one event loop here, as in
`gsdialog run`: a POST to the remote moves the real ProjectorApp.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from pathlib import Path

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient

from gsdialog import sessions
from gsdialog.collector.app import make_app
from gsdialog.collector.requests import LANG_COOKIE, TOKEN_COOKIE
from gsdialog.collector.remote import add_remote, form_token, remote_url
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.loader import builtin_path, load_workshop
from gsdialog.core.session import Change, Session
from gsdialog.export.write import export_text, open_sessions
from gsdialog.projector.app import ProjectorApp
from gsdialog.projector.dialogs import QuitScreen
from gsdialog.projector.screens import BlankScreen, RemoteScreen
from gsdialog.store import Store
from gsdialog.store.remote import SECRET_FILE, RemoteSecret, Serving

Client = TestClient  # type: ignore[type-arg]
MakeClient = Callable[[web.Application], Awaitable[Client]]
CODE = "ACE34"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def ids(session: Session) -> list[str]:
    return [step.id for step in session.workshop.steps]


async def oogst(clock: Clock | None = None) -> Session:
    journal = MemoryJournal()
    session = Session(load_workshop(builtin_path("oogstdialoog")), journal)
    if clock is not None:
        session.clock = clock
    await journal.append({"type": "create", "id": "s", "code": CODE, "created": "2026-11-28",
                          "workshop": "oogstdialoog", "source": "", "threshold": 3})
    await session.go_to(0)
    return session


def replayed(session: Session) -> Session:
    """The same session rebuilt from its events, as after a restart."""
    journal = session.journal
    assert isinstance(journal, MemoryJournal)
    again = Session(session.workshop, MemoryJournal())
    for event in journal.events:
        again.apply(event)
    return again


# --- the session: timer, blank, time against the plan, requests ----------------------


async def test_the_pairs_timer_is_the_sessions_and_survives_a_restart() -> None:
    clock = Clock()
    session = await oogst(clock)
    await session.go_to(ids(session).index("goede-ervaring"))
    step = session.step
    first = step.rounds[0].minutes * 60
    await session.toggle_timer()
    clock.now += 30
    assert session.countdown(step.id).remaining(clock()) == first - 30
    await session.toggle_timer()  # pause
    clock.now += 100
    assert not session.countdown(step.id).running
    assert session.countdown(step.id).remaining(clock()) == first - 30
    await session.toggle_timer()  # on again
    clock.now += first  # the round runs out
    assert session.countdown(step.id).over(clock())
    await session.toggle_timer()  # the next round starts
    assert session.countdown(step.id).round == 1 and session.countdown(step.id).running
    again = replayed(session)
    assert again.countdown(step.id) == session.countdown(step.id)
    tables = json.loads(json.dumps(session.dump_state()))
    restored = Session(session.workshop, MemoryJournal())
    restored.restore_state(tables)
    assert restored.countdown(step.id) == session.countdown(step.id)


async def test_the_timer_is_refused_where_there_is_none() -> None:
    session = await oogst()
    with pytest.raises(Exception, match="no_timer"):
        await session.toggle_timer()


async def test_blank_is_the_sessions_and_survives_a_restart() -> None:
    session = await oogst()
    await session.set_blank(True)
    assert session.blank and replayed(session).blank
    await session.set_blank(False)
    assert not replayed(session).blank


async def test_time_against_the_plan_counts_visits_and_leaves_pauses_out() -> None:
    clock = Clock()
    session = await oogst(clock)
    workshop = session.workshop
    minutes = [s.minutes or sum(r.minutes for r in s.rounds) for s in workshop.steps]
    clock.now += minutes[0] * 60 + 120  # the welcome took two minutes longer
    await session.go_to(1)
    clock.now += 60
    progress = session.progress()
    assert progress.step_number == 2 and progress.spent == 1
    assert round(progress.behind) == 2
    await session.pause()
    clock.now += 3600  # lunch: not counted
    await session.resume()
    assert round(session.progress().behind) == 2
    clock.now += (minutes[1] + 3) * 60  # step 2 runs two minutes over its plan (1 + plan + 3 - 2 ...)
    assert round(session.progress().behind) == 2 + 4
    again = replayed(session)
    assert round(again.progress(clock()).behind) == 6
    await session.go_to(3)  # a step skipped gives its time back
    assert round(session.progress().behind) == 6 - minutes[2]


async def test_a_request_waits_for_whoever_steers_the_room() -> None:
    session = await oogst()
    assert not await session.request("next", timeout=0.05)  # nobody listens: nothing happens
    assert session.step_index == 0

    def projector(change: Change) -> None:
        if change.kind == "request" and change.reply is not None:
            asyncio.get_running_loop().create_task(move(change))

    async def move(change: Change) -> None:
        await session.go_to(session.step_index + 1)
        assert change.reply is not None
        change.reply.set_result(None)

    session.subscribe(projector)
    assert await session.request("next")
    assert session.step_index == 1
    with pytest.raises(Exception, match="unknown_request"):
        await session.request("close")


# --- the secret on disk ------------------------------------------------------------


def test_the_secret_is_long_private_and_a_new_one_ends_the_old(tmp_path: Path) -> None:
    secret = RemoteSecret(tmp_path)
    assert secret.read() is None
    first = secret.get()
    assert secret.get() == first and len(first) >= 22  # 128 bits and more, URL-safe
    assert stat.S_IMODE((tmp_path / SECRET_FILE).stat().st_mode) == 0o600
    second = secret.new()
    assert second != first and secret.read() == second
    secret.forget()
    assert secret.read() is None


def test_serving_names_only_a_running_process(tmp_path: Path) -> None:
    Serving(tmp_path, os.getpid(), "127.0.0.1", 8080, None).write()
    assert Serving.read(tmp_path) is not None
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    Serving(tmp_path, int(gone.stdout), "127.0.0.1", 8080, None).write()
    assert Serving.read(tmp_path) is None  # a `gsdialog run` killed with -9 left its file behind


# --- the page and its guards --------------------------------------------------------------


class Secret:
    def __init__(self, value: str | None = "s3cr3t-" + "x" * 30) -> None:
        self.value = value

    def read(self) -> str | None:
        return self.value

    def new(self) -> str:
        self.value = "n3w-" + "y" * 30
        return self.value


@pytest.fixture
async def session() -> Session:
    return await oogst()


@pytest.fixture
def secret() -> Secret:
    return Secret()


@pytest.fixture
async def client(aiohttp_client: MakeClient, session: Session, secret: Secret) -> Client:
    app = make_app(session)
    add_remote(app, secret)
    return await aiohttp_client(app)


def path(secret: Secret) -> str:
    return f"/{CODE}/remote/{secret.value}"


async def post(client: Client, secret: Secret, action: str, token: str | None = None, **headers: str) -> int:
    data = {"do": action, "token": form_token(secret.value or "") if token is None else token}
    response = await client.post(path(secret), data=data, headers=headers, allow_redirects=False)
    return response.status


def steering(session: Session) -> None:
    """A stand-in for the projector: carries out requests as the clicker would."""

    def heard(change: Change) -> None:
        if change.kind == "request" and change.reply is not None:
            asyncio.get_running_loop().create_task(act(change))

    async def act(change: Change) -> None:
        by = 1 if change.detail == "next" else -1
        await session.go_to(session.step_index + by)
        assert change.reply is not None
        change.reply.set_result(None)

    session.subscribe(heard)


async def test_the_page_shows_the_step_its_notes_the_next_step_and_the_time(client: Client, session: Session,
                                                                            secret: Secret) -> None:
    response = await client.get(path(secret))
    assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
    html = await response.text()
    step, following = session.workshop.steps[0], session.workshop.steps[1]
    assert step.title.get("nl") in html
    assert step.notes is not None and step.notes.get("nl").split(".")[0].replace("**", "") in html
    assert f"Hierna: {following.title.get('nl')}" in html
    assert re.search(r"Stap 1 van \d+", html) and "0 van 5 min" in html
    assert 'name="token"' in html and form_token(secret.value or "") in html


async def test_next_and_previous_steer_the_room_and_redirect(client: Client, session: Session,
                                                             secret: Secret) -> None:
    steering(session)
    assert await post(client, secret, "next") == 303
    assert session.step_index == 1
    assert await post(client, secret, "previous") == 303
    assert session.step_index == 0


async def test_next_says_so_when_no_projector_answers(client: Client, session: Session, secret: Secret) -> None:
    assert await post(client, secret, "next") == 503
    assert session.step_index == 0


async def test_results_timer_and_blank_go_through_the_session(client: Client, session: Session,
                                                              secret: Secret) -> None:
    assert await post(client, secret, "blank") == 303 and session.blank
    assert await post(client, secret, "blank") == 303 and not session.blank
    assert await post(client, secret, "timer") == 409  # the welcome has no timer
    await session.go_to(ids(session).index("goede-ervaring"))
    assert await post(client, secret, "timer") == 303 and session.countdown(session.step.id).running
    await session.go_to(ids(session).index("serieus-genomen"))
    assert await post(client, secret, "results") == 303 and session.step_state == "results"


@pytest.mark.parametrize("wrong", ["", "/", "/nope", "/s3cr3t-", "/s3cr3t-" + "x" * 31, "/events"])
async def test_without_the_secret_every_path_is_404_and_changes_nothing(client: Client, session: Session,
                                                                        secret: Secret, wrong: str) -> None:
    await client.post(f"/{CODE}/role", data={"role": "parent"})  # with a participant's cookie
    assert client.session.cookie_jar.filter_cookies(client.make_url("/")).get(TOKEN_COOKIE.format(code=CODE))
    before = len(session.journal.events)  # type: ignore[attr-defined]
    for method in ("get", "post"):
        response = await client.request(method, f"/{CODE}/remote{wrong}",
                                        data={"do": "blank", "token": form_token(secret.value or "")})
        assert response.status in (403, 404, 405)
        assert secret.value not in await response.text()
    assert len(session.journal.events) == before and not session.blank  # type: ignore[attr-defined]


async def test_a_wrong_link_says_it_does_not_work_and_how_to_get_the_right_one(client: Client) -> None:
    response = await client.get(f"/{CODE}/remote/{'q' * 32}")
    assert response.status == 404 and "gsdialog remote" in await response.text()


async def test_no_secret_file_no_remote(aiohttp_client: MakeClient, session: Session) -> None:
    app = make_app(session)
    add_remote(app, Secret(None))
    client = await aiohttp_client(app)
    assert (await client.get(f"/{CODE}/remote/None")).status == 404
    assert (await client.get(f"/{CODE}/remote/")).status == 404


async def test_a_post_without_the_forms_token_or_from_another_site_is_refused(client: Client, session: Session,
                                                                              secret: Secret) -> None:
    assert await post(client, secret, "blank", token="") == 403
    assert await post(client, secret, "blank", token="0" * 64) == 403
    assert await post(client, secret, "blank", **{"Sec-Fetch-Site": "cross-site"}) == 403
    assert await post(client, secret, "blank", **{"Sec-Fetch-Site": "same-site"}) == 403
    assert not session.blank
    assert await post(client, secret, "blank", **{"Sec-Fetch-Site": "same-origin"}) == 303 and session.blank


async def test_a_new_link_ends_the_old_one(client: Client, session: Session, secret: Secret) -> None:
    old = secret.value or ""
    response = await client.post(path(secret), data={"do": "new_link", "token": form_token(old)},
                                 allow_redirects=False)
    assert response.status == 303
    assert secret.value != old and response.headers["Location"] == f"{path(secret)}?new=1"
    assert (await client.get(f"/{CODE}/remote/{old}")).status == 404
    stale = await client.post(f"/{CODE}/remote/{old}", data={"do": "blank", "token": form_token(old)})
    assert stale.status == 404 and not session.blank
    page = await client.get(response.headers["Location"])
    assert page.status == 200 and "De oude werkt niet meer" in await page.text()
    assert await post(client, secret, "blank", token=form_token(old)) == 403  # old forms end too


async def test_guesses_and_posts_are_rate_limited(client: Client, session: Session, secret: Secret) -> None:
    statuses = [(await client.get(f"/{CODE}/remote/guess{n:04d}-" + "z" * 20)).status for n in range(40)]
    assert statuses[0] == 404 and statuses[-1] == 429
    posts = [await post(client, secret, "blank") for _ in range(30)]
    assert posts[0] == 303 and 429 in posts


async def test_a_closed_session_has_a_remote_that_does_nothing(client: Client, session: Session,
                                                               secret: Secret) -> None:
    await session.close()
    html = await (await client.get(path(secret))).text()
    assert "afgesloten" in html
    assert await post(client, secret, "blank") == 409


def states(response: ClientResponse) -> AsyncIterator[dict[str, Any]]:
    """The `state` events of a remote's live stream, as they come."""

    async def read() -> AsyncIterator[dict[str, Any]]:
        data = ""
        async for line in response.content:
            text = line.decode().rstrip("\r\n")
            if text.startswith("data: "):
                data = text[6:]
            elif text == "" and data:
                yield json.loads(data)
                data = ""

    return read()


async def test_the_live_stream_sends_the_parts_again_after_a_change(client: Client, session: Session,
                                                                    secret: Secret) -> None:
    response = await client.get(f"{path(secret)}/events")
    assert response.status == 200
    stream = states(response)
    first = await asyncio.wait_for(anext(stream), 5)
    assert session.workshop.steps[0].title.get("nl") in first["status"]
    assert "Volgende" in first["controls"] and "Hierna" in first["about"] and not first["ended"]
    await session.go_to(1)
    second = await asyncio.wait_for(anext(stream), 5)
    assert session.workshop.steps[1].title.get("nl") in second["status"]
    response.close()


async def test_the_live_stream_ticks_the_timer_without_touching_the_buttons(client: Client, session: Session,
                                                                            secret: Secret) -> None:
    await session.go_to(ids(session).index("goede-ervaring"))
    await session.toggle_timer()
    response = await client.get(f"{path(secret)}/events")
    stream = states(response)
    first = await asyncio.wait_for(anext(stream), 5)
    second = await asyncio.wait_for(anext(stream), 5)  # about a second later
    assert first["status"] != second["status"] and first["controls"] == second["controls"]
    response.close()


async def test_a_new_link_ends_the_old_links_stream_saying_so(client: Client, session: Session,
                                                              secret: Secret) -> None:
    response = await client.get(f"{path(secret)}/events")
    stream = states(response)
    await asyncio.wait_for(anext(stream), 5)
    secret.new()
    await session.set_blank(True)  # any change wakes the stream
    last = await asyncio.wait_for(anext(stream), 5)
    assert last["ended"] and "werkt niet" in last["status"] and last["controls"].strip() == ""
    assert "Scherm" not in last["status"]
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(anext(stream), 5)


async def test_closing_reaches_the_remote_before_its_stream_ends(client: Client, session: Session,
                                                                 secret: Secret) -> None:
    response = await client.get(f"{path(secret)}/events")
    stream = states(response)
    await asyncio.wait_for(anext(stream), 5)
    await session.close()
    last = await asyncio.wait_for(anext(stream), 5)
    assert "afgesloten" in last["status"]
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(anext(stream), 5)


async def test_the_remote_speaks_the_language_asked(client: Client, secret: Secret) -> None:
    html = await (await client.get(f"{path(secret)}?lang=en")).text()
    assert "Next" in html and "Blank the screen" in html
    assert client.session.cookie_jar.filter_cookies(client.make_url("/")).get(LANG_COOKIE)


@pytest.mark.parametrize("facilitator", [(), ("nl", "en"), ("nl", "en", "pl")])
async def test_the_remotes_language_list_is_the_workshops_facilitator_languages(
        aiohttp_client: MakeClient, secret: Secret, facilitator: tuple[str, ...]) -> None:
    """The phones offer the workshop's languages; the remote (the facilitator's) offers its
    facilitator languages, the projector's first: none when the workshop gives no list
    (the facilitator reads it in its languages, all of them then)."""
    from dataclasses import replace

    workshop = load_workshop(builtin_path("twaalf-vragen"))
    assert workshop.languages == ("nl", "en", "tr", "ar", "pl", "uk") and workshop.facilitator == ("nl", "en")
    workshop = replace(workshop, facilitator_languages=facilitator)
    session = await Session.new(workshop, MemoryJournal(), session_id="s", code=CODE, created="", source="")
    app = make_app(session, lang="en")
    add_remote(app, secret)
    client = await aiohttp_client(app)
    offered = facilitator or workshop.languages

    def listed(html: str) -> list[str]:
        return re.findall(r'hreflang="([a-z]+)"', html)

    remote = await (await client.get(path(secret), headers={"Accept-Language": "tr"})).text()
    assert listed(remote) == list(offered)
    assert f'<html lang="{"tr" if "tr" in offered else "en"}"' in remote  # else the projector's language
    phone = await (await client.get(f"/{CODE}", headers={"Accept-Language": "tr"})).text()
    assert listed(phone) == list(workshop.languages) and '<html lang="tr"' in phone
    client.session.cookie_jar.clear()
    remote = await (await client.get(f"{path(secret)}?lang=pl")).text()
    assert f'<html lang="{"pl" if "pl" in offered else "en"}"' in remote
    assert listed(remote) == list(offered)


# --- with the projector, in one event loop ------------------------------------------------


async def test_the_remote_moves_the_projector_and_a_participant_cannot(aiohttp_client: MakeClient,
                                                                       session: Session, secret: Secret) -> None:
    app = ProjectorApp(session, lang="nl", remote=lambda: remote_url("http://10.0.0.2:8080/ACE34", secret.value or ""))
    web_app = make_app(session)
    add_remote(web_app, secret)
    client = await aiohttp_client(web_app)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await post(client, secret, "next") == 303
        await pilot.pause()
        assert app.step_index == 1 and "stap 2 van" in app.sub_title
        # A participant's phone has no way to it: its own pages only answer.
        phone = await aiohttp_client(web_app)
        await phone.post(f"/{CODE}/role", data={"role": "parent"})
        for attempt in (f"/{CODE}/remote/{'x' * 32}", f"/{CODE}/remote"):
            assert (await phone.post(attempt, data={"do": "next"})).status in (403, 404, 405)
        await pilot.pause()
        assert app.step_index == 1
        # Blank from the remote blanks the projector; a key brings it back, for both.
        assert await post(client, secret, "blank") == 303
        await pilot.pause()
        assert isinstance(app.screen, BlankScreen)
        await pilot.press("b")
        await pilot.pause()
        assert not isinstance(app.screen, BlankScreen) and not session.blank


async def test_the_remote_uncovers_the_room_as_a_clicker_does(aiohttp_client: MakeClient, session: Session,
                                                              secret: Secret) -> None:
    link = remote_url("http://10.0.0.2:8080/ACE34", secret.value or "")
    app = ProjectorApp(session, lang="nl", remote=lambda: link)
    web_app = make_app(session)
    add_remote(web_app, secret)
    client = await aiohttp_client(web_app)
    async with app.run_test(size=(100, 30)) as pilot:
        # Opening the remote takes its link off the projector.
        await pilot.press("R", "y")
        await pilot.pause()
        assert isinstance(app.screen, RemoteScreen)
        assert (await client.get(path(secret))).status == 200
        await pilot.pause()
        assert not isinstance(app.screen, RemoteScreen)
        # Blank never uncovers the link later.
        await pilot.press("R", "y")
        await pilot.pause()
        assert await post(client, secret, "blank") == 303
        await pilot.pause()
        assert isinstance(app.screen, BlankScreen)
        # On a blank screen, next (remote or clicker) brings the room back, and stays.
        assert await post(client, secret, "next") == 303
        await pilot.pause()
        assert not session.blank and app.step_index == 0
        assert not isinstance(app.screen, (BlankScreen, RemoteScreen))
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        assert not session.blank and app.step_index == 0
        # A quit question left open on the laptop is answered "go on".
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        assert await post(client, secret, "next") == 303
        await pilot.pause()
        assert not isinstance(app.screen, QuitScreen) and app.step_index == 1 and not session.closed


def screen_text(app: ProjectorApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())  # noqa: SLF001


async def test_the_secret_is_on_the_projector_only_when_asked_and_confirmed(session: Session,
                                                                            secret: Secret) -> None:
    link = remote_url("http://10.0.0.2:8080/ACE34", secret.value or "")
    app = ProjectorApp(session, lang="nl", join_url="http://10.0.0.2:8080/ACE34", remote=lambda: link)
    async with app.run_test(size=(160, 45)) as pilot:
        for keys in (["j"], ["j", "question_mark"], ["escape", "R", "n"], ["R", "enter"], ["R", "escape"]):
            await pilot.press(*keys)
            await pilot.pause()
            assert (secret.value or "") not in screen_text(app)
            assert not isinstance(app.screen, RemoteScreen)
        await pilot.press("R", "y")
        await pilot.pause()
        assert isinstance(app.screen, RemoteScreen)
        assert (secret.value or "")[:20] in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
        assert not isinstance(app.screen, RemoteScreen) and app.step_index == 0


# --- kept out of what is stored and exported ---------------------------------------------


async def test_the_secret_stays_out_of_the_journal_snapshot_meta_and_exports(tmp_path: Path) -> None:
    store = Store(tmp_path)
    workshop = load_workshop(builtin_path("oogstdialoog"))
    session, folder = sessions.create(store, workshop, builtin_path("oogstdialoog").read_text(encoding="utf-8"))
    secret = RemoteSecret(folder.path)
    value = secret.get()
    token = await session.join("parent")
    await session.set_blank(True)
    await session.go_to(ids(session).index("serieus-genomen"))
    await session.answer(token, "serieus-genomen", {"serieus": 3})
    await session.close()
    await folder.stop()
    for fmt in ("html", "md", "csv", "json"):
        assert value not in export_text(open_sessions(tmp_path, ["latest"]), fmt, "nl")
    for file in folder.path.iterdir():
        if file.name != SECRET_FILE:
            assert value.encode() not in file.read_bytes(), file.name


# --- the command -------------------------------------------------------------------------


def gsdialog(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gsdialog.cli", *args], capture_output=True, text=True,
                          timeout=60)


def test_the_command_prints_the_running_sessions_link(tmp_path: Path) -> None:
    store = Store(tmp_path)
    workshop = load_workshop(builtin_path("oogstdialoog"))
    session, folder = sessions.create(store, workshop, "")
    assert gsdialog("remote", "--data", str(tmp_path)).returncode == 1  # nothing runs yet
    Serving(folder.path, os.getpid(), "127.0.0.1", 8123, None).write()  # as `gsdialog run` does
    done = gsdialog("remote", "--data", str(tmp_path))
    assert done.returncode == 0, done.stderr
    secret = RemoteSecret(folder.path).read()
    assert done.stdout.strip() == f"http://127.0.0.1:8123/{session.code}/remote/{secret}"
    assert "█" in done.stderr or "▀" in done.stderr  # the QR code
    again = gsdialog("remote", "--data", str(tmp_path), "--new")
    assert again.returncode == 0 and RemoteSecret(folder.path).read() not in (None, secret)
    assert again.stdout.strip().endswith(RemoteSecret(folder.path).read() or "?")
