"""Phones in six languages and a question read aloud, in Debian's Chromium at 390x844.

The browser's language (Playwright's `locale`, which sets Accept-Language)
picks the page's; axe-core checks each language's pages; the Web Speech API
is stubbed (an init script, which the pages' CSP does not govern) to see what
the "Lees voor" button says, in which language, and when it is hidden.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page

from gsdialog.collector.app import make_app
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.loader import builtin_path, load_workshop
from gsdialog.core.session import Session

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = os.environ.get("GSDIALOG_SCREENSHOTS")
DATA = Path(__file__).parent / "data"
CODE = "ACE34"
ROLE_QUESTION = {"nl": "In welke rol ben je hier vandaag?", "en": "In which role are you here today?",
                 "tr": "Bugün buraya hangi rolle geldiniz?", "ar": "بأي صفة أنت هنا اليوم؟",
                 "pl": "W jakiej roli jesteś tu dzisiaj?", "uk": "У якій ролі ви тут сьогодні?"}
STATEMENT = {"nl": "Ik voel me serieus genomen.", "en": "I feel taken seriously.",
             "tr": "Ciddiye alındığımı hissediyorum.", "ar": "أشعر أنهم يأخذونني على محمل الجد.",
             "pl": "Czuję, że traktuje się mnie poważnie.", "uk": "Я відчуваю, що мене сприймають серйозно."}
PARENT = {"nl": "Ouder", "en": "Parent", "tr": "Anne veya baba", "ar": "أحد الوالدين", "pl": "Rodzic",
          "uk": "Батько або мати"}
GO = {"nl": "Verder", "en": "Continue", "tr": "Devam", "ar": "متابعة", "pl": "Dalej", "uk": "Далі"}

if not CHROMIUM.exists() and os.environ.get("CI") and sys.platform.startswith("linux"):
    raise RuntimeError(f"CI must run the browser tests, but {CHROMIUM} is missing")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}")

# A stand-in for the phone's speech synthesis: voices as given, and a record
# of what was spoken (text, language, voice) and of each cancel.
SPEECH = """
(() => {
  const voices = %s;
  const spoken = []; let speaking = false; const listeners = {};
  window.__spoken = spoken; window.__cancelled = 0;
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ""; this.voice = null; };
  const synth = {
    getVoices: () => voices.map(v => ({lang: v, name: "voice " + v, default: false, localService: true, voiceURI: v})),
    speak: (u) => { spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.lang}); speaking = true; },
    cancel: () => { speaking = false; window.__cancelled += 1; },
    get speaking() { return speaking; }, get pending() { return false; },
    addEventListener: (name, f) => { (listeners[name] = listeners[name] || []).push(f); },
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
})();
"""


@pytest.fixture
async def served() -> AsyncIterator[tuple[Session, str]]:
    session = await Session.new(load_workshop(DATA / "languages.toml"), MemoryJournal(), session_id="s",
                                code=CODE, created="", source="", threshold=2)
    server = TestServer(make_app(session, lang="nl"))
    await server.start_server()
    yield session, str(server.make_url(f"/{CODE}"))
    await server.close()



@pytest.fixture
async def new_phone(browser: Browser) -> AsyncIterator[Callable[..., Awaitable[Page]]]:
    """A phone whose browser speaks `locale`, with the voices given; it must log no errors."""
    pages: list[Page] = []

    async def make(locale: str, voices: list[str] | None = None) -> Page:
        context = await browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                            is_mobile=True, device_scale_factor=2, locale=locale)
        if voices is not None:
            await context.add_init_script(SPEECH % repr(voices))
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


async def serious_violations(page: Page) -> list[dict[str, Any]]:
    result = await Axe().run(page)
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
            for v in result.response["violations"] if v["impact"] in ("serious", "critical")]


async def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(Path(SHOTS) / f"phone-{name}.png"), full_page=False)


@pytest.mark.parametrize("lang", ["nl", "en", "tr", "ar", "pl", "uk"])
async def test_the_browsers_language_without_a_tap_and_axe_finds_nothing_serious(
        served: tuple[Session, str], new_phone: Callable[..., Awaitable[Page]], lang: str) -> None:
    session, url = served
    phone = await new_phone({"nl": "nl-NL", "en": "en-GB", "tr": "tr-TR", "ar": "ar-EG", "pl": "pl-PL",
                             "uk": "uk-UA"}[lang])
    await phone.goto(url)
    await phone.get_by_text(ROLE_QUESTION[lang]).wait_for()
    assert await phone.get_attribute("html", "lang") == lang
    assert await phone.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    assert await serious_violations(phone) == []
    await shot(phone, f"{lang}-role")

    await phone.get_by_role("button", name=PARENT[lang], exact=True).tap()  # one tap joins
    await phone.get_by_text(STATEMENT[lang]).wait_for()
    assert await serious_violations(phone) == []
    await shot(phone, f"{lang}-rating")

    # The scale reads in the page's direction: 1 at the start (left, or right in Arabic).
    one = await phone.locator(".points label", has_text="1").bounding_box()
    five = await phone.locator(".points label", has_text="5").bounding_box()
    assert one and five and ((one["x"] > five["x"]) if lang == "ar" else (one["x"] < five["x"]))
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width}"

    await phone.locator(".points label", has_text="4").tap()
    await phone.locator("form.answer button[type=submit]").tap()
    await phone.locator(".thanks").wait_for()
    [token] = session.roles
    assert session.answer_of(token, "gehoord") == {"serieus": 4}


async def test_the_language_list_opens_and_the_choice_sticks(
        served: tuple[Session, str], new_phone: Callable[..., Awaitable[Page]]) -> None:
    session, url = served
    phone = await new_phone("tr-TR")
    await phone.goto(url)
    await phone.locator("details.languages summary").tap()
    await shot(phone, "tr-languages")
    assert await serious_violations(phone) == []
    await phone.get_by_role("link", name="العربية").tap()
    await phone.get_by_text(ROLE_QUESTION["ar"]).wait_for()
    assert await phone.get_attribute("html", "dir") == "rtl"
    await phone.goto(url)  # the browser still says Turkish; the choice stays
    await phone.get_by_text(ROLE_QUESTION["ar"]).wait_for()
    await phone.get_by_role("button", name=PARENT["ar"], exact=True).tap()  # one tap joins
    await phone.get_by_text(STATEMENT["ar"]).wait_for()


async def test_read_aloud_speaks_the_question_in_the_pages_language(
        served: tuple[Session, str], new_phone: Callable[..., Awaitable[Page]]) -> None:
    session, url = served
    phone = await new_phone("tr-TR", voices=["en-US", "tr-TR"])
    await phone.goto(url)
    await phone.get_by_role("button", name=PARENT["tr"], exact=True).tap()  # one tap joins
    button = phone.get_by_role("button", name="Sesli oku")
    await button.wait_for()
    assert await serious_violations(phone) == []
    await shot(phone, "tr-read-aloud")
    await button.focus()
    await phone.keyboard.press("Enter")  # the keyboard works as a tap does
    spoken = await phone.evaluate("window.__spoken")
    texts = [s["text"] for s in spoken]
    assert texts[:2] == ["Ciddiye alındınız mı?", STATEMENT["tr"]]
    assert "1 = Hiçbir zaman, 5 = Her zaman" in texts
    assert {s["lang"] for s in spoken} == {"tr-TR"} and {s["voice"] for s in spoken} == {"tr-TR"}
    await phone.get_by_role("button", name="Okumayı durdur").tap()  # tapped again: it stops
    assert await phone.evaluate("window.__cancelled") >= 1
    await phone.get_by_role("button", name="Sesli oku").wait_for()

    await phone.get_by_role("button", name="Sesli oku").tap()
    cancelled = await phone.evaluate("window.__cancelled")
    await session.go_to(1)  # the step changes: live.js swaps the page, the reading stops
    await phone.get_by_role("heading", name="Teşekkürler").wait_for(timeout=10_000)
    await phone.wait_for_function(f"window.__cancelled > {cancelled}")


async def test_read_aloud_is_absent_without_a_voice_for_the_language(
        served: tuple[Session, str], new_phone: Callable[..., Awaitable[Page]]) -> None:
    session, url = served
    phone = await new_phone("ar", voices=["en-US", "nl-NL"])
    await phone.goto(url)
    await phone.get_by_role("button", name=PARENT["ar"], exact=True).tap()  # one tap joins
    await phone.get_by_text(STATEMENT["ar"]).wait_for()
    assert await phone.locator("button.read-aloud").count() == 1
    assert not await phone.locator("button.read-aloud").is_visible()
    await shot(phone, "ar-no-voice")
    plain = await new_phone("nl-NL")  # Chromium headless: no speech voices of its own
    await plain.goto(url)
    await plain.get_by_role("button", name=PARENT["nl"], exact=True).tap()  # one tap joins
    await plain.get_by_text(STATEMENT["nl"]).wait_for()
    assert not await plain.locator("button.read-aloud").is_visible()


# --- the built-in twaalf-vragen, as a phone in each language of the room finds it ----------------

# Who joins in which language, with which voices on the phone: the Ukrainian phone has a
# Russian voice only, which must not read Ukrainian.
TWAALF_PHONES = [("tr", "tr-TR", "parent", ["tr-TR"]), ("ar", "ar-EG", "client", ["en-US", "ar-SA"]),
                 ("pl", "pl-PL", "professional", ["pl-PL"]), ("uk", "uk-UA", "young-person", ["ru-RU", "en-US"])]


async def test_twaalf_vragen_in_the_browsers_language_every_statement_without_a_tap(
        browser: Browser, new_phone: Callable[..., Awaitable[Page]]) -> None:
    """A phone whose browser speaks Turkish, Arabic, Polish or Ukrainian gets the role
    question and all twelve statements of its group in that language (Arabic right to
    left), axe finds nothing serious, nothing scrolls sideways; "Lees voor" reads the
    shown question in the page's language, and is not there without a voice for it."""
    workshop = load_workshop(builtin_path("twaalf-vragen"))
    session = await Session.new(workshop, MemoryJournal(), session_id="s", code=CODE, created="", source="")
    step = workshop.step("twaalf-vragen")
    await session.go_to([s.id for s in workshop.steps].index(step.id))
    server = TestServer(make_app(session, lang="nl"))
    await server.start_server()
    url = str(server.make_url(f"/{CODE}"))
    try:
        for lang, locale, role, voices in TWAALF_PHONES:
            group = workshop.role(role).group
            phone = await new_phone(locale, voices=voices)
            await phone.goto(url)
            await phone.get_by_text(ROLE_QUESTION[lang]).wait_for()
            assert await phone.get_attribute("html", "lang") == lang
            assert await phone.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
            assert await serious_violations(phone) == [], lang

            await phone.get_by_role("button", name=workshop.role(role).label.get(lang), exact=True).tap()
            await phone.locator("fieldset.scale legend").first.wait_for()
            statements = [item.text.by_group[group].by_lang[lang] for item in step.items]
            numbered = [f"{n}. {text}" for n, text in enumerate(statements, start=1)]
            assert await phone.locator("fieldset.scale legend").all_inner_texts() == numbered, lang
            prompt = step.prompt.by_group[group].by_lang[lang]  # type: ignore[union-attr]
            assert prompt in await phone.locator("main").inner_text()
            assert await serious_violations(phone) == [], lang
            width = await phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{lang}: the page scrolls sideways: {width}"
            await shot(phone, f"twaalf-{lang}-rating")
            if SHOTS:
                await phone.screenshot(path=str(Path(SHOTS) / f"phone-twaalf-{lang}-rating-full.png"), full_page=True)

            button = phone.locator("button.read-aloud")
            voice = next((v for v in voices if v.split("-")[0] == lang), None)
            if voice is None:
                assert await button.count() == 1 and not await button.is_visible(), lang
                continue
            await button.tap()
            spoken = await phone.evaluate("window.__spoken")
            texts = [s["text"] for s in spoken]
            assert texts[0] == step.title.get(lang) and prompt in texts, texts
            assert [t for t in texts if t in numbered] == numbered  # the question: every statement, in order
            assert {s["lang"] for s in spoken} == {voice} and {s["voice"] for s in spoken} == {voice}
            await button.tap()  # tapped again: it stops
            assert await phone.evaluate("window.__cancelled") >= 1
    finally:
        await server.close()
