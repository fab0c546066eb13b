"""Virtual phones: a room on demand, for rehearsals and for load.

Each phone does what a person with a phone does: opens the join address,
chooses a role, follows the facilitator through the same event stream real
phones use, and answers each step through the same forms. Professionals rate
themselves higher than the others experience it, as in the oogstdialoog.
Everything is bounded: a number of phones, a time limit, and the session's
end.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp

from gsdialog.core import kinds
from gsdialog.core.kinds import KINDS, Kind

WORDS = ["luisteren", "tijd nemen", "echt luisteren", "eerlijk zijn", "samen beslissen", "geduld",
         "gezien worden", "vertrouwen", "respect", "doorvragen", "een vast gezicht", "duidelijkheid",
         "meedenken", "serieus nemen", "open zijn"]
IDEAS = ["Niet steeds een andere hulpverlener, zodat ik mijn verhaal niet opnieuw hoef te vertellen",
         "Op tijd terugbellen als je dat belooft", "Echt luisteren voordat je iets voorstelt",
         "Samen beslissen wat de volgende stap is", "Zeggen wat je niet weet", "Eerlijk zijn over wat kan en wat niet",
         "Tijd nemen voor het eerste gesprek", "Uitleg zonder moeilijke woorden"]
OTHER_ROLES_FIRST = "professional"
REQUEST_TIMEOUT = 30.0
"""Seconds for a page or an answer, and for the event stream to start. The
server answers in milliseconds: a request this slow means it is stuck or out
of reach."""
STREAM_TIMEOUT = aiohttp.ClientTimeout(total=None, sock_read=None)
"""No limit once the event stream has started: it stays open as long as the
session runs, and between step changes the server only pings."""
RECONNECTS = 5
"""Failed reconnects in a row after which a phone decides the server is gone."""


@dataclass
class Tally:
    """What the phones did, for the summary."""

    joined: int = 0
    sent: int = 0
    acknowledged: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    steps_seen: set[str] = field(default_factory=set)

    def percentile(self, share: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))]

    def summary(self) -> str:
        def ms(value: float | None) -> str:
            return "–" if value is None else f"{value * 1000:.0f} ms"

        errors = ", ".join(f"{kind}: {n}" for kind, n in sorted(self.errors.items())) or "none"
        return (f"joined: {self.joined}\nanswers sent: {self.sent}, acknowledged: {self.acknowledged}\n"
                f"errors: {errors}\nacknowledge time p50 {ms(self.percentile(0.5))}, "
                f"p95 {ms(self.percentile(0.95))}, p99 {ms(self.percentile(0.99))}\n"
                f"steps followed: {len(self.steps_seen)}")


@dataclass(frozen=True)
class Page:
    """What a step page asks, read from its form; `kind` is what the form says it is (data-kind)."""

    step: str
    kind: str
    items: list[str]
    scale: range | None
    options: list[str]
    multiple: bool
    max_choices: int | None
    words: int
    max_length: int
    idea: bool = False
    """The form takes a new idea (an ideas step gathering)."""
    ballot: tuple[str, ...] = ()
    """The ideas to vote on (an ideas step voting)."""


ANSWER_FORM = re.compile(r'<form([^>]*action="[^"]*/answer"[^>]*)>(.*?)</form>', re.DOTALL)


def read_page(html: str) -> Page | None:
    """The answer form on a step page, or None when the page has none.

    A page without one (an info step, results already shown, a message) is
    nothing to answer, not a failure.
    """
    found = ANSWER_FORM.search(html)
    form = found.group(2) if found else ""
    kind = re.search(r'data-kind="([^"]*)"', found.group(1)) if found else None
    step = re.search(r'name="step" value="([^"]+)"', form)
    if step is None:
        return None
    items = list(dict.fromkeys(re.findall(r'name="item-([^"]+)"', form)))
    values = [int(v) for v in re.findall(r'name="item-[^"]+" value="(-?\d+)"', form)]
    numbers = re.search(r'type="number"[^>]*min="(-?\d+)" max="(-?\d+)"', form) or \
        re.search(r'name="item-[^"]+" min="(-?\d+)" max="(-?\d+)"', form)
    scale = None
    if values:
        scale = range(min(values), max(values) + 1)
    elif numbers:
        scale = range(int(numbers.group(1)), int(numbers.group(2)) + 1)
    options = re.findall(r'name="option" value="([^"]+)"', form)
    up_to = re.search(r'data-max="(\d+)"', form)
    length = re.search(r'name="word" maxlength="(\d+)"', form)
    return Page(step=step.group(1), kind=kind.group(1) if kind else "", items=items, scale=scale, options=options,
                multiple='type="checkbox" name="option"' in form,
                max_choices=int(up_to.group(1)) if up_to else None,
                words=form.count('name="word"'), max_length=int(length.group(1)) if length else 40,
                idea='name="idea"' in form, ballot=tuple(re.findall(r'name="vote" value="([^"]+)"', form)))


Answer = Callable[[Page, bool, random.Random], list[tuple[str, str]]]
"""What a phone of a group (professional or not) fills in on a page, but the step."""


def scale_answer(page: Page, professional: bool, rng: random.Random) -> list[tuple[str, str]]:
    """Professionals high, the others lower."""
    form = []
    if page.items and page.scale is not None:
        low, high = page.scale.start, page.scale.stop - 1
        span = high - low
        for item in page.items:
            share = rng.triangular(0.55, 1.0, 0.85) if professional else rng.triangular(0.0, 0.8, 0.35)
            form.append((f"item-{item}", str(low + round(share * span))))
    return form


def choice_answer(page: Page, professional: bool, rng: random.Random) -> list[tuple[str, str]]:
    if not page.options:
        return []
    if page.multiple:
        count = rng.randint(1, min(len(page.options), page.max_choices or 3))
        return [("option", option) for option in rng.sample(page.options, count)]
    return [("option", rng.choice(page.options))]


def words_answer(page: Page, professional: bool, rng: random.Random) -> list[tuple[str, str]]:
    """A few words from a list."""
    return [("word", word[: page.max_length]) for word in rng.sample(WORDS, min(page.words, 2))] if page.words else []


def ideas_answer(page: Page, professional: bool, rng: random.Random) -> list[tuple[str, str]]:
    """While gathering an idea from a list; while voting, votes for a few of the ideas
    (professionals and the others each prefer their own half of the list)."""
    if page.ballot:
        most = min(len(page.ballot), page.max_choices or 3)
        ordered = sorted(page.ballot)
        half = ordered[: len(ordered) // 2 + 1] if professional else ordered[len(ordered) // 2:]
        chosen = rng.sample(half, min(most, len(half))) if rng.random() < 0.8 else rng.sample(ordered, most)
        return [("ballot", "1"), *(("vote", ident) for ident in chosen)]
    return [("idea", rng.choice(IDEAS))] if page.idea else []


ANSWERS: dict[Kind, Answer] = {kinds.RATING: scale_answer, kinds.EVALUATION: scale_answer,
                               kinds.CHOICE: choice_answer, kinds.WORDS: words_answer, kinds.IDEAS: ideas_answer}
"""Per kind the phones answer, what a virtual phone sends: a new kind adds its line."""


def answer_for(page: Page, professional: bool, rng: random.Random) -> list[tuple[str, str]]:
    """A plausible answer to the kind the page says it is (`ANSWERS`); a kind
    without an entry gets the step alone, and the server says what is missing."""
    kind = KINDS.get(page.kind)
    answer = ANSWERS.get(kind) if kind is not None else None
    return [("step", page.step), *(answer(page, professional, rng) if answer is not None else [])]


class Phone:
    """One virtual phone, with its own cookies."""

    def __init__(self, number: int, base: str, code: str, professional: bool, rng: random.Random,
                 tally: Tally, connector: aiohttp.BaseConnector, think: float, timeout: float) -> None:
        self.number = number
        self.base = base
        self.code = code
        self.professional = professional
        self.rng = rng
        self.tally = tally
        self.think = think
        self.timeout = timeout
        self.pending: set[asyncio.Task[None]] = set()
        self.http = aiohttp.ClientSession(connector=connector, connector_owner=False,
                                          cookie_jar=aiohttp.CookieJar(unsafe=True),
                                          timeout=aiohttp.ClientTimeout(total=timeout))

    async def close(self) -> None:
        for task in self.pending:
            task.cancel()
        await asyncio.gather(*self.pending, return_exceptions=True)
        await self.http.close()

    async def join(self) -> bool:
        page = await self._get(f"/{self.code}")
        if page is None:
            return False
        choices = [(role, group) for group, role in
                   re.findall(r'(?:data-group="([^"]*)" )?name="role" value="([^"]+)"', page)]
        roles = [role for role, _ in choices]
        if not roles:
            self.tally.errors["no role question"] += 1
            return False
        # The others are the roles outside the professional's group: a student
        # or a teacher is in that group too, though not named "professional".
        professionals = dict(choices).get(OTHER_ROLES_FIRST)
        others = [role for role, group in choices
                  if role != OTHER_ROLES_FIRST and not (professionals and group == professionals)] or roles
        role = OTHER_ROLES_FIRST if self.professional and OTHER_ROLES_FIRST in roles else self.rng.choice(others)
        status = await self._post(f"/{self.code}/role", [("role", role)], count=False)
        if status == 303:
            self.tally.joined += 1
            return True
        return False

    async def follow(self, stop: asyncio.Event) -> None:
        """Answer each step as the facilitator opens it, until the session ends or `stop`.

        Like a browser's EventSource, the phone opens the stream again when it
        breaks or ends early (the server stopped); a server that stays away
        is counted, one error per failed try, until the phone gives up.
        """
        answered: set[str] = set()
        failures = 0
        while not stop.is_set():
            try:
                opening = self.http.get(f"{self.base}/{self.code}/events", timeout=STREAM_TIMEOUT)
                async with await asyncio.wait_for(opening, self.timeout) as stream:
                    if stream.status != 200:
                        # EventSource does not try again after such an answer either.
                        self.tally.errors[f"events {stream.status}"] += 1
                        return
                    failures = 0
                    if await self._follow_stream(stream, answered, stop):
                        return
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                self.tally.errors[f"events {type(error).__name__}"] += 1
                failures += 1
                if failures >= RECONNECTS:
                    self.tally.errors["gave up reconnecting"] += 1
                    return
            # Broken, or ended while the session goes on: wait a moment, as EventSource does.
            await asyncio.sleep(0.5 + self.rng.random())

    async def _follow_stream(self, stream: aiohttp.ClientResponse, answered: set[str],
                             stop: asyncio.Event) -> bool:
        """Answer the steps one stream announces; True once the session has ended or `stop`."""
        event = None
        async for raw in stream.content:
            if stop.is_set():
                return True
            line = raw.decode("utf-8").rstrip("\r\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event == "step":
                now = json.loads(line[5:])
                if now.get("closed"):
                    await asyncio.gather(*self.pending, return_exceptions=True)
                    return True
                self.tally.steps_seen.add(now["step"])
                # A step with stages (ideas: gathering, voting) is answered once in each.
                at = f'{now["step"]} {now.get("stage", "").split(".")[0]}'
                if now.get("open") and at not in answered:
                    answered.add(at)
                    task = asyncio.ensure_future(self._answer(now["step"]))
                    self.pending.add(task)
                    task.add_done_callback(self.pending.discard)
        return False

    async def _answer(self, step: str) -> None:
        """Answer `step` through its form, if the page still has one for it."""
        if self.think:
            await asyncio.sleep(self.rng.uniform(0, self.think))
        html = await self._get(f"/{self.code}")
        page = read_page(html) if html else None
        if page is None or page.step != step:
            # The facilitator moved on or showed the results while this phone
            # was thinking; the stream brings the next step, if it asks anything.
            return
        await self._post(f"/{self.code}/answer", answer_for(page, self.professional, self.rng))

    async def _get(self, path: str) -> str | None:
        try:
            async with self.http.get(self.base + path) as response:
                if response.status != 200:
                    self.tally.errors[f"GET {response.status}"] += 1
                    return None
                return await response.text()
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            self.tally.errors[f"GET {type(error).__name__}"] += 1
            return None

    async def _post(self, path: str, form: list[tuple[str, str]], count: bool = True) -> int | None:
        began = time.perf_counter()
        if count:
            self.tally.sent += 1
        try:
            async with self.http.post(self.base + path, data=form, allow_redirects=False) as response:
                await response.read()
                if response.status == 303:
                    if count:
                        self.tally.acknowledged += 1
                        self.tally.latencies.append(time.perf_counter() - began)
                else:
                    self.tally.errors[f"POST {response.status}"] += 1
                return response.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            self.tally.errors[f"POST {type(error).__name__}"] += 1
            return None


def split_url(url: str) -> tuple[str, str]:
    """http://HOST:PORT/CODE -> (http://HOST:PORT, CODE)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not a join address: {url!r} (expected http://HOST:PORT/CODE)")
    path = parts.path.rstrip("/")
    base_path, _, code = path.rpartition("/")
    if not code:
        raise ValueError(f"the address has no session code: {url!r}")
    return f"{parts.scheme}://{parts.netloc}{base_path}", code


async def simulate(url: str, phones: int, *, mix: float = 0.5, seed: int | None = None, think: float = 2.0,
                   duration: float = 600.0, joining: int = 100, stop: asyncio.Event | None = None,
                   request_timeout: float = REQUEST_TIMEOUT) -> Tally:
    """Let `phones` virtual phones join and follow the session at `url`.

    At most `joining` phones join at the same moment; the whole run ends
    after `duration` seconds, when the session closes, or when `stop` is set.
    A page or an answer that takes longer than `request_timeout` seconds is
    an error; the event streams have no time limit.
    """
    base, code = split_url(url)
    rng = random.Random(seed)
    tally = Tally()
    stop = stop or asyncio.Event()
    connector = aiohttp.TCPConnector(limit=0)
    crowd = [Phone(n, base, code, rng.random() < mix, random.Random(rng.random()), tally, connector, think,
                   request_timeout) for n in range(phones)]
    gate = asyncio.Semaphore(joining)

    async def one(phone: Phone) -> None:
        async with gate:
            joined = await phone.join()
        if joined:
            await phone.follow(stop)

    runs = asyncio.gather(*(one(phone) for phone in crowd))
    stopped = asyncio.ensure_future(stop.wait())
    try:
        # Whichever comes first: every phone done (the session ended), the
        # time limit, or `stop` (Ctrl-C), which must not wait for the next event.
        await asyncio.wait({runs, stopped}, timeout=duration, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.set()
        stopped.cancel()
        runs.cancel()
        await asyncio.gather(runs, return_exceptions=True)
        await asyncio.gather(*(phone.close() for phone in crowd), return_exceptions=True)
        await connector.close()
    return tally
