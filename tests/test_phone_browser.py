"""A real phone: Debian's Chromium, driven by Playwright at 390x844 with touch.

Needs /usr/bin/chromium and node_modules/axe-core (`.ci/run` installs both).
Without them the tests skip, except on CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from gsdialog.collector.app import make_app
from gsdialog.session import MemoryJournal, Session
from gsdialog.workshop import Workshop

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent.parent / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = os.environ.get("GSDIALOG_SCREENSHOTS")
CODE = "ACE34"
STEPS = ["welkom", "vertellen", "gehoord", "wat-helpt", "woorden", "afsluiting"]

missing = [str(p) for p in (CHROMIUM, AXE) if not p.exists()]
try:
    from playwright.async_api import Page, async_playwright
except ImportError:  # pragma: no cover - the test extras install it
    missing.append("playwright")
if missing and os.environ.get("CI"):
    raise RuntimeError(f"CI must run the browser tests, but these are missing: {', '.join(missing)}")
pytestmark = pytest.mark.skipif(bool(missing), reason=f"not installed: {', '.join(missing)}")


@pytest.fixture
async def served(example: Workshop) -> AsyncIterator[tuple[Session, str]]:
    session = await Session.new(example, MemoryJournal(), session_id="s", code=CODE, created="",
                                source="", threshold=2)
    server = TestServer(make_app(session))
    await server.start_server()
    yield session, str(server.make_url(f"/{CODE}"))
    await server.close()


@pytest.fixture
async def phone() -> AsyncIterator[Page]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        # bypass_csp lets the test inject axe-core; the pages themselves keep their CSP.
        context = await browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                            is_mobile=True, device_scale_factor=2, bypass_csp=True,
                                            locale="nl-NL")
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.errors = errors  # type: ignore[attr-defined]
        yield page
        await browser.close()
        assert errors == [], f"the page logged errors: {errors}"


async def serious_violations(page: Page) -> list[dict[str, Any]]:
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


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

    await phone.get_by_label("Ouder").tap()
    await phone.get_by_role("button", name="Verder").tap()
    await phone.get_by_text("Jouw rol: Ouder.").wait_for()
    [token] = session.roles

    # The facilitator moves on: the page follows without anyone reloading it.
    await session.go_to(STEPS.index("gehoord"))
    legend = phone.get_by_text("De professional luistert zonder oordeel.")
    await legend.wait_for(timeout=10_000)
    assert await serious_violations(phone) == []
    await shot(phone, "rating")

    await phone.locator("label", has_text="2").tap()
    await phone.get_by_role("button", name="Versturen").tap()
    await phone.get_by_text("Bedankt! Je kunt je antwoord nog veranderen.").wait_for()
    assert session.answer_of(token, "gehoord") == {"luisteren": 2}
    assert await serious_violations(phone) == []
    await shot(phone, "thanks")

    await phone.locator("label", has_text="4").tap()
    await phone.get_by_role("button", name="Antwoord veranderen").tap()
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
    await phone.get_by_role("link", name="EN").tap()
    await phone.get_by_text("In which role are you here today?").wait_for()
    await phone.get_by_label("Parent").tap()
    await phone.get_by_role("button", name="Continue").tap()
    await session.go_to(STEPS.index("gehoord"))
    await phone.get_by_text("The professional listens without judging.").wait_for(timeout=10_000)
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, "nothing sticks out sideways"
    for box in [await label.bounding_box() for label in await phone.locator(".points span").all()]:
        assert box is not None and box["width"] >= 44 and box["height"] >= 44
    assert await serious_violations(phone) == []
