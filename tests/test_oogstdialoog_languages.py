"""The oogstdialoog speaks to the room that is really there (issue 24): every text
a participant reads in Dutch, English, Turkish, Arabic, Polish and Ukrainian,
really translated, the twelve questions with both sides in every language; and a
phone sees it in its own language without a tap."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from test_builtin_workshops import participant_texts, sentences  # noqa: E402

from gsdialog.collector.app import make_app
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.loader import builtin_path, check_files, load_workshop
from gsdialog.core.session import Session
from gsdialog.core.workshop import Workshop

Client = TestClient  # type: ignore[type-arg]
MakeClient = Callable[[web.Application], Awaitable[Client]]
SIX = ("nl", "en", "tr", "ar", "pl", "uk")
TRANSLATED = ("tr", "ar", "pl", "uk")
CODE = "OOG24"


@pytest.fixture(scope="module")
def workshop() -> Workshop:
    return load_workshop(builtin_path("oogstdialoog"))


def statements(workshop: Workshop) -> list[tuple[str, str, str | None]]:
    """(step, item, group) of every statement a phone rates or marks; group None when shared."""
    found = []
    for step in workshop.steps:
        if step.kind not in ("rating", "evaluation"):
            continue
        for item in step.items:
            groups = list(item.text.by_group) if item.text.by_group else [None]
            found.extend((step.id, item.id, group) for group in groups)
    return found


def test_the_oogstdialoog_checks_clean_in_six_languages(workshop: Workshop) -> None:
    assert check_files([str(builtin_path("oogstdialoog"))]) == []
    assert workshop.languages == SIX
    assert workshop.facilitator == ("nl", "en") and workshop.reviewed == ()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_participant_text_is_really_translated(workshop: Workshop, lang: str) -> None:
    """Each text a phone shows is in the language and is not the Dutch (or English) left in place."""
    for where, text in participant_texts(workshop):
        assert lang in text.by_lang, f"{where} has no {lang}"
        assert text.get(lang) not in (text.get("nl"), text.get("en")), f"{where} ({lang}): {text.get(lang)}"
        for sentence in sentences(text.get(lang).replace("؟", "?")):  # the Arabic question mark
            assert len(sentence) <= 15, f"{where} ({lang}): {' '.join(sentence)}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_statements_and_the_roles_differ_from_the_dutch(workshop: Workshop, lang: str) -> None:
    rated = statements(workshop)
    assert len(rated) == 2 + 24 + 4  # serieus genomen, the twelve, the evaluation
    for step_id, item_id, group in rated:
        item = next(i for i in workshop.step(step_id).items if i.id == item_id)
        own, dutch = item.text.get(lang, group), item.text.get("nl", group)
        assert own and own != dutch, f"{step_id} {item_id} {group} ({lang})"
    for role in workshop.roles:
        assert role.label.get(lang) != role.label.get("nl"), f"role {role.id} ({lang})"
        assert len(role.label.get(lang)) <= 40
    # Nine roles, nine different labels: no two roles read alike on the phone.
    assert len({role.label.get(lang) for role in workshop.roles}) == len(workshop.roles)


@pytest.mark.parametrize("lang", SIX)
def test_the_twelve_questions_have_both_sides_in_every_language(workshop: Workshop, lang: str) -> None:
    """Each of the twelve: the professional's and the other's statement, each its own."""
    twelve = workshop.step("twaalf-vragen")
    assert len(twelve.items) == 12
    for item in twelve.items:
        assert set(item.text.by_group) == {"professional", "other"}, item.id
        professional = item.text.by_group["professional"].by_lang.get(lang)
        other = item.text.by_group["other"].by_lang.get(lang)
        assert professional and other and professional != other, f"{item.id} ({lang})"
    for group in ("professional", "other"):
        assert twelve.prompt is not None and twelve.prompt.by_group[group].by_lang.get(lang)
        assert twelve.scale is not None
        for end in (twelve.scale.low, twelve.scale.high):
            assert end is not None and end.by_group[group].by_lang.get(lang)


def test_the_twelve_read_as_in_the_twelve_questions_workshop(workshop: Workshop) -> None:
    """A statement reads the same in both built-in workshops, in each language both have."""
    other = load_workshop(builtin_path("twaalf-vragen"))
    mine, theirs = workshop.step("twaalf-vragen"), other.step("twaalf-vragen")
    assert [i.id for i in mine.items] == [i.id for i in theirs.items]
    shared = [lang for lang in workshop.languages if lang in other.languages]
    assert shared[:2] == ["nl", "en"]
    for a, b in zip(mine.items, theirs.items):
        for group in ("professional", "other"):
            for lang in shared:
                assert a.text.get(lang, group) == b.text.get(lang, group), f"{a.id} {group} ({lang})"


# --- a phone in its own language, without a tap ------------------------------------------


@pytest.fixture
async def session(workshop: Workshop) -> Session:
    return await Session.new(workshop, MemoryJournal(), session_id="s", code=CODE, created="2026-12-03",
                             source="", threshold=3)


@pytest.fixture
async def client(aiohttp_client: MakeClient, session: Session) -> Client:
    return await aiohttp_client(make_app(session, lang="nl"))


async def get(client: Client, accept: str) -> str:
    response = await client.get(f"/{CODE}", headers={"Accept-Language": accept})
    assert response.status == 200
    return await response.text()


@pytest.mark.parametrize("lang", TRANSLATED)
async def test_a_phone_sees_the_roles_in_its_language(client: Client, workshop: Workshop, lang: str) -> None:
    text = await get(client, f"{lang},en;q=0.5")
    assert re.search(rf'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">', text)
    for role in workshop.roles:
        assert f">{role.label.get(lang)}</button>" in text, role.id
        assert f">{role.label.get('nl')}</button>" not in text or role.label.get("nl") == role.label.get(lang)


@pytest.mark.parametrize(("lang", "role", "group"), [("ar", "parent", "other"), ("tr", "teacher", "professional")])
async def test_the_twelve_questions_on_a_phone_in_its_language(client: Client, session: Session, workshop: Workshop,
                                                               lang: str, role: str, group: str) -> None:
    await session.go_to([s.id for s in workshop.steps].index("twaalf-vragen"))
    await client.post(f"/{CODE}/role", data={"role": role}, headers={"Accept-Language": lang})
    text = await get(client, lang)
    step = workshop.step("twaalf-vragen")
    assert step.prompt is not None and step.prompt.get(lang, group) in text
    for item in step.items:
        assert item.text.get(lang, group) in text, item.id
        assert item.text.get("nl", group) not in text
    opposite = "other" if group == "professional" else "professional"
    assert step.items[0].text.get(lang, opposite) not in text


async def test_a_choice_page_shows_its_prompt_once(client: Client, session: Session, workshop: Workshop) -> None:
    """The prompt stood above the choices and again as their legend ("Kies er één." twice)."""
    await session.go_to([s.id for s in workshop.steps].index("eyeopener-keuze"))
    await client.post(f"/{CODE}/role", data={"role": "parent"})
    text = await get(client, "nl")
    step = workshop.step("eyeopener-keuze")
    assert step.prompt is not None
    prompt = step.prompt.get("nl", "other")
    assert prompt != "Kies er één." and text.count(prompt) == 2  # the paragraph, and the legend for screen readers
    assert f'<legend class="visually-hidden">{prompt}</legend>' in text
