"""End to end: real HTTP on loopback, a real server process, the real store on disk.

The collector's own tests run the app in the test's process on an in-memory
journal. Here `e2e_server.py` runs it as `gsdialog run` does (the store in a
data folder, a bound socket, the projector headless), phones are aiohttp
clients with their own cookies, and what counts is what a new process finds
in the folder afterwards, after a pause or after a SIGKILL.
"""

from __future__ import annotations

import asyncio
import gc
import random
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest
from yarl import URL

from gsdialog.collector.app import make_app
from gsdialog.collector.server import JoinAddress, Server, bind, join_url
from gsdialog.projector.app import ProjectorApp
from gsdialog.projector.results_view import LiveResults
from gsdialog.projector.screens import JoinScreen
from gsdialog import sessions
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.session import CODE_ALPHABET, Session
from gsdialog.store import Store
from gsdialog.core.loader import builtin_path, load_workshop

HERE = Path(__file__).parent
EXAMPLE = HERE / "data" / "example.toml"
JOIN_ADDRESS = re.compile(r"^http://127\.0\.0\.1:(\d+)/([A-Z0-9]{1,6})$")


# --- the server process -----------------------------------------------------------------------


class ServerProcess:
    """`e2e_server.py` on a data folder: started, paused (SIGTERM) or killed (SIGKILL)."""

    def __init__(self, data: Path, workshop: str, logs: Path, semantics: str | None = None) -> None:
        self.data, self.workshop, self.logs, self.semantics = data, workshop, logs, semantics
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    async def start(self, *flags: str, timeout: float = 30) -> str:
        """Start it; the join address once phones can connect."""
        assert self.process is None
        self.starts += 1
        ready = self.logs / f"ready-{self.starts}"
        log = (self.logs / f"server-{self.starts}.log").open("wb")
        if self.semantics:
            flags += ("--semantics", self.semantics)
        self.ready = ready
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "e2e_server.py"), str(self.data), self.workshop, str(ready), *flags],
            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while not ready.exists():
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited ({self.process.returncode}):\n{self.log()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the server did not start in {timeout} s:\n{self.log()}")
            await asyncio.sleep(0.02)
        return ready.read_text(encoding="utf-8")

    def log(self) -> str:
        return (self.logs / f"server-{self.starts}.log").read_text(encoding="utf-8", errors="replace")

    async def pause(self) -> None:
        """SIGTERM, as `q` then `p`: it must stop cleanly, in time. Under Windows'
        semantics there are no signal handlers: a stop file asks instead."""
        assert self.process is not None
        if self.semantics == "windows":
            self.ready.with_name(self.ready.name + ".stop").touch()
        else:
            self.process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(self.process.wait, 20)
        self.process = None
        assert code == 0, self.log()

    async def kill(self) -> None:
        """kill -9 (TerminateProcess on Windows: no chance to clean up either way)."""
        assert self.process is not None
        self.process.kill()
        await asyncio.to_thread(self.process.wait, 20)
        self.process = None

    def stop_for_good(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Callable[[str], ServerProcess]]:
    made: list[ServerProcess] = []

    def make(workshop: str, semantics: str | None = None) -> ServerProcess:
        (tmp_path / "logs").mkdir(exist_ok=True)
        made.append(ServerProcess(tmp_path / "data", workshop, tmp_path / "logs", semantics))
        return made[-1]

    yield make
    for process in made:
        process.stop_for_good()


def stored(data: Path, workshop_id: str) -> Session:
    """The session as a new process finds it in the data folder."""
    store = Store(data)
    path = sessions.unfinished(store, workshop_id)
    assert path is not None, f"no open session of {workshop_id} in {data}"
    session, _ = sessions.open(path)
    return session


def split(url: str) -> tuple[str, str]:
    match = JOIN_ADDRESS.match(url)
    assert match, url
    return url.rsplit("/", 1)[0], match.group(2)


def phone(code: str, token: str | None = None, base: str = "") -> aiohttp.ClientSession:
    """A phone: its own cookies (IP hosts allowed), and no patience for a stuck server."""
    http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                 timeout=aiohttp.ClientTimeout(total=15))
    if token is not None:
        http.cookie_jar.update_cookies({f"gsdialog-{code}": token}, URL(base))
    return http


def token_of(http: aiohttp.ClientSession, code: str) -> str:
    [token] = [cookie.value for cookie in http.cookie_jar if cookie.key == f"gsdialog-{code}"]
    return token


# --- a room through real HTTP ---------------------------------------------------------------


async def test_phones_join_choose_a_role_and_answer_and_it_is_all_in_the_folder(
        server: Callable[[str], ServerProcess], tmp_path: Path) -> None:
    data = tmp_path / "data"
    process = server(str(EXAMPLE))
    url = await process.start("--projector", "--step", "2")  # "gehoord", a rating
    base, code = split(url)
    roles = ["parent", "professional"] * 3
    phones = [phone(code) for _ in roles]
    try:
        for http, role in zip(phones, roles):  # the room comes in, then answers
            async with http.get(url, allow_redirects=False) as response:  # the address on the screen
                assert response.status == 200 and "In welke rol ben je hier vandaag?" in await response.text()
            async with http.post(f"{url}/role", data={"role": role}, allow_redirects=False) as response:
                assert (response.status, response.headers["Location"]) == (303, f"/{code}")
        for n, http in enumerate(phones):
            async with http.get(url) as response:
                assert 'name="item-luisteren"' in await response.text()
            async with http.post(f"{url}/answer", data={"step": "gehoord", "item-luisteren": str(1 + n % 5)},
                                 allow_redirects=False) as response:
                assert (response.status, response.headers["Location"]) == (303, f"/{code}?sent=gehoord")
            async with http.get(base + response.headers["Location"]) as response:
                assert "Bedankt!" in await response.text()
        tokens = [token_of(http, code) for http in phones]
        await process.pause()

        session = stored(data, "korte-check")
        assert session.code == code and session.step.id == "gehoord"
        assert {token: session.roles[token] for token in tokens} == dict(zip(tokens, roles))
        assert [session.answer_of(token, "gehoord") for token in tokens] == \
            [{"luisteren": 1 + n % 5} for n in range(len(tokens))]

        # Started again on the same folder, at the words: the same phones are known by their cookies.
        url = await process.start("--projector", "--step", "4")
        assert split(url)[1] == code
        for n, http in enumerate(phones):
            async with http.get(url) as response:
                text = await response.text()
                assert 'name="word"' in text and "In welke rol" not in text
            async with http.post(f"{url}/answer", data=[("step", "woorden"), ("word", f"woord {n}")],
                                 allow_redirects=False) as response:
                assert response.status == 303
        await process.pause()
    finally:
        for http in phones:
            await http.close()

    session = stored(data, "korte-check")
    assert [session.answer_of(token, "woorden") for token in tokens] == \
        [{"words": [f"woord {n}"]} for n in range(len(tokens))]
    assert [session.answer_of(token, "gehoord") for token in tokens] == \
        [{"luisteren": 1 + n % 5} for n in range(len(tokens))]
    assert session.participant_counts() == {"professional": 3, "other": 3}


# --- kill -9 while a room answers -------------------------------------------------------------

STEP = "twaalf-vragen"
ITEMS = [item.id for item in load_workshop(builtin_path(STEP)).step(STEP).items]


@dataclass
class Phone:
    """What one phone knows: its token once joining was acknowledged, the last answer
    acknowledged (303), and the answers sent since that were never acknowledged (the
    server fell first: each may or may not have been stored)."""

    role: str
    token: str | None = None
    acknowledged: dict[str, int] | None = None
    unconfirmed: list[dict[str, int]] = field(default_factory=list)
    waiting: bool = False
    answers: int = 0


@dataclass
class Room:
    phones: list[Phone] = field(default_factory=list)
    acknowledged: int = 0
    cut: int = 0
    """Answers whose request the kill cut off."""
    refused: list[int] = field(default_factory=list)


async def use_phone(room: Room, person: Phone, base: str, code: str, rng: random.Random, posts: int) -> bool:
    """Join if needed, then answer `posts` times; False once the server is gone."""
    async with phone(code, person.token, base) as http:
        try:
            if person.token is None:
                async with http.post(f"{base}/{code}/role", data={"role": person.role},
                                     allow_redirects=False) as response:
                    assert response.status == 303, await response.text()
                    person.token = token_of(http, code)
            for _ in range(posts):
                values = {item: rng.randint(1, 5) for item in ITEMS}
                form = {"step": STEP, **{f"item-{item}": str(value) for item, value in values.items()}}
                person.unconfirmed.append(values)
                person.waiting = True
                async with http.post(f"{base}/{code}/answer", data=form, allow_redirects=False) as response:
                    person.waiting = False
                    if response.status == 303:
                        assert response.headers["Location"] == f"/{code}?sent={STEP}"
                        person.acknowledged, person.unconfirmed = values, []
                        person.answers += 1
                        room.acknowledged += 1
                    else:  # refused: certainly not stored
                        person.unconfirmed.remove(values)
                        room.refused.append(response.status)
        except (aiohttp.ClientError, asyncio.TimeoutError, ConnectionError):
            room.cut += person.waiting
            person.waiting = False
            return False  # killed: what was in flight stays unconfirmed
    return True


async def answer_until_killed(room: Room, process: ServerProcess, url: str, rng: random.Random,
                              concurrent: int, kill_after: int) -> None:
    """`concurrent` phones answer, the ones from before first (their tokens must still
    work), new ones after; SIGKILL at a random moment once `kill_after` answers of this
    round were acknowledged."""
    base, code = split(url)
    waiting = list(room.phones)
    began = room.acknowledged
    alive = True

    async def worker() -> None:
        nonlocal alive
        while alive:
            if waiting:
                person = waiting.pop()
            else:
                person = Phone(rng.choice(["professional", "parent", "client"]))
                room.phones.append(person)
            alive = await use_phone(room, person, base, code, rng, posts=rng.randint(1, 6)) and alive

    workers = [asyncio.ensure_future(worker()) for _ in range(concurrent)]
    deadline = time.monotonic() + 20
    while room.acknowledged - began < kill_after:
        assert time.monotonic() < deadline, f"only {room.acknowledged - began} answers in 20 s:\n{process.log()}"
        assert not any(w.done() and w.exception() for w in workers), [w.exception() for w in workers if w.done()]
        await asyncio.sleep(0.005)
    await asyncio.sleep(rng.uniform(0.0, 0.3))
    await process.kill()
    await asyncio.wait_for(asyncio.gather(*workers), 20)


def check_every_acknowledged_answer(data: Path, room: Room) -> None:
    session = stored(data, STEP)
    joined = [person for person in room.phones if person.token is not None]
    assert [p.token for p in joined if p.token not in session.roles] == [], "acknowledged joins lost"
    lost = []
    for person in joined:
        found = session.answer_of(person.token, STEP)  # type: ignore[arg-type]
        if found != person.acknowledged and found not in person.unconfirmed:
            lost.append((person.token, person.acknowledged, found))
    assert lost == [], f"{len(lost)} acknowledged answers lost (token, acknowledged, found): {lost[:3]}"


async def test_kill_9_while_a_room_answers_loses_no_acknowledged_answer(
        server: Callable[[str], ServerProcess], tmp_path: Path) -> None:
    """40 phones post at once; SIGKILL at a random moment, three times; each time a new
    process finds every acknowledged answer (and join) in the folder, and the server
    starts again on it with the same phones."""
    data = tmp_path / "data"
    rng = random.Random(20261128)
    process = server(STEP)
    room = Room()
    began = time.monotonic()
    for round_number in range(3):
        # Snapshots every 40 events, so kills also land while one is being written;
        # the projector runs in one of the rounds, as in `gsdialog run`.
        # Phones join while others answer: latecomers may answer at once, as with --latecomers-answer.
        flags = ["--step", "1", "--snapshot-every", "40", "--latecomers-answer"] + \
            (["--projector"] if round_number == 1 else [])
        url = await process.start(*flags)
        known = {id(person): person.answers for person in room.phones if person.token is not None}
        cut = room.cut
        await answer_until_killed(room, process, url, rng, concurrent=40, kill_after=rng.randint(30, 150))
        assert room.cut > cut, "the kill came when no answer was under way"
        check_every_acknowledged_answer(data, room)
        if round_number:  # phones that joined before a kill go on answering after it
            assert any(person.answers > known[id(person)] for person in room.phones if id(person) in known)
    assert set(room.refused) <= {429}, room.refused  # the rate limit, nothing else
    assert room.acknowledged > 90, room.acknowledged

    # Started once more on the folder: a phone from before sees its answer on its own page.
    url = await process.start("--step", "1")
    base, code = split(url)
    person = next(p for p in room.phones if p.acknowledged is not None and not p.unconfirmed)
    async with phone(code, person.token, base) as http, http.get(f"{url}?sent={STEP}") as response:
        text = await response.text()
    assert "Bedankt!" in text
    for item, value in person.acknowledged.items():  # type: ignore[union-attr]
        assert f'name="item-{item}" value="{value}" checked>' in text
    await process.pause()
    assert time.monotonic() - began < 60


# --- the address the projector shows ---------------------------------------------------------


from test_projector import shown_text, wait_until  # noqa: E402


def addresses_on(text: str) -> list[str]:
    return re.findall(r"https?://[^\s·]+", text)


@pytest.fixture
async def session_on_disk(tmp_path: Path) -> AsyncIterator[Session]:
    """A session in a data folder. `Server.start` tunes the garbage collector for a
    server's whole life; the tests that start one here give the test run its own back."""
    path = builtin_path("oogstdialoog")
    session, folder = sessions.create(Store(tmp_path / "data"), load_workshop(path), path.read_text(encoding="utf-8"))
    threshold = gc.get_threshold()
    yield session
    await folder.stop()
    gc.unfreeze()
    gc.set_threshold(*threshold)


async def test_the_projector_shows_the_address_phones_open(session_on_disk: Session) -> None:
    """The address on the status line and on the join screen is exactly join_url's,
    http://HOST:PORT/CODE, and a phone that opens it lands on the session."""
    session = session_on_disk
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    address = JoinAddress(session.code, host="127.0.0.1", port=port)
    expected = join_url(session.code, host="127.0.0.1", port=port)
    assert expected == f"http://127.0.0.1:{port}/{session.code}"
    assert len(session.code) <= 6 and set(session.code) <= set(CODE_ALPHABET)
    app = ProjectorApp(session, server=Server(make_app(session), sock), address=address, clock=False)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_until(pilot, lambda: expected in str(app.status.render())), shown_text(app)
        text = shown_text(app)
        # Loopback: phones cannot reach it, and the projector says so, naming the address.
        assert f"telefoons kunnen {expected} niet bereiken" in text
        assert addresses_on(text) == [expected]

        await pilot.press("j")
        assert await wait_until(pilot, lambda: isinstance(app.screen, JoinScreen)), app.screen
        assert str(app.screen.query_one("#address").render()) == expected
        text = shown_text(app)
        assert expected in text.split() and addresses_on(text) == [expected]
        # What is on the screen is where the phones go.
        [on_screen] = addresses_on(text)
        async with phone(session.code) as http:
            async with http.get(on_screen, allow_redirects=False) as response:
                assert response.status == 200 and "In welke rol" in await response.text()
            async with http.post(f"{on_screen}/role", data={"role": "parent"}) as response:
                assert response.status == 200
        assert await wait_until(pilot, lambda: "Niet als professional: 1" in shown_text(app)), shown_text(app)


@pytest.mark.parametrize(("host", "public", "expected"), [
    ("192.168.1.20", None, "http://192.168.1.20:8080/{code}"),
    ("127.0.0.1", "https://dialoog.example.org/zaal/", "https://dialoog.example.org/zaal/{code}"),
])
async def test_the_projector_shows_a_reachable_address_as_is(session_on_disk: Session, host: str,
                                                            public: str | None, expected: str) -> None:
    session = session_on_disk
    expected = expected.format(code=session.code)
    address = JoinAddress(session.code, host=host, port=8080, public_url=public)
    app = ProjectorApp(session, address=address, clock=False)
    async with app.run_test(size=(160, 45)) as pilot:
        assert await wait_until(pilot, lambda: f"Doe mee: {expected} ·" in shown_text(app)), shown_text(app)
        assert addresses_on(shown_text(app)) == [expected]
        await pilot.press("j")
        assert await wait_until(pilot, lambda: isinstance(app.screen, JoinScreen)), app.screen
        assert str(app.screen.query_one("#address").render()) == expected
        assert addresses_on(shown_text(app)) == [expected]


@pytest.mark.skipif(not socket.has_ipv6, reason="no IPv6 here")
async def test_an_ipv6_join_address_is_served_on_loopback(session_on_disk: Session) -> None:
    session = session_on_disk
    try:
        sock = bind("::1", 0)
    except OSError as error:
        pytest.skip(f"cannot listen on ::1: {error}")
    port = sock.getsockname()[1]
    url = join_url(session.code, host="::1", port=port)
    assert url == f"http://[::1]:{port}/{session.code}"
    served = Server(make_app(session), sock)
    await served.start()
    try:
        async with phone(session.code) as http, http.get(url, allow_redirects=False) as response:
            assert response.status == 200 and "In welke rol" in await response.text()
        assert urlsplit(url).hostname == "::1"
    finally:
        await served.stop()



# --- found on the way -------------------------------------------------------------------------


async def test_a_redraw_while_the_step_is_recomposed_loses_no_counts() -> None:
    session = await Session.new(load_workshop(builtin_path("oogstdialoog")), MemoryJournal(), session_id="s",
                                code="ACE34", created="2026-11-23", source="")
    app = ProjectorApp(session, clock=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await session.go_to([step.id for step in session.workshop.steps].index("serieus-genomen"))
        for token in [await session.join("professional") for _ in range(3)]:
            await session.answer(token, "serieus-genomen", {"serieus": 5})
        for _ in range(1000):  # the projector hears of the step; the timer fires at every turn until
            if app.step_view.step is session.step and app.step_view.query(LiveResults):  # it is drawn
                break
            app.redraw_now()
            await asyncio.sleep(0)
        assert await wait_until(pilot, lambda: "Professionals: 3" in shown_text(app), timeout=3), shown_text(app)
