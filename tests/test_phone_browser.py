"""A real phone: Debian's Chromium, driven by Playwright at 390x844 with touch.

Needs /usr/bin/chromium (`.ci/run` installs it); axe-core comes with the test
extras (axe-playwright-python ships axe.min.js). Without Chromium the tests
skip, except on CI (CI=true), where they fail.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Locator, Page

from gsdialog.collector.app import make_app
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.session import Session
from gsdialog.core.workshop import Workshop

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = os.environ.get("GSDIALOG_SCREENSHOTS")
CODE = "ACE34"
STEPS = ["welkom", "vertellen", "gehoord", "wat-helpt", "woorden", "afsluiting"]
TOUCH = 44  # CSS pixels: the smallest comfortable touch target (WCAG 2.5.5)

if not CHROMIUM.exists() and os.environ.get("CI") and sys.platform.startswith("linux"):
    raise RuntimeError(f"CI must run the browser tests, but {CHROMIUM} is missing")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason=f"no Chromium at {CHROMIUM}: these tests use Debian's "
                                       "(Linux: apt-get install chromium)")


@pytest.fixture
async def served(example: Workshop) -> AsyncIterator[tuple[Session, str]]:
    session = await Session.new(example, MemoryJournal(), session_id="s", code=CODE, created="",
                                source="", threshold=2)
    server = TestServer(make_app(session))
    await server.start_server()
    yield session, str(server.make_url(f"/{CODE}"))
    await server.close()



@pytest.fixture
async def new_phone(browser: Browser) -> AsyncIterator[Callable[..., Awaitable[Page]]]:
    """Make a phone (a fresh browser context); each must log no errors."""
    pages: list[Page] = []

    async def make(**options: Any) -> Page:
        # The pages keep their CSP: axe-core is evaluated through the DevTools
        # protocol, which the CSP does not govern.
        context = await browser.new_context(**{
            "viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
            "device_scale_factor": 2, "locale": "nl-NL", **options})
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.errors = errors  # type: ignore[attr-defined]
        pages.append(page)
        return page

    yield make
    for page in pages:
        assert page.errors == [], f"the page logged errors: {page.errors}"  # type: ignore[attr-defined]


@pytest.fixture
async def phone(new_phone: Callable[..., Awaitable[Page]]) -> Page:
    return await new_phone()


async def serious_violations(page: Page) -> list[dict[str, Any]]:
    result = await Axe().run(page)
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
            for v in result.response["violations"] if v["impact"] in ("serious", "critical")]


async def assert_touch_targets(controls: Locator, expected: int) -> None:
    """Exactly `expected` controls match, and each is at least TOUCH pixels square."""
    boxes = [await control.bounding_box() for control in await controls.all()]
    assert len(boxes) == expected, f"expected {expected} touch targets, found {len(boxes)}"
    for box in boxes:
        assert box is not None, "a touch target is not shown"
        assert box["width"] >= TOUCH and box["height"] >= TOUCH, f"too small to tap: {box}"


async def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(Path(SHOTS) / f"phone-{name}.png"), full_page=True)


async def test_a_phone_joins_answers_changes_and_follows(served: tuple[Session, str], phone: Page) -> None:
    session, url = served
    await phone.goto(url)
    assert await phone.title() and await phone.get_attribute("html", "lang") == "nl"
    assert await serious_violations(phone) == []
    await shot(phone, "role")

    await phone.get_by_role("button", name="Ouder").tap()  # one tap: the role's button joins
    await phone.get_by_text("Jouw rol: Ouder.").wait_for()
    [token] = session.roles

    # The facilitator moves on: the page follows without anyone reloading it.
    await session.go_to(STEPS.index("gehoord"))
    legend = phone.get_by_text("De professional luistert zonder oordeel.")
    await legend.wait_for(timeout=10_000)
    assert await serious_violations(phone) == []
    await shot(phone, "rating")

    # One statement: the tap on its value sends it (JavaScript); another tap changes it.
    await phone.locator("label", has_text="2").tap()
    await phone.get_by_text("Bedankt! Je kunt je antwoord nog veranderen.").wait_for()
    assert session.answer_of(token, "gehoord") == {"luisteren": 2}
    assert await serious_violations(phone) == []
    await shot(phone, "thanks")

    await phone.locator("label", has_text="4").tap()
    await phone.get_by_text("4 — De professional luistert zonder oordeel.").wait_for()
    assert session.answer_of(token, "gehoord") == {"luisteren": 4}

    await session.go_to(STEPS.index("wat-helpt"))
    await phone.get_by_label("Tijd nemen").wait_for(timeout=10_000)
    await phone.get_by_label("Tijd nemen").tap()
    await phone.get_by_role("button", name="Versturen").tap()
    await phone.get_by_text("Bedankt!").wait_for()
    assert session.answer_of(token, "wat-helpt") == {"choice": ["tijd"]}

    await session.go_to(STEPS.index("woorden"))
    first = phone.get_by_label("Woord of korte zin 1")
    await first.wait_for(timeout=10_000)
    await first.fill("echt luisteren")
    await phone.get_by_text("26 tekens over").wait_for()
    assert await serious_violations(phone) == []
    await shot(phone, "words")
    await phone.get_by_role("button", name="Versturen").tap()
    await phone.get_by_text("Bedankt!").wait_for()
    assert session.answer_of(token, "woorden") == {"words": ["echt luisteren"]}

    await session.go_to(STEPS.index("afsluiting"))
    mark = phone.get_by_role("spinbutton")
    await mark.wait_for(timeout=10_000)
    assert await phone.locator("input.slider").is_visible()  # JavaScript showed the slider
    await mark.fill("8")
    await shot(phone, "evaluation")
    await phone.get_by_role("button", name="Versturen").tap()
    await phone.get_by_text("Bedankt!").wait_for()
    assert session.answer_of(token, "afsluiting") == {"totaal": 8}

    await session.close()
    await phone.get_by_text("De workshop is afgelopen").wait_for(timeout=10_000)


async def test_from_the_scan_to_a_first_answer_in_two_taps(served: tuple[Session, str], phone: Page) -> None:
    """The scan opens the page; a role's button joins (1); the value of a single
    statement sends it (2). It was four: a role, Verder, a value, Versturen."""
    session, url = served
    await session.go_to(STEPS.index("gehoord"))
    await phone.goto(url)  # the scan
    taps = 0
    for control in (phone.get_by_role("button", name="Ouder"), phone.locator("label", has_text="3")):
        await control.tap()
        taps += 1
    await phone.get_by_text("Bedankt! Je kunt je antwoord nog veranderen.").wait_for()
    [token] = session.roles
    assert session.answer_of(token, "gehoord") == {"luisteren": 3} and taps <= 3


async def test_a_mark_shows_no_value_until_one_is_chosen(served: tuple[Session, str], phone: Page) -> None:
    """The slider showed 5 while nothing was chosen, and an item left at 5 was not sent."""
    session, url = served
    await session.go_to(STEPS.index("afsluiting"))
    await phone.goto(url)
    await phone.get_by_role("button", name="Ouder").tap()
    slider = phone.locator("input.slider")
    mark = phone.get_by_role("spinbutton")
    await mark.wait_for()
    assert await mark.input_value() == ""
    assert await slider.evaluate("s => s.classList.contains('unset')")  # its thumb is not shown
    await shot(phone, "mark-unset")
    box = await slider.bounding_box()
    assert box is not None
    await phone.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # on the 5
    assert await mark.input_value() == "5"
    assert not await slider.evaluate("s => s.classList.contains('unset')")
    await phone.get_by_role("button", name="Versturen").tap()
    await phone.get_by_text("Bedankt!").wait_for()
    [token] = session.roles
    assert session.answer_of(token, "afsluiting") == {"totaal": 5}  # what was shown is what was sent


async def test_the_code_page_and_a_wrong_code(served: tuple[Session, str], phone: Page) -> None:
    session, url = served
    await phone.goto(url.rsplit("/", 1)[0] + "/")
    assert await serious_violations(phone) == []
    await phone.get_by_label("Code").fill("xxxxx")
    await phone.get_by_role("button", name="Meedoen").tap()
    await phone.get_by_text("Deze code kennen we niet").wait_for()
    # That page is a 404 on purpose, which the browser reports.
    phone.errors[:] = [e for e in phone.errors if "404" not in e]  # type: ignore[attr-defined]
    await phone.get_by_label("Code").fill(CODE.lower())
    await phone.get_by_role("button", name="Meedoen").tap()
    await phone.get_by_text("In welke rol ben je hier vandaag?").wait_for()


async def test_english_at_320_pixels_wide(served: tuple[Session, str], phone: Page) -> None:
    session, url = served
    await phone.set_viewport_size({"width": 320, "height": 640})
    await phone.goto(url)
    await phone.get_by_role("link", name="English").tap()
    await phone.get_by_text("In which role are you here today?").wait_for()
    await phone.get_by_role("button", name="Parent").tap()
    await session.go_to(STEPS.index("gehoord"))
    await phone.get_by_text("The professional listens without judging.").wait_for(timeout=10_000)
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, "nothing sticks out sideways"
    rating = session.workshop.step("gehoord")
    assert rating.scale is not None
    await assert_touch_targets(phone.locator(".points span"), len(rating.items) * len(rating.scale.values))
    assert await serious_violations(phone) == []


async def test_without_javascript_the_refresh_link_follows_the_room(
        served: tuple[Session, str], new_phone: Callable[..., Awaitable[Page]]) -> None:
    session, url = served
    await session.go_to(STEPS.index("gehoord"))
    phone = await new_phone(java_script_enabled=False)
    await phone.goto(url)
    await phone.get_by_role("button", name="Ouder").tap()  # one tap: the role's button joins
    await phone.get_by_text("De professional luistert zonder oordeel.").wait_for()
    [token] = session.roles
    await phone.locator("label", has_text="2").tap()
    await phone.get_by_role("button", name="Versturen").tap()
    await phone.get_by_text("Bedankt! Je kunt je antwoord nog veranderen.").wait_for()
    assert session.answer_of(token, "gehoord") == {"luisteren": 2}

    # The facilitator moves on; without JavaScript the phone learns it by the refresh link.
    await session.go_to(STEPS.index("wat-helpt"))
    assert await phone.get_by_label("Tijd nemen").count() == 0
    await phone.get_by_role("link", name="Vernieuwen").click()
    await phone.get_by_label("Tijd nemen").tap()
    await phone.get_by_role("button", name="Versturen").tap()
    await phone.get_by_text("Bedankt!").wait_for()
    assert session.answer_of(token, "wat-helpt") == {"choice": ["tijd"]}

    # A mark is a plain number field when no script shows the slider.
    await session.go_to(STEPS.index("afsluiting"))
    await phone.get_by_role("link", name="Vernieuwen").click()
    mark = phone.get_by_role("spinbutton")
    await mark.fill("7")
    assert not await phone.locator("input.slider").is_visible()
    await phone.get_by_role("button", name="Versturen").tap()
    await phone.get_by_text("Bedankt!").wait_for()
    assert session.answer_of(token, "afsluiting") == {"totaal": 7}

    await session.close()
    await phone.get_by_role("link", name="Vernieuwen").click()
    await phone.get_by_text("De workshop is afgelopen").wait_for()


@pytest.fixture
async def room(example: Workshop) -> AsyncIterator[tuple[Session, str, TestServer]]:
    """Like `served`, with the server too: to break its connections."""
    session = await Session.new(example, MemoryJournal(), session_id="s", code=CODE, created="",
                                source="", threshold=2)
    server = TestServer(make_app(session))
    await server.start_server()
    yield session, str(server.make_url(f"/{CODE}")), server
    await server.close()


async def test_a_phone_with_javascript_follows_without_loading_a_page(
        room: tuple[Session, str, TestServer], phone: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    from aiohttp_sse import EventSourceResponse

    session, url, server = room
    sent: list[dict[str, Any]] = []
    real_send = EventSourceResponse.send

    async def send(self: EventSourceResponse, data: str, *args: Any, **kwargs: Any) -> None:
        sent.append(json.loads(data))
        await real_send(self, data, *args, **kwargs)

    monkeypatch.setattr(EventSourceResponse, "send", send)
    loads: list[str] = []
    phone.on("request", lambda request: loads.append(request.url) if request.resource_type == "document" else None)
    await phone.goto(url)
    await phone.get_by_role("button", name="Ouder").tap()  # one tap: the role's button joins
    await phone.get_by_text("Jouw rol: Ouder.").wait_for()
    await phone.evaluate("window.samePage = true")
    pages = len(loads)

    # A new step: its form appears in place, and works (the counter is the script's).
    await session.go_to(STEPS.index("woorden"))
    first = phone.get_by_label("Woord of korte zin 1")
    await first.wait_for(timeout=10_000)
    assert await phone.title() == "In een paar woorden · Korte check"
    await first.fill("echt luis")
    await phone.get_by_text("31 tekens over").wait_for()
    assert await phone.evaluate("window.samePage") is True and len(loads) == pages

    # The stream breaks and comes back with the step it began on in its address, so the
    # server sends this step again, with its content: what is being typed stays.
    sent.clear()
    for connection in server.runner.server.connections:  # type: ignore[union-attr]
        if connection.transport is not None:
            connection.transport.close()
    for _ in range(200):
        if any(event["step"] == "woorden" and "html" in event for event in sent):
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError(f"the stream did not come back: {sent}")
    await asyncio.sleep(0.5)  # the page has it
    # The broken stream is reported, as a browser does.
    phone.errors[:] = [e for e in phone.errors if "ERR_INCOMPLETE_CHUNKED_ENCODING" not in e]  # type: ignore[attr-defined]
    assert await first.input_value() == "echt luis"
    assert await phone.evaluate("window.samePage") is True and len(loads) == pages

    # An answer is a post, then the page with the thanks; the results replace the form.
    await first.fill("echt luisteren")
    await phone.get_by_role("button", name="Versturen").tap()
    await phone.get_by_text("Bedankt!").wait_for()
    await session.go_to(STEPS.index("gehoord"))
    await phone.locator("label", has_text="4").wait_for(timeout=10_000)
    await phone.locator("label", has_text="4").tap()  # swapped in, and still one tap
    await phone.get_by_text("Bedankt! Je kunt je antwoord nog veranderen.").wait_for()
    await phone.evaluate("window.samePage = true")
    pages = len(loads)
    await session.show_results()
    await phone.get_by_text("De uitkomsten staan op het scherm.").wait_for(timeout=10_000)
    assert await phone.locator("form.answer").count() == 0
    await phone.get_by_text("4 — De professional luistert zonder oordeel.").wait_for()
    assert not phone.url.endswith("?sent=gehoord")  # a reload shows the same
    assert await serious_violations(phone) == []

    await session.close()
    await phone.get_by_text("De workshop is afgelopen").wait_for(timeout=10_000)
    assert await phone.title() == "Meedoen · Korte check"
    assert await phone.evaluate("window.samePage") is True and len(loads) == pages
