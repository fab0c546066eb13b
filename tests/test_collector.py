"""The phones' web app, through aiohttp's test client: every route, every bad input."""

from __future__ import annotations

import asyncio
import copy
import html
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from aiohttp.test_utils import TestClient

from gsdialog.collector import server as server_module
from gsdialog.collector.app import make_app
from gsdialog.collector.pace import RateLimit
from gsdialog.collector.requests import MAX_BODY, SECURITY_HEADERS, TEMPLATES
from gsdialog.collector.stream import FOLLOWERS
from gsdialog.collector.server import JoinAddress, join_url
from gsdialog.core.i18n import t
from gsdialog.core.journal import Event, MemoryJournal
from gsdialog.core.session import CODE_ALPHABET, AnswerError, Session, new_code
from gsdialog.core.workshop import Workshop

Client = TestClient  # type: ignore[type-arg]
MakeClient = Callable[[web.Application], Awaitable[Client]]
CODE = "ACE34"
STEPS = ["welkom", "vertellen", "gehoord", "wat-helpt", "woorden", "afsluiting"]


@pytest.fixture
async def session(example: Workshop) -> Session:
    return await Session.new(example, MemoryJournal(), session_id="s", code=CODE, created="2026-11-23",
                             source="", threshold=2)


@pytest.fixture
async def client(aiohttp_client: MakeClient, session: Session) -> Client:
    return await aiohttp_client(make_app(session))


async def joined(client: Client, role: str = "parent") -> None:
    response = await client.post(f"/{CODE}/role", data={"role": role}, allow_redirects=False)
    assert response.status == 303


async def at(session: Session, step: str) -> None:
    await session.go_to(STEPS.index(step))


async def post_answer(client: Client, data: Any) -> tuple[int, str]:
    response = await client.post(f"/{CODE}/answer", data=data, allow_redirects=False)
    return response.status, await response.text()


def only_phone(session: Session) -> str:
    [token] = session.roles
    return token


# --- joining ------------------------------------------------------------------------


async def test_the_front_page_asks_for_the_code(client: Client) -> None:
    response = await client.get("/")
    text = await response.text()
    assert response.status == 200
    assert 'name="code"' in text and "Wat is de code op het scherm?" in text


async def test_a_typed_code_leads_to_the_session_in_any_case(client: Client) -> None:
    response = await client.get("/", params={"code": " ace34 "}, allow_redirects=False)
    assert (response.status, response.headers["Location"]) == (303, f"/{CODE}")
    response = await client.get("/ace34", allow_redirects=False)
    assert (response.status, response.headers["Location"]) == (303, f"/{CODE}")


@pytest.mark.parametrize("path", ["/XXXXX", "/?code=XXXXX", "/ACE34/nothing", "/../etc/passwd", "/%00"])
async def test_an_unknown_code_gets_a_plain_404_with_a_field(client: Client, path: str) -> None:
    response = await client.get(path)
    text = await response.text()
    assert response.status == 404
    assert "Deze code kennen we niet" in text and 'name="code"' in text


async def test_a_new_phone_is_asked_its_role(client: Client, session: Session) -> None:
    text = await (await client.get(f"/{CODE}")).text()
    assert "In welke rol ben je hier vandaag?" in text
    for role in session.workshop.roles:
        assert f'value="{role.id}"' in text
    assert session.roles == {}


async def test_choosing_a_role_sets_an_http_only_cookie(client: Client, session: Session) -> None:
    response = await client.post(f"/{CODE}/role", data={"role": "parent"}, allow_redirects=False)
    assert (response.status, response.headers["Location"]) == (303, f"/{CODE}")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    token = only_phone(session)
    assert token in cookie and session.roles[token] == "parent"
    text = await (await client.get(f"/{CODE}")).text()
    assert "Jouw rol: Ouder." in text and "Welkom" in text


@pytest.mark.parametrize("data", [{"role": "koning"}, {}, {"role": ["parent", "professional"]},
                                  {"role": "parent", "extra": "x"}])
async def test_a_bad_role_is_refused_and_nothing_is_stored(client: Client, session: Session,
                                                           data: dict[str, Any]) -> None:
    form = [(k, v) for k, vs in data.items() for v in (vs if isinstance(vs, list) else [vs])]
    response = await client.post(f"/{CODE}/role", data=form, allow_redirects=False)
    assert response.status == 400
    assert "Kies een van de rollen." in await response.text()
    assert session.roles == {}


async def test_changing_role_says_what_happens_and_moves_answers(client: Client, session: Session) -> None:
    await joined(client, "professional")
    await at(session, "gehoord")
    await post_answer(client, {"step": "gehoord", "item-luisteren": "5"})
    text = await (await client.get(f"/{CODE}/role")).text()
    assert "Je nieuwe rol telt voor de vraag van nu en voor alles wat nog komt." in text
    assert 'value="professional" class="pick role-pick" aria-current="true"' in text
    await joined(client, "parent")
    assert session.answer_counts("gehoord") == {"professional": 0, "other": 1}
    assert len(session.roles) == 1


async def test_a_cookie_the_session_does_not_know_is_asked_its_role(client: Client, session: Session) -> None:
    client.session.cookie_jar.update_cookies({f"gsdialog-{CODE}": "forged-token"})
    assert "In welke rol" in await (await client.get(f"/{CODE}")).text()
    status, _ = await post_answer(client, {"step": "welkom"})
    assert status == 303 and session.roles == {}


# --- answering -------------------------------------------------------------------------


async def test_answer_then_change_it_with_post_redirect_get(client: Client, session: Session) -> None:
    await joined(client)
    await at(session, "gehoord")
    text = await (await client.get(f"/{CODE}")).text()
    assert "De professional luistert zonder oordeel." in text  # the parent's own statement
    assert "Ik luister zonder oordeel." not in text
    response = await client.post(f"/{CODE}/answer", data={"step": "gehoord", "item-luisteren": "2"},
                                 allow_redirects=False)
    assert (response.status, response.headers["Location"]) == (303, f"/{CODE}?sent=gehoord")
    text = await (await client.get(response.headers["Location"])).text()
    assert "Bedankt! Je kunt je antwoord nog veranderen." in text
    assert "2 — De professional luistert zonder oordeel." in text
    assert 'value="2" checked' in text and "Antwoord veranderen" in text
    await post_answer(client, {"step": "gehoord", "item-luisteren": "4"})
    assert session.answer_of(only_phone(session), "gehoord") == {"luisteren": 4}


async def test_choice_words_and_evaluation(client: Client, session: Session) -> None:
    await joined(client)
    await at(session, "wat-helpt")
    assert (await post_answer(client, [("step", "wat-helpt"), ("option", "tijd"), ("option", "doorvragen")]))[0] == 303
    await at(session, "woorden")
    text = await (await client.get(f"/{CODE}")).text()
    assert text.count('name="word"') == 3 and 'maxlength="40"' in text
    words = [("step", "woorden"), ("word", " <script>alert(1)</script> "), ("word", "\x1b[31mrood"), ("word", "")]
    assert (await post_answer(client, words))[0] == 303
    stored = session.answer_of(only_phone(session), "woorden")
    assert stored == {"words": ["<script>alert(1)</script>", "[31mrood"]}
    text = await (await client.get(f"/{CODE}?sent=woorden")).text()
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    await at(session, "afsluiting")
    text = await (await client.get(f"/{CODE}")).text()
    assert 'type="number"' in text and 'type="range"' in text
    assert (await post_answer(client, {"step": "afsluiting", "item-totaal": "8"}))[0] == 303
    assert session.answer_of(only_phone(session), "afsluiting") == {"totaal": 8}


async def test_info_and_pairs_steps_say_what_happens_now(client: Client, session: Session) -> None:
    await joined(client)
    text = await (await client.get(f"/{CODE}")).text()
    assert "Kijk naar het scherm voorin." in text and "<form" not in text.split("</header>")[1]
    await at(session, "vertellen")
    text = await (await client.get(f"/{CODE}")).text()
    assert "A vertelt, B luistert." in text


@pytest.mark.parametrize(
    ("step", "data", "status", "message"),
    [
        ("gehoord", {"step": "gehoord", "item-luisteren": "6"}, 400, "Kies een getal op de schaal."),
        ("gehoord", {"step": "gehoord", "item-luisteren": "-1"}, 400, "Kies een getal op de schaal."),
        ("gehoord", {"step": "gehoord", "item-luisteren": "vier"}, 400, "Vul een getal in."),
        ("gehoord", {"step": "gehoord", "item-luisteren": "1e3"}, 400, "Vul een getal in."),
        ("gehoord", {"step": "gehoord", "item-praten": "3"}, 400, "Dit hoort niet bij deze vraag."),
        ("gehoord", {"step": "gehoord", "luisteren": "3"}, 400, "Dit hoort niet bij deze vraag."),
        ("gehoord", [("step", "gehoord"), ("item-luisteren", "3"), ("item-luisteren", "4")], 400,
         "Geef elk antwoord maar één keer."),
        ("gehoord", {"step": "gehoord"}, 400, "Je hebt nog niets ingevuld."),
        ("gehoord", {"item-luisteren": "3"}, 400, "Je hebt nog niets ingevuld."),
        ("gehoord", [("step", "gehoord"), ("step", "gehoord"), ("item-luisteren", "3")], 400,
         "Je hebt nog niets ingevuld."),
        ("gehoord", {"step": "woorden", "word": "x"}, 409, "Deze vraag is gesloten."),
        ("welkom", {"step": "welkom"}, 409, "Bij deze stap hoef je niets in te vullen."),
        ("wat-helpt", [("step", "wat-helpt"), ("option", "vliegen")], 400, "Dit hoort niet bij deze vraag."),
        ("wat-helpt", {"step": "wat-helpt"}, 400, "Je hebt nog niets ingevuld."),
        ("woorden", [("step", "woorden")] + [("word", "x")] * 4, 400, "Dat zijn er te veel."),
        ("woorden", [("step", "woorden"), ("word", "\u200b \x07")], 400, "Je hebt nog niets ingevuld."),
        ("afsluiting", {"step": "afsluiting", "item-totaal": "11"}, 400, "Kies een getal op de schaal."),
    ],
)
async def test_bad_input_gets_a_plain_message_and_stores_nothing(
        client: Client, session: Session, step: str, data: Any, status: int, message: str) -> None:
    await joined(client)
    await at(session, step)
    events = len(session.journal.events)  # type: ignore[attr-defined]
    got, text = await post_answer(client, data)
    assert got == status and message in text
    assert len(session.journal.events) == events  # type: ignore[attr-defined]
    assert session.answer_of(only_phone(session), step) is None


async def test_a_closed_step_answers_409_and_points_back(client: Client, session: Session) -> None:
    await joined(client)
    await at(session, "gehoord")
    await at(session, "woorden")
    status, text = await post_answer(client, {"step": "gehoord", "item-luisteren": "3"})
    assert status == 409 and f'href="/{CODE}"' in text


async def test_after_closing_every_page_says_the_workshop_ended(client: Client, session: Session) -> None:
    await joined(client)
    await session.close()
    assert "De workshop is afgelopen" in await (await client.get(f"/{CODE}")).text()
    status, text = await post_answer(client, {"step": "welkom"})
    assert status == 303  # the token is forgotten: back to the session page, which says it ended
    response = await client.post(f"/{CODE}/role", data={"role": "parent"})
    assert response.status == 409 and "De workshop is afgelopen" in await response.text()


async def test_a_body_over_the_limit_is_413(client: Client, session: Session) -> None:
    await joined(client)
    await at(session, "woorden")
    status, text = await post_answer(client, {"step": "woorden", "word": "x" * (MAX_BODY + 1)})
    assert status == 413 and "Dat is te veel tekst." in text
    assert session.answer_of(only_phone(session), "woorden") is None


async def test_a_two_megabyte_post_from_a_joined_phone_is_413_and_stores_nothing(
        client: Client, session: Session) -> None:
    """Not just one byte over: a real 2 MB form, posted with the phone's own cookie."""
    await joined(client)
    token = only_phone(session)
    await at(session, "woorden")
    assert (await post_answer(client, {"step": "woorden", "word": "eerst"}))[0] == 303
    answers = copy.deepcopy(session.answers)
    events = len(session.journal.events)  # type: ignore[attr-defined]
    body = b"step=woorden&word=" + b"x" * (2 * 1024 * 1024)
    assert any(cookie.key == f"gsdialog-{CODE}" for cookie in client.session.cookie_jar)
    response = await client.post(f"/{CODE}/answer", data=body, allow_redirects=False,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 413 and "Dat is te veel tekst." in await response.text()
    assert session.answers == answers and len(session.journal.events) == events  # type: ignore[attr-defined]
    assert session.answer_of(token, "woorden") == {"words": ["eerst"]}
    # The phone is still welcome afterwards.
    assert (await post_answer(client, {"step": "woorden", "word": "later"}))[0] == 303


async def test_invalid_utf8_is_400(client: Client, session: Session) -> None:
    await joined(client)
    await at(session, "woorden")
    response = await client.post(f"/{CODE}/answer", data=b"step=woorden&word=%FF%FE",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 400
    assert "Er ging iets mis met de tekens." in await response.text()
    response = await client.post(f"/{CODE}/answer", data=b"step=woorden&word=\xff\xfe",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 400
    assert session.answer_of(only_phone(session), "woorden") is None


async def test_too_many_posts_from_one_phone_is_429(aiohttp_client: MakeClient, session: Session) -> None:
    client = await aiohttp_client(make_app(session, rate=RateLimit(burst=3, per_second=0.001)))
    await joined(client)
    await at(session, "gehoord")
    statuses = [(await post_answer(client, {"step": "gehoord", "item-luisteren": "3"}))[0] for _ in range(5)]
    assert statuses == [303, 303, 303, 429, 429]
    status, text = await post_answer(client, {"step": "gehoord", "item-luisteren": "3"})
    assert "Even wachten" in text


def test_the_rate_limit_refills() -> None:
    limit = RateLimit(burst=2, per_second=1)
    assert [limit.allow("a", now=0), limit.allow("a", now=0), limit.allow("a", now=0)] == [True, True, False]
    assert limit.allow("a", now=1.5) and limit.allow("b", now=0)


async def test_an_answer_that_cannot_be_saved_says_so(aiohttp_client: MakeClient, example: Workshop) -> None:
    class FullDisk(MemoryJournal):
        full = False

        async def append(self, event: Event) -> None:
            if self.full:
                raise AnswerError("disk_full", "No space left on device")
            await super().append(event)

    journal = FullDisk()
    session = await Session.new(example, journal, session_id="s", code=CODE, created="", source="")
    client = await aiohttp_client(make_app(session))
    await joined(client)
    await at(session, "gehoord")
    journal.full = True
    status, text = await post_answer(client, {"step": "gehoord", "item-luisteren": "3"})
    assert status == 503 and "Je antwoord is niet bewaard. Zeg het tegen de begeleider." in text


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", f"/{CODE}", "/XXXXX", f"/{CODE}/role"])
async def test_security_headers_on_every_page(client: Client, path: str) -> None:
    response = await client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


async def test_pages_are_self_contained_and_accessible_in_structure(client: Client, session: Session) -> None:
    await joined(client)
    await at(session, "gehoord")
    text = await (await client.get(f"/{CODE}")).text()
    assert '<html lang="nl" dir="ltr">' in text and "<title>" in text
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in text
    assert "http://" not in text and "https://" not in text  # nothing from elsewhere
    assert "<fieldset" in text and "<legend>" in text
    assert "style=" not in text and "<script>" not in text  # nothing inline (the CSP forbids it)
    css = await client.get("/static/phone.css")
    assert css.status == 200 and css.headers["X-Content-Type-Options"] == "nosniff"


async def test_redirects_carry_the_security_headers_too(client: Client, session: Session) -> None:
    await at(session, "gehoord")
    responses = [await client.post(f"/{CODE}/role", data={"role": "parent"}, allow_redirects=False),
                 await client.post(f"/{CODE}/answer", data={"step": "gehoord", "item-luisteren": "3"},
                                   allow_redirects=False),
                 await client.get("/ace34", allow_redirects=False),
                 await client.get("/", params={"code": CODE}, allow_redirects=False)]
    for response in responses:
        assert response.status == 303
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value


async def test_the_phones_cookie_is_found_among_others(client: Client, session: Session) -> None:
    await joined(client)
    token = only_phone(session)
    await at(session, "gehoord")
    client.session.cookie_jar.clear()  # only the header below
    for header in (f'other="a;b"; gsdialog-{CODE}={token}; gsdialog-lang=en',
                   f"gsdialog-{CODE}=wrong;gsdialog-lang=en;gsdialog-{CODE}={token}",  # the last counts
                   f"  gsdialog-lang = en ;  gsdialog-{CODE} = {token} ; broken"):
        text = await (await client.get(f"/{CODE}", headers={"Cookie": header})).text()
        assert "Your role: Parent." in text, header
    for header in (f"gsdialog-{CODE.lower()}={token}", f"x-gsdialog-{CODE}={token}", f"gsdialog-{CODE}"):
        text = await (await client.get(f"/{CODE}", headers={"Cookie": header})).text()
        assert "In welke rol ben je hier vandaag?" in text, header


async def test_english_with_a_language_link(client: Client, session: Session) -> None:
    await joined(client)
    response = await client.get(f"/{CODE}?lang=en", allow_redirects=False)
    assert response.status == 303 and "gsdialog-lang=en" in response.headers["Set-Cookie"]
    text = await (await client.get(f"/{CODE}")).text()
    assert '<html lang="en" dir="ltr">' in text and "Your role: Parent." in text and "Welcome" in text
    assert f'href="/{CODE}?lang=nl"' in text


async def test_the_static_files_exist(client: Client) -> None:
    for name in ("phone.css", "live.js"):
        assert (await client.get(f"/static/{name}")).status == 200


# --- following the facilitator ----------------------------------------------------------------


async def next_event(response: Any) -> dict[str, Any]:
    lines: list[str] = []
    while True:
        line = (await asyncio.wait_for(response.content.readline(), 5)).decode().rstrip("\r\n")
        if line == "" and any(l.startswith("data:") for l in lines):
            break
        if line and not line.startswith(":"):
            lines.append(line)
    assert "event: step" in lines
    return json.loads(next(l for l in lines if l.startswith("data:"))[5:])


async def test_the_event_stream_follows_the_steps(client: Client, session: Session) -> None:
    response = await client.get(f"/{CODE}/events")
    assert response.headers["Content-Type"].startswith("text/event-stream")
    assert await next_event(response) == {"step": "welkom", "open": True, "closed": False}
    await at(session, "gehoord")
    assert await next_event(response) == {"step": "gehoord", "open": True, "closed": False}
    await session.close()
    assert (await next_event(response))["closed"] is True
    response.close()


async def test_answers_wake_no_event_stream(client: Client, session: Session) -> None:
    """A flood of answers costs the event streams nothing: their handlers stay asleep.

    The stream sends only when the step differs, so reading the stream cannot
    tell; instead this counts the turns of the stream handler's loop, which
    clears its wake-up event once per turn (`events` in app.py).
    """
    response = await client.get(f"/{CODE}/events")
    assert (await next_event(response))["step"] == "welkom"
    [wake] = client.server.app[FOLLOWERS].waiting  # the one stream's own event
    turns: list[bool] = []
    clear = wake.clear

    def counted_clear() -> None:
        turns.append(True)
        clear()

    wake.clear = counted_clear  # type: ignore[method-assign]
    await joined(client)
    others = [await session.join("professional") for _ in range(20)]
    await asyncio.sleep(0.05)
    assert turns == [], "a join woke the event stream"

    await at(session, "gehoord")
    assert await next_event(response) == {"step": "gehoord", "open": True, "closed": False}
    assert turns == [True], "a step change must wake the stream exactly once"

    for value in (3, 4, 5, 2, 1):  # answers through the phones' pages ...
        assert (await post_answer(client, {"step": "gehoord", "item-luisteren": str(value)}))[0] == 303
    await asyncio.gather(*(session.answer(token, "gehoord", {"luisteren": 1 + n % 5})  # ... and a flood
                           for n, token in enumerate(others)))
    await asyncio.sleep(0.1)  # time for a woken handler to take its turn
    assert session.answer_counts("gehoord") == {"professional": 20, "other": 1}
    assert not wake.is_set() and turns == [True], f"answers woke the stream {len(turns) - 1} times"
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(response.content.readline(), 0.1)

    await at(session, "woorden")
    assert (await next_event(response))["step"] == "woorden"
    assert turns == [True, True]
    response.close()


async def test_many_phones_follow_at_once(client: Client, session: Session) -> None:
    streams = [await client.get(f"/{CODE}/events") for _ in range(50)]
    for stream in streams:
        await next_event(stream)
    await at(session, "woorden")
    found = await asyncio.gather(*(next_event(stream) for stream in streams))
    assert all(event["step"] == "woorden" for event in found)
    for stream in streams:
        stream.close()


def main_of(page: str) -> str:
    """What a page's <main> holds."""
    return page.split("<main>", 1)[1].split("</main>", 1)[0].strip()


def title_of(page: str) -> str:
    return html.unescape(page.split("<title>", 1)[1].split("</title>", 1)[0])


async def test_the_event_carries_what_a_reload_would_show(client: Client, session: Session) -> None:
    """live.js puts the event's html and title in place instead of loading the page: for
    every kind of step, in both languages, they are the page's own."""
    for lang in ("nl", "en"):
        client.session.cookie_jar.update_cookies({"gsdialog-lang": lang})
        await joined(client)
        await at(session, "welkom")
        response = await client.get(f"/{CODE}/events")
        for step in STEPS:
            if step != "welkom":
                await at(session, step)
            event = await next_event(response)
            page = await (await client.get(f"/{CODE}")).text()
            assert (event["step"], event["open"], event["closed"]) == (step, True, False)
            assert event["html"].strip() == main_of(page) and event["title"] == title_of(page)
        response.close()


async def test_a_page_that_shows_the_room_gets_no_content_again(client: Client, session: Session) -> None:
    await joined(client)
    await at(session, "gehoord")
    response = await client.get(f"/{CODE}/events", params={"step": "gehoord", "open": "true"})
    assert await next_event(response) == {"step": "gehoord", "open": True, "closed": False}
    await at(session, "woorden")
    assert "html" in await next_event(response)
    response.close()
    response = await client.get(f"/{CODE}/events", params={"step": "gehoord", "open": "true"})  # an old page
    event = await next_event(response)
    assert event["step"] == "woorden" and "html" in event
    response.close()


async def test_the_results_event_shows_the_phones_own_answer_without_a_form(client: Client, session: Session) -> None:
    await joined(client)
    await at(session, "gehoord")
    assert (await post_answer(client, {"step": "gehoord", "item-luisteren": "4"}))[0] == 303
    response = await client.get(f"/{CODE}/events", params={"step": "gehoord", "open": "true"})
    await next_event(response)
    await session.show_results()
    event = await next_event(response)
    page = await (await client.get(f"/{CODE}")).text()
    assert (event["step"], event["open"]) == ("gehoord", False)
    assert event["html"].strip() == main_of(page) and event["title"] == title_of(page)
    assert "<form" not in event["html"] and "De uitkomsten staan op het scherm." in event["html"]
    assert "4 — De professional luistert zonder oordeel." in event["html"]

    await session.close()
    event = await next_event(response)
    page = await (await client.get(f"/{CODE}")).text()
    assert event["closed"] is True and "De workshop is afgelopen." in event["html"]
    assert event["html"].strip() == main_of(page) and event["title"] == title_of(page)
    response.close()


async def test_participant_text_in_an_event_is_escaped(client: Client, session: Session) -> None:
    await joined(client)
    await at(session, "woorden")
    words = ['"><script>alert(1)</script>', "<b>echt</b> & 'luisteren'"]
    assert (await post_answer(client, [("step", "woorden"), *(("word", w) for w in words)]))[0] == 303
    await at(session, "afsluiting")
    response = await client.get(f"/{CODE}/events", params={"step": "afsluiting", "open": "true"})
    await next_event(response)
    await at(session, "woorden")  # back: the form holds the phone's own words
    event = await next_event(response)
    page = await (await client.get(f"/{CODE}")).text()
    assert event["html"].strip() == main_of(page)
    assert "<script>" not in event["html"] and "<b>" not in event["html"]
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in event["html"]
    response.close()


async def test_a_phone_the_session_does_not_know_gets_no_content(client: Client, session: Session) -> None:
    client.session.cookie_jar.update_cookies({f"gsdialog-{CODE}": "not-a-token"})
    response = await client.get(f"/{CODE}/events")
    assert await next_event(response) == {"step": "welkom", "open": True, "closed": False}
    response.close()


async def test_a_step_change_renders_once_per_role_and_language(aiohttp_client: MakeClient, session: Session,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A room of phones without answers shares one rendering of each step's event."""
    app = make_app(session)
    phones = [await aiohttp_client(app) for _ in range(6)]
    for number, phone in enumerate(phones):
        await joined(phone, "parent" if number % 2 else "professional")
    streams = [await phone.get(f"/{CODE}/events", params={"step": "welkom", "open": "true"}) for phone in phones]
    for stream in streams:
        await next_event(stream)
    rendered: list[str] = []
    templates = app[TEMPLATES]
    real = templates.get_template
    monkeypatch.setattr(templates, "get_template", lambda name, *a, **k: rendered.append(name) or real(name, *a, **k))
    await at(session, "gehoord")
    found = await asyncio.gather(*(next_event(stream) for stream in streams))
    assert rendered.count("step_main.html") == 2  # professional and parent
    assert len({json.dumps(event) for event in found}) == 2
    for stream in streams:
        stream.close()


async def test_static_addresses_are_found_once(client: Client, session: Session,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page asked for the static files' addresses, which hashes the file each time."""
    from aiohttp.web_urldispatcher import StaticResource

    asked: list[str] = []
    real = StaticResource.url_for
    monkeypatch.setattr(StaticResource, "url_for",
                        lambda self, **parts: asked.append(parts["filename"]) or real(self, **parts))
    await joined(client)
    await at(session, "gehoord")
    for value in ("3", "4", "5"):  # the thank-you page is rendered for this phone alone, each time
        assert (await post_answer(client, {"step": "gehoord", "item-luisteren": value}))[0] == 303
        text = await (await client.get(f"/{CODE}?sent=gehoord")).text()
        assert "/static/phone.css?v=" in text and "/static/live.js?v=" in text
    assert sorted(asked) == ["live.js", "phone.css", "read.js", "send.js"]


async def test_a_waiting_stream_holds_three_tasks_at_most(client: Client, session: Session) -> None:
    """A thousand phones hold the page: each stream is aiohttp's connection and handler
    and aiohttp_sse's pings, with no task of its own for waiting (`Wake`)."""
    before = len(asyncio.all_tasks())
    streams = [await client.get(f"/{CODE}/events") for _ in range(10)]
    for stream in streams:
        await next_event(stream)
    await asyncio.sleep(0.05)
    assert len(asyncio.all_tasks()) - before <= 3 * len(streams)
    await at(session, "gehoord")
    for stream in streams:
        assert (await next_event(stream))["step"] == "gehoord"
    await asyncio.sleep(0.05)
    assert len(asyncio.all_tasks()) - before <= 3 * len(streams)
    for stream in streams:
        stream.close()


async def test_a_stream_whose_phone_went_away_ends(client: Client, session: Session,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from gsdialog.collector import stream as stream_module

    monkeypatch.setattr(stream_module, "PING_EVERY", 0.1)
    followers = client.server.app[FOLLOWERS]
    stream = await client.get(f"/{CODE}/events")
    await next_event(stream)
    assert len(followers.waiting) == 1
    stream.close()  # the phone is gone; the next ping finds out, the stream ends
    for _ in range(50):
        if not followers.waiting:
            break
        await asyncio.sleep(0.05)
    assert not followers.waiting


ANSWERS = {
    # per step of the example: a strategy for a stored answer (item -> value), any shape the page may meet
    "gehoord": st.dictionaries(st.sampled_from(["luisteren", "x"]), st.integers(-1, 7), max_size=3),
    "wat-helpt": st.fixed_dictionaries({"choice": st.lists(st.sampled_from(["tijd", "doorvragen", "?"]),
                                                          max_size=3)}),
    "woorden": st.fixed_dictionaries({"words": st.lists(st.text(max_size=12) | st.text("<>&\"' a\x00é", max_size=8),
                                                        max_size=4)}),
    "afsluiting": st.dictionaries(st.sampled_from(["totaal", "x"]), st.integers(-1, 11), max_size=2),
    "vertellen": st.just({}),
}


def test_a_phones_own_page_from_its_skeleton_is_the_page_rendered_for_it(example: Workshop) -> None:
    """filled.py: every kind, open and with results shown, thanked or not, each role and
    language, the form filled in and the summary, with text that needs escaping: the same
    bytes as Jinja2 rendering the page for this phone."""
    from aiohttp.test_utils import make_mocked_request

    from gsdialog.collector.pages import own_page, step_context
    from gsdialog.collector.requests import render_text

    session = asyncio.run(Session.new(example, MemoryJournal(), session_id="s", code=CODE, created="",
                                      source="", threshold=2))
    app = make_app(session)
    tokens = {}
    for role in example.roles:
        tokens[role.id] = f"token-{role.id}"
        session.apply({"type": "join", "token": tokens[role.id], "role": role.id})

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(step=st.sampled_from(list(ANSWERS)), role=st.sampled_from([r.id for r in example.roles]),
           lang=st.sampled_from(["nl", "en"]), results=st.booleans(), sent=st.booleans(), data=st.data())
    def same(step: str, role: str, lang: str, results: bool, sent: bool, data: st.DataObject) -> None:
        session.apply({"type": "step", "index": STEPS.index(step)})
        if results:
            session.apply({"type": "results", "step": step})
        stored = data.draw(ANSWERS[step])
        token = tokens[role]
        session.answers[step][token] = stored
        request = make_mocked_request("GET", f"/{CODE}", headers={"Cookie": f"gsdialog-lang={lang}"}, app=app,
                                      match_info={"code": CODE})
        group = session.groups[token]
        for template in ("step.html", "step_main.html"):
            rendered = render_text(request, template, **step_context(session, session.step, group, role, stored, sent,
                                                                None, lang))
            assert own_page(request, session, session.step, group, role, stored, sent, template) == rendered
        session.states[step] = "open"

    same()


def test_a_skeleton_whose_text_holds_a_marker_is_not_used() -> None:
    from gsdialog.collector.filled import MARK, Skeleton, Slots

    slots = Slots(True)
    assert Skeleton.of(f"<p>a{slots.checked('i', 1)}b</p>", slots) is not None
    assert Skeleton.of(f"<p>a{MARK}b{slots.checked('i', 2)}c</p>", slots) is None
    assert Skeleton.of(f"<p>a{MARK}1{MARK}b</p>", Slots(True)) is None


async def test_more_fields_than_any_form_has_is_413(client: Client, session: Session) -> None:
    await joined(client)
    await at(session, "gehoord")
    status, text = await post_answer(client, [("step", "gehoord")] + [("item-luisteren", "3")] * 150)
    assert status == 413 and "Dat is te veel tekst." in text



async def test_a_step_change_during_a_slow_send_still_reaches_the_phone(
        client: Client, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    from aiohttp_sse import EventSourceResponse

    real_send = EventSourceResponse.send
    sends: list[int] = []

    async def slow_send(self: EventSourceResponse, *args: Any, **kwargs: Any) -> None:
        await real_send(self, *args, **kwargs)
        sends.append(1)
        if len(sends) == 1:  # the facilitator moves on while this send is still draining
            await at(session, "gehoord")

    monkeypatch.setattr(EventSourceResponse, "send", slow_send)
    response = await client.get(f"/{CODE}/events")
    assert (await next_event(response))["step"] == "welkom"
    assert (await asyncio.wait_for(next_event(response), 3))["step"] == "gehoord"
    response.close()


# --- the join address ---------------------------------------------------------------------------

LOOK_ALIKES = set("0OQD1IL2Z5S6G8BUV")
"""Characters a room mistakes for one another when typing from a projector."""


def assert_join_address(url: str, code: str, start: str) -> None:
    """The contract: START/CODE, CODE at most 6 characters, capitals, no look-alikes."""
    assert url == f"{start}/{code}"
    assert len(code) <= 6 and code == code.upper() and not LOOK_ALIKES & set(code), code


@pytest.mark.parametrize(("host", "port", "start"), [
    ("192.168.1.20", 8080, "http://192.168.1.20:8080"),
    ("10.0.0.5", 80, "http://10.0.0.5"),  # port 80 is left out, as browsers do
    ("192.168.1.20", 1, "http://192.168.1.20:1"),
    ("gsdialog.local", 8080, "http://gsdialog.local:8080"),
    ("fd00::2", 8080, "http://[fd00::2]:8080"),  # an IPv6 literal goes in brackets
    ("::1", 80, "http://[::1]"),
])
def test_join_url_is_http_host_port_code(host: str, port: int, start: str) -> None:
    assert_join_address(join_url(CODE, host=host, port=port), CODE, start)


@pytest.mark.parametrize("everywhere", ["0.0.0.0", "::", ""])
def test_join_url_on_every_interface_names_a_lan_address(everywhere: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_module, "lan_addresses", lambda: ["192.168.1.20", "10.0.0.5"])
    assert join_url(CODE, host=everywhere, port=8080) == f"http://192.168.1.20:8080/{CODE}"
    monkeypatch.setattr(server_module, "lan_addresses", lambda: [])
    assert join_url(CODE, host=everywhere, port=8080) == f"http://127.0.0.1:8080/{CODE}"
    assert JoinAddress(CODE, host=everywhere, port=8080, find=lambda: []).current() == \
        (f"http://127.0.0.1:8080/{CODE}", False)


@pytest.mark.parametrize(("public", "start"), [
    ("https://dialoog.example.org", "https://dialoog.example.org"),
    ("https://dialoog.example.org/", "https://dialoog.example.org"),
    ("https://dialoog.example.org//", "https://dialoog.example.org"),
    ("https://example.org/zaal-3/", "https://example.org/zaal-3"),
    ("http://192.168.43.1:9000", "http://192.168.43.1:9000"),
])
def test_join_url_with_a_public_url_ignores_host_and_port(public: str, start: str) -> None:
    url = join_url(CODE, host="127.0.0.1", port=8080, public_url=public)
    assert_join_address(url, CODE, start)
    assert JoinAddress(CODE, host="127.0.0.1", port=8080, public_url=public).current() == (url, True)


@pytest.mark.parametrize(("host", "reachable"), [
    ("192.168.1.20", True), ("127.0.0.1", False), ("::1", False), ("fd00::2", True)])
def test_join_address_says_whether_phones_can_reach_it(host: str, reachable: bool) -> None:
    assert JoinAddress(CODE, host=host, port=8080).current() == (join_url(CODE, host=host, port=8080), reachable)


def test_localhost_is_not_reachable_from_phones() -> None:
    for name in ("localhost", "LOCALHOST.", "gsdialog.localhost"):
        assert JoinAddress(CODE, host=name, port=8080).current()[1] is False, name
    assert JoinAddress(CODE, host="gsdialog.local", port=8080).current()[1] is True


def test_every_new_code_makes_a_join_address_a_room_can_type() -> None:
    codes = {new_code() for _ in range(500)}
    for code in codes:
        assert_join_address(join_url(code, host="192.168.1.20", port=8080), code, "http://192.168.1.20:8080")
    assert not LOOK_ALIKES & set(CODE_ALPHABET)


async def test_the_join_address_is_the_session_page_itself(client: Client, session: Session) -> None:
    """In the session's own case: the address on the screen is answered, not redirected."""
    url = join_url(session.code, host="192.168.1.20", port=8080)
    path = urlsplit(url).path
    assert path == f"/{session.code}" and session.code == CODE
    response = await client.get(path, allow_redirects=False)
    assert response.status == 200 and "In welke rol ben je hier vandaag?" in await response.text()
    response = await client.get(path.lower(), allow_redirects=False)
    assert (response.status, response.headers["Location"]) == (303, path)


async def test_a_page_sent_with_statements_left_open_says_how_many_and_keeps_them_open(
        aiohttp_client: MakeClient) -> None:
    """"Bedankt!" after 1 of 12 said nothing about the other 11."""
    from gsdialog.core.loader import builtin_path, load_workshop

    workshop = load_workshop(builtin_path("sessie-evaluatie"))
    session = await Session.new(workshop, MemoryJournal(), session_id="s", code=CODE, created="2026-11-23",
                                source="")
    client = await aiohttp_client(make_app(session))
    await joined(client, workshop.roles[0].id)
    step = [s.id for s in workshop.steps].index("cijfers")
    await session.go_to(step)
    items = workshop.steps[step].items
    response = await client.post(f"/{CODE}/answer", data={"step": "cijfers", f"item-{items[0].id}": "7"})
    text = await response.text()
    assert response.status == 200
    assert t("nl", "items_left", n=len(items) - 1, total=len(items)) in text
    assert 'class="answer"' in text  # the form is still there, filled in, to answer the rest
    for item in items[1:]:
        assert f'name="item-{item.id}"' in text
    data = {"step": "cijfers", **{f"item-{item.id}": "7" for item in items}}
    text = await (await client.post(f"/{CODE}/answer", data=data)).text()
    assert "Nog niet ingevuld" not in text


async def test_the_role_is_one_tap_and_a_single_statement_is_answered_by_its_value(
        client: Client, session: Session) -> None:
    text = await (await client.get(f"/{CODE}")).text()
    assert 'data-group="other" name="role" value="parent"' in text and 'type="radio"' not in text
    assert "Verder" not in text  # no second tap
    response = await client.post(f"/{CODE}/role", data={"role": "parent"}, allow_redirects=False)
    assert response.status == 303
    await at(session, "gehoord")  # one statement: live.js sends the tap on its value
    assert re.search(r'class="answer" data-kind="\w+" data-one-tap', await (await client.get(f"/{CODE}")).text())
    await at(session, "wat-helpt")
    assert "data-one-tap" not in await (await client.get(f"/{CODE}")).text()
