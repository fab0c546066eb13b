"""The ideas step on a real phone (Chromium at 390x844, as tests/test_phone_browser.py):
ideas sent, changed and withdrawn; the vote that arrives without a page load; votes
given and changed; the same without JavaScript; hostile text shown as text."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Page

from gsdialog.collector.app import make_app
from gsdialog.collector.pace import RateLimit
from gsdialog.core.i18n import t
from gsdialog.core.ideas import IDEA_ITEM, VOTES_ITEM
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.loader import load_workshop
from gsdialog.core.session import Session
from test_phone_browser import new_phone, serious_violations  # noqa: F401  (fixtures)

DATA = Path(__file__).parent / "data"
CODE = "ACE34"
STEP = "wat-werkt"
SHOTS = os.environ.get("GSDIALOG_SCREENSHOTS")
HOSTILE = '<img src=x onerror="document.title=1">[b]x[/b] \u202eesrever\u202c'


@pytest.fixture
async def served() -> AsyncIterator[tuple[Session, str, list[str]]]:
    session = await Session.new(load_workshop(DATA / "ideas.toml"), MemoryJournal(), session_id="s", code=CODE,
                                created="", source="", threshold=3)
    others = [await session.join("professional") for _ in range(3)]
    await session.go_to(1)
    server = TestServer(make_app(session, rate=RateLimit(burst=100)))
    await server.start_server()
    yield session, str(server.make_url(f"/{CODE}")), others
    await server.close()


async def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(Path(SHOTS) / f"ideas-{name}.png"), full_page=True)


async def until(page: Page, script: str, timeout: float = 5.0) -> None:
    """Until `script` is true in the page (wait_for_function evaluates a string, which the CSP forbids)."""
    for _ in range(int(timeout / 0.05)):
        if await page.evaluate(script):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never true: {script}")


def expected_refusal(page: Page) -> None:
    """The browser logs the 400 the test asked for: that one is no error of the page."""
    page.errors.remove("Failed to load resource: the server responded with a status of 400 (Bad Request)")  # type: ignore[attr-defined]


async def own_ideas(page: Page) -> list[str]:
    return [await area.input_value() for area in await page.locator("ul.own-ideas textarea").all()]


async def joined(page: Page, url: str, session: Session) -> str:
    before = set(session.roles)
    await page.goto(url)
    await page.get_by_role("button", name="Ouder").tap()
    await page.wait_for_selector("textarea#idea-new")
    [token] = set(session.roles) - before
    return token


async def test_ideas_and_votes_with_javascript(served: tuple[Session, str, list[str]],
                                               new_phone: Callable[..., Awaitable[Page]]) -> None:  # noqa: F811
    session, url, others = served
    phone = await new_phone()
    token = await joined(phone, url, session)
    for n, other in enumerate(others):
        await session.answer(other, STEP, {IDEA_ITEM: {"new": f"Idee van een ander {n}"}})
    assert await serious_violations(phone) == []
    assert await phone.locator("body").get_attribute("data-stage") == "gathering"
    await phone.fill("#idea-new", "Niet steeds een andere hulpverlener, zodat ik mijn verhaal niet opnieuw hoef te vertellen")
    await phone.get_by_role("button", name=t("nl", "idea_send")).tap()
    await phone.wait_for_selector("ul.own-ideas textarea")
    await phone.fill("#idea-new", HOSTILE)
    await phone.get_by_role("button", name=t("nl", "idea_send")).tap()
    await until(phone, "() => document.querySelectorAll('ul.own-ideas textarea').length == 2")
    assert "Idee van een ander" not in await phone.content(), "a gathering page shows only the phone's own ideas"
    assert await phone.title() != "1" and await phone.locator("main img").count() == 0
    assert await own_ideas(phone) == ["Niet steeds een andere hulpverlener, zodat ik mijn verhaal niet opnieuw "
                                      "hoef te vertellen", '<img src=x onerror="document.title=1">[b]x[/b] esrever']
    await shot(phone, "gathering")
    assert await serious_violations(phone) == []

    # 5,000 characters past the field's limit (set by script): a clear message, nothing stored
    await phone.eval_on_selector("#idea-new", "(area, text) => { area.removeAttribute('maxlength'); area.value = text; }",
                                 "x" * 5000)
    await phone.get_by_role("button", name=t("nl", "idea_send")).tap()
    await phone.wait_for_selector(".send-note.not-counted")
    assert t("nl", "error_too_long") in await phone.locator(".send-note").inner_text()
    assert len(session.answer_of(token, STEP)[IDEA_ITEM]) == 2  # type: ignore[index]
    expected_refusal(phone)

    # change the first, withdraw the second
    first = phone.locator("ul.own-ideas li").first
    await first.locator("textarea").fill("Een vaste hulpverlener")
    await first.get_by_role("button", name=t("nl", "idea_change")).tap()
    await until(phone, "() => document.querySelector('ul.own-ideas textarea').value == 'Een vaste hulpverlener'")
    await phone.locator("ul.own-ideas li").nth(1).get_by_role("button", name=t("nl", "idea_withdraw")).tap()
    await until(phone, "() => document.querySelectorAll('ul.own-ideas textarea').length == 1")
    assert list(session.answer_of(token, STEP)[IDEA_ITEM].values()) == ["Een vaste hulpverlener"]  # type: ignore[index]

    # the vote opens: the page follows without a load, every idea in its own order
    await phone.evaluate("window.notReloaded = true")
    await session.next_stage()
    await phone.wait_for_selector("input[name=vote]")
    assert await phone.evaluate("window.notReloaded") is True
    assert await phone.locator("body").get_attribute("data-stage") == "voting.0"
    labels = [text.strip() for text in await phone.locator("label.idea").all_inner_texts()]
    assert sorted(labels) == sorted(["Een vaste hulpverlener"] + [f"Idee van een ander {n}" for n in range(3)])
    assert await serious_violations(phone) == []
    await phone.locator("label.idea").nth(0).tap()
    await phone.locator("label.idea").nth(1).tap()
    await phone.get_by_role("button", name=t("nl", "votes_send")).tap()
    await phone.wait_for_selector(".thanks")
    assert len(session.answer_of(token, STEP)[VOTES_ITEM]) == 2  # type: ignore[index]
    await shot(phone, "voted")

    # hidden while voting: the list changes once, the votes stay checked
    voted = session.answer_of(token, STEP)[VOTES_ITEM]  # type: ignore[index]
    gone = next(i.id for i in session.wall(STEP) if i.id not in voted)
    await session.hide_word(STEP, gone)
    await until(phone, "() => document.body.dataset.stage == 'voting.1'")
    assert await phone.locator("input[name=vote]").count() == 3
    assert await phone.locator("input[name=vote]:checked").count() == 2
    # a fourth vote is one too many: the server says so, nothing changes
    for box in await phone.locator("input[name=vote]:not(:checked)").all():
        await box.check()
    session.workshop.step(STEP).__dict__["votes"] = 2
    await phone.get_by_role("button", name=t("nl", "votes_change")).tap()
    await phone.wait_for_selector(".send-note.not-counted")
    assert t("nl", "error_too_many_votes") in await phone.locator(".send-note").inner_text()
    assert session.answer_of(token, STEP)[VOTES_ITEM] == voted  # type: ignore[index]
    expected_refusal(phone)
    await session.show_results()
    await phone.wait_for_selector("p.closed")
    assert "input" not in await phone.locator("main form.answer").evaluate_all("forms => forms.length ? 'input' : ''")


async def test_ideas_and_votes_without_javascript(served: tuple[Session, str, list[str]],
                                                  new_phone: Callable[..., Awaitable[Page]]) -> None:  # noqa: F811
    session, url, others = served
    phone = await new_phone(java_script_enabled=False)
    token = await joined(phone, url, session)
    for n, other in enumerate(others):
        await session.answer(other, STEP, {IDEA_ITEM: {"new": f"Idee van een ander {n}"}})
    await phone.fill("#idea-new", "Uitleg zonder moeilijke woorden")
    async with phone.expect_navigation():
        await phone.get_by_role("button", name=t("nl", "idea_send")).tap()
    assert await own_ideas(phone) == ["Uitleg zonder moeilijke woorden"]
    async with phone.expect_navigation():
        await phone.locator("ul.own-ideas li").first.get_by_role("button", name=t("nl", "idea_withdraw")).tap()
    assert await own_ideas(phone) == []
    await phone.fill("#idea-new", "Samen beslissen")
    async with phone.expect_navigation():
        await phone.get_by_role("button", name=t("nl", "idea_send")).tap()
    await session.next_stage()
    await phone.get_by_role("link", name=t("nl", "refresh")).tap()
    await phone.wait_for_selector("input[name=vote]")
    await shot(phone, "voting-nojs")
    for box in (await phone.locator("input[name=vote]").all())[:3]:
        await box.check()
    async with phone.expect_navigation():
        await phone.get_by_role("button", name=t("nl", "votes_send")).tap()
    assert len(session.answer_of(token, STEP)[VOTES_ITEM]) == 3  # type: ignore[index]
    if len(phone.errors) == 1:  # type: ignore[attr-defined]
        expected_refusal(phone)
    # a fourth: the form posts it, the server refuses it with the reason, nothing changes
    for box in await phone.locator("input[name=vote]").all():
        await box.check()
    await phone.get_by_role("button", name=t("nl", "votes_change")).tap()
    await phone.wait_for_selector("p.error")
    assert t("nl", "error_too_many_votes") in await phone.locator("p.error").inner_text()
    assert len(session.answer_of(token, STEP)[VOTES_ITEM]) == 3  # type: ignore[index]
    if len(phone.errors) == 1:  # type: ignore[attr-defined]
        expected_refusal(phone)
