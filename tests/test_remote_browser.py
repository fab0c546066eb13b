"""The facilitator's remote on a real phone: Chromium at 390x844, with and without JavaScript.

The browser and the checks come from test_phone_browser (skipped without
Chromium, failing on CI).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Page
from test_phone_browser import (  # noqa: F401  (fixtures)
    assert_touch_targets, new_phone, pytestmark, serious_violations, shot)
from test_remote import steering

from gsdialog.collector.app import make_app
from gsdialog.collector.remote import add_remote
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.loader import builtin_path, load_workshop
from gsdialog.core.session import Session

CODE = "ACE34"
SECRET = "r3m0te-" + "k" * 30


class Secret:
    value = SECRET

    def read(self) -> str:
        return self.value

    def new(self) -> str:
        self.value = "fr3sh-" + "m" * 30
        return self.value


@pytest.fixture
async def remote() -> AsyncIterator[tuple[Session, str]]:
    workshop = load_workshop(builtin_path("oogstdialoog"))
    session = await Session.new(workshop, MemoryJournal(), session_id="s", code=CODE, created="", source="")
    steering(session)
    app = make_app(session)
    add_remote(app, Secret())
    server = TestServer(app)
    await server.start_server()
    yield session, str(server.make_url(f"/{CODE}/remote/{SECRET}"))
    await server.close()


async def test_the_remote_on_a_phone_steers_and_follows_live(remote: tuple[Session, str],
                                                             new_phone: Callable[..., Awaitable[Page]]) -> None:
    session, url = remote
    phone = await new_phone()
    await phone.goto(url)
    steps = session.workshop.steps
    await phone.get_by_role("heading", name=steps[0].title.get("nl")).wait_for()
    assert await serious_violations(phone) == []
    await assert_touch_targets(phone.locator("#remote-controls button"), 4)  # previous, next, blank, joining
    await shot(phone, "remote")

    await phone.get_by_role("button", name="Volgende").tap()
    await phone.get_by_role("heading", name=steps[1].title.get("nl")).wait_for()
    assert session.step_index == 1

    # Moved by the projector's own keys: the remote follows without a reload.
    await phone.evaluate("window.stayed = true")
    await session.go_to([s.id for s in steps].index("goede-ervaring"))
    await phone.get_by_role("heading", name=session.step.title.get("nl")).wait_for()
    assert await phone.evaluate("window.stayed === true")
    await phone.get_by_role("button", name="Tijd starten").tap()
    await phone.get_by_text("Ronde 1 van").first.wait_for()
    assert session.countdown(session.step.id).running
    await assert_touch_targets(phone.locator("#remote-controls button"), 5)  # and the timer
    # The clock ticks every second; the buttons stay the same elements, so a tap is never lost.
    await phone.evaluate("document.querySelector('#remote-controls button').dataset.kept = 'yes'")
    ticking = await phone.locator(".timer").inner_text()
    await phone.wait_for_function("t => document.querySelector('.timer').innerText !== t", arg=ticking)
    assert await phone.evaluate("document.querySelector('#remote-controls button').dataset.kept") == "yes"


async def test_the_remote_works_without_javascript(remote: tuple[Session, str],
                                                   new_phone: Callable[..., Awaitable[Page]]) -> None:
    session, url = remote
    phone = await new_phone(java_script_enabled=False)
    await phone.goto(url)
    await phone.get_by_role("button", name="Scherm op zwart").tap()
    await phone.get_by_role("button", name="Scherm weer aan").wait_for()
    assert session.blank
    await phone.get_by_role("button", name="Volgende").tap()
    await phone.get_by_role("heading", name=session.workshop.steps[1].title.get("nl")).wait_for()
    assert session.step_index == 1 and phone.url == url  # post, redirect, get: a reload sends nothing twice
