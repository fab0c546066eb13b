"""The ideas step: gathering, voting, the ranking, the facilitator's hide and merge,
through the session and through the phones' HTTP, and after a restart."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from gsdialog.collector.app import make_app
from gsdialog.collector.pace import RateLimit
from gsdialog.collector.stream import FOLLOWERS
from gsdialog.core.i18n import t
from gsdialog.core.ideas import GATHERING, IDEA_ITEM, VOTES_ITEM, VOTING, Marks, order_for
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.loader import WorkshopError, load_workshop, parse_workshop
from gsdialog.core.session import AnswerError, Session
from gsdialog.core.workshop import Workshop

DATA = Path(__file__).parent / "data"
CODE = "ACE34"
STEP = "wat-werkt"
Client = TestClient  # type: ignore[type-arg]
MakeClient = Callable[[web.Application], Awaitable[Client]]


@pytest.fixture
def workshop() -> Workshop:
    return load_workshop(DATA / "ideas.toml")


@pytest.fixture
async def session(workshop: Workshop) -> Session:
    session = await Session.new(workshop, MemoryJournal(), session_id="s", code=CODE, created="2026-12-03",
                                source="", threshold=3)
    await session.go_to(1)
    return session


async def idea(session: Session, token: str, text: str | None, ident: str = "new") -> str:
    """Send one idea; its id."""
    before = set((session.answer_of(token, STEP) or {}).get(IDEA_ITEM, {}))
    stored = await session.answer(token, STEP, {IDEA_ITEM: {ident: text}})
    [(found, _)] = stored[IDEA_ITEM].items()
    assert found in before or ident == "new"
    return found


async def room(session: Session, professionals: int, others: int) -> tuple[list[str], list[str]]:
    return ([await session.join("professional") for _ in range(professionals)],
            [await session.join("parent") for _ in range(others)])


# --- the workshop format ---------------------------------------------------------------


def test_votes_and_longest_have_defaults_and_limits(workshop: Workshop) -> None:
    step = workshop.step(STEP)
    assert (step.votes, step.longest) == (3, 140)
    source = (DATA / "ideas.toml").read_text(encoding="utf-8")
    defaults = parse_workshop(source.replace("votes = 3\nlongest = 140\n", ""), "x.toml")
    assert (defaults.step(STEP).votes, defaults.step(STEP).longest) == (3, 140)
    with pytest.raises(WorkshopError) as found:
        parse_workshop(source.replace("votes = 3", "votes = 0").replace("longest = 140", 'longest = "lang"'),
                       "x.toml")
    text = str(found.value)
    assert "votes must be a whole number from 1 to 10, not 0" in text
    assert "longest must be a whole number from 20 to 500, not 'lang'" in text
    with pytest.raises(WorkshopError, match="entries"):
        parse_workshop(source.replace("votes = 3", "entries = 3"), "x.toml")


# --- gathering ---------------------------------------------------------------------------


async def test_a_phone_sends_changes_and_withdraws_its_own_ideas(session: Session) -> None:
    [pro], [parent] = await room(session, 1, 1)
    assert session.stage(STEP) == GATHERING
    first = await idea(session, pro, "Niet steeds een andere hulpverlener")
    second = await idea(session, pro, "Op tijd terugbellen")
    assert first != second
    assert session.answer_of(pro, STEP) == {IDEA_ITEM: {first: "Niet steeds een andere hulpverlener",
                                                        second: "Op tijd terugbellen"}}
    assert await idea(session, pro, "Altijd op tijd terugbellen", second) == second
    await session.answer(pro, STEP, {IDEA_ITEM: {first: None}})
    assert session.answer_of(pro, STEP) == {IDEA_ITEM: {second: "Altijd op tijd terugbellen"}}
    # the same idea sent twice (a resend after a restart) is the same idea
    assert await idea(session, pro, "Altijd op tijd terugbellen") == second
    # a phone cannot change or withdraw another's idea
    for text in ("overgenomen", None):
        with pytest.raises(AnswerError) as refused:
            await session.answer(parent, STEP, {IDEA_ITEM: {second: text}})
        assert refused.value.reason == "not_your_idea"
    assert [i.text for i in session.wall(STEP)] == ["Altijd op tijd terugbellen"]


@pytest.mark.parametrize(("values", "reason"), [
    ({IDEA_ITEM: {"new": ""}}, "missing"),
    ({IDEA_ITEM: {"new": "   \u202e "}}, "missing"),
    ({IDEA_ITEM: {"new": "x" * 141}}, "too_long"),
    ({IDEA_ITEM: {"new": "x" * 5000}}, "too_long"),
    ({IDEA_ITEM: {"new": 3}}, "missing"),
    ({IDEA_ITEM: {"new": None}}, "missing"),
    ({IDEA_ITEM: {"new": "a", "new2": "b"}}, "missing"),
    ({IDEA_ITEM: "tekst"}, "missing"),
    ({VOTES_ITEM: ["x"]}, "voting_not_open"),
    ({"iets": "x"}, "unknown_item"),
    ({}, "missing"),
])
async def test_bad_ideas_are_refused_and_change_nothing(session: Session, values: dict[str, Any],
                                                       reason: str) -> None:
    [pro], _ = await room(session, 1, 0)
    await idea(session, pro, "eerste")
    before = session.answer_of(pro, STEP)
    events = len(session.journal.events)  # type: ignore[attr-defined]
    with pytest.raises(AnswerError) as refused:
        await session.answer(pro, STEP, values)
    assert refused.value.reason == reason
    assert session.answer_of(pro, STEP) == before
    assert len(session.journal.events) == events  # type: ignore[attr-defined]


async def test_an_idea_of_exactly_the_longest_is_taken_and_hostile_text_is_cleaned(session: Session) -> None:
    [pro], _ = await room(session, 1, 0)
    ident = await idea(session, pro, "y" * 140)
    assert session.answer_of(pro, STEP)[IDEA_ITEM][ident] == "y" * 140  # type: ignore[index]
    ident = await idea(session, pro, "<b>vet</b> [red]rood[/] \u202egniwollof\u202c")
    assert session.answer_of(pro, STEP)[IDEA_ITEM][ident] == "<b>vet</b> [red]rood[/] gniwollof"  # type: ignore[index]


async def test_at_most_ten_ideas_per_phone(session: Session) -> None:
    [pro], _ = await room(session, 1, 0)
    for n in range(10):
        await idea(session, pro, f"idee {n}")
    with pytest.raises(AnswerError, match="too_many_ideas"):
        await idea(session, pro, "nog een")


# --- voting ----------------------------------------------------------------------------


async def gathered(session: Session) -> tuple[list[str], list[str], dict[str, str]]:
    pros, others = await room(session, 4, 3)
    ids = {}
    for n, text in enumerate(("Luisteren", "Op tijd", "Eerlijk zijn", "Zelfde hulpverlener", "Samen beslissen")):
        ids[text] = await idea(session, (pros + others)[n], text)
    return pros, others, ids


async def test_next_stage_opens_the_vote_and_ends_gathering(session: Session) -> None:
    pros, others, ids = await gathered(session)
    assert await session.next_stage()
    assert session.stage(STEP) == VOTING
    assert not await session.next_stage(), "voting is the last stage"
    with pytest.raises(AnswerError, match="gathering_closed"):
        await idea(session, pros[0], "te laat")
    with pytest.raises(AnswerError, match="gathering_closed"):
        await session.answer(pros[0], STEP, {IDEA_ITEM: {ids["Luisteren"]: None}})
    await session.answer(pros[0], STEP, {VOTES_ITEM: [ids["Luisteren"], ids["Op tijd"]]})
    assert session.voters(STEP) == {"professional": 1, "other": 0}


async def test_no_phone_votes_twice_for_one_idea_or_more_than_its_votes(session: Session) -> None:
    pros, others, ids = await gathered(session)
    await session.merge_ideas(STEP, ids["Op tijd"], ids["Luisteren"])
    await session.hide_word(STEP, ids["Eerlijk zijn"])
    await session.next_stage()
    a, b, c, d = ids["Luisteren"], ids["Op tijd"], ids["Zelfde hulpverlener"], ids["Samen beslissen"]
    for votes, reason in (([a, a], "duplicate"), ([a, b], "duplicate"), ([a, c, d, "ffff"], "unknown_idea"),
                          ([ids["Eerlijk zijn"]], "unknown_idea"), (["onbekend"], "unknown_idea"),
                          ([], "missing"), ("abc", "missing"), ([3], "unknown_idea")):
        with pytest.raises(AnswerError) as refused:
            await session.answer(pros[0], STEP, {VOTES_ITEM: votes})
        assert refused.value.reason == reason, votes
    assert VOTES_ITEM not in session.answer_of(pros[0], STEP)  # type: ignore[operator]
    session.workshop.steps[1].__dict__["votes"] = 2  # a step of two votes
    with pytest.raises(AnswerError, match="too_many_votes"):
        await session.answer(pros[0], STEP, {VOTES_ITEM: [a, c, d]})
    # a vote for a merged idea counts for the one it is in
    assert (await session.answer(pros[0], STEP, {VOTES_ITEM: [b, c]}))[VOTES_ITEM] == [a, c]
    # and can be changed while voting is open
    assert (await session.answer(pros[0], STEP, {VOTES_ITEM: [d]}))[VOTES_ITEM] == [d]
    await session.show_results()
    with pytest.raises(AnswerError, match="results_shown"):
        await session.answer(pros[1], STEP, {VOTES_ITEM: [d]})


async def test_merged_votes_count_once_per_phone_and_hidden_ideas_are_left_out(session: Session) -> None:
    pros, others, ids = await gathered(session)
    await session.next_stage()
    a, b = ids["Luisteren"], ids["Op tijd"]
    for token in pros + others:
        await session.answer(token, STEP, {VOTES_ITEM: [a, b]})
    await session.merge_ideas(STEP, b, a)  # while voting: both votes of each phone count once
    await session.hide_word(STEP, ids["Eerlijk zijn"])
    result = session.results(STEP)
    ranked = {v.idea.id: v for v in result.ideas}  # type: ignore[union-attr]
    assert ranked[a].total == 7 and ranked[a].idea.texts == ("Luisteren", "Op tijd")
    assert ranked[a].votes == {"professional": 4, "other": 3}
    assert b not in ranked and ids["Eerlijk zijn"] not in ranked
    with pytest.raises(AnswerError, match="unknown_idea"):
        await session.merge_ideas(STEP, b, ids["Samen beslissen"])  # merged already


async def test_a_group_under_the_threshold_shows_only_totals(session: Session) -> None:
    pros, others, ids = await gathered(session)
    await session.next_stage()
    a = ids["Luisteren"]
    for token in pros:
        await session.answer(token, STEP, {VOTES_ITEM: [a]})
    await session.answer(others[0], STEP, {VOTES_ITEM: [ids["Op tijd"]]})
    result = session.results(STEP)
    assert not result.split  # type: ignore[union-attr]
    assert all(v.votes == {} and v.gap is None for v in result.ideas)  # type: ignore[union-attr]
    assert [(v.idea.text, v.total) for v in result.ideas][:2] == [("Luisteren", 4), ("Op tijd", 1)]  # type: ignore[union-attr]
    for token in others[1:]:
        await session.answer(token, STEP, {VOTES_ITEM: [ids["Op tijd"]]})
    result = session.results(STEP)
    assert result.split  # type: ignore[union-attr]
    top = {v.idea.text: v for v in result.ideas}  # type: ignore[union-attr]
    assert top["Luisteren"].votes == {"professional": 4, "other": 0} and top["Luisteren"].apart
    assert top["Op tijd"].votes == {"professional": 0, "other": 3} and top["Op tijd"].apart
    assert not top["Eerlijk zijn"].apart


async def test_every_phone_has_its_own_order_the_same_each_time() -> None:
    ideas = [type("I", (), {"id": str(n)})() for n in range(12)]
    orders = {tuple(i.id for i in order_for(f"token{n}", ideas)) for n in range(6)}  # type: ignore[arg-type]
    assert len(orders) > 1
    assert order_for("token1", ideas) == order_for("token1", ideas)  # type: ignore[arg-type]


def test_marks_read_hides_and_merges() -> None:
    marks = Marks.of({"a", "b>c", "c>d"})
    assert marks.kept("b") == "d" and marks.counts("b") == "d" and marks.counts("a") is None
    assert not marks.shown("b") and marks.shown("d")


# --- restart ---------------------------------------------------------------------------


async def test_stages_ideas_votes_and_marks_survive_a_snapshot_and_a_replay(session: Session,
                                                                            workshop: Workshop) -> None:
    pros, others, ids = await gathered(session)
    await session.merge_ideas(STEP, ids["Op tijd"], ids["Luisteren"])
    await session.next_stage()
    await session.hide_word(STEP, ids["Eerlijk zijn"])
    for token in pros + others:
        await session.answer(token, STEP, {VOTES_ITEM: [ids["Luisteren"], ids["Samen beslissen"]]})
    replayed = Session(workshop, MemoryJournal())
    for event in session.journal.events:  # type: ignore[attr-defined]
        replayed.apply(event)
    restored = Session(workshop, MemoryJournal())
    restored.restore_state(session.dump_state())
    for other in (replayed, restored):
        assert other.stage(STEP) == VOTING
        assert other.wall(STEP) == session.wall(STEP)
        assert other.results(STEP) == session.results(STEP)
        assert other.answer_of(pros[0], STEP) == session.answer_of(pros[0], STEP)
    await session.close()
    closed = Session(workshop, MemoryJournal())
    closed.restore_state(session.dump_state())
    assert closed.results(STEP) == session.results(STEP)


async def test_an_idea_behind_the_vote_s_opening_in_one_write_is_refused(session: Session) -> None:
    [pro], _ = await room(session, 1, 0)
    event = {"type": "answer", "token": pro, "step": STEP, "values": {IDEA_ITEM: {"abc": "laat"}}}
    assert session.refusal(event) is None
    assert session.refusal(event, [{"type": "stage", "step": STEP, "stage": VOTING}]) == "gathering_closed"


# --- the phones, through HTTP -------------------------------------------------------------


@pytest.fixture
async def client(aiohttp_client: MakeClient, session: Session) -> Client:
    return await aiohttp_client(make_app(session, rate=RateLimit(burst=100)))


async def phone(client: Client, role: str = "parent") -> None:
    response = await client.post(f"/{CODE}/role", data={"role": role}, allow_redirects=False)
    assert response.status == 303


async def post(client: Client, data: Any) -> tuple[int, str]:
    response = await client.post(f"/{CODE}/answer", data=data, allow_redirects=False)
    return response.status, await response.text()


async def page(client: Client) -> str:
    response = await client.get(f"/{CODE}")
    assert response.status == 200
    return await response.text()


def texts_of(page: str) -> list[str]:
    return [html.unescape(found) for found in re.findall(r'<span class="idea-text">(.*?)</span>', page, re.S)]


async def test_ideas_and_votes_through_the_phone_s_forms(client: Client, session: Session) -> None:
    await phone(client)
    others = [await session.join("professional") for _ in range(3)]
    gathering = await page(client)
    assert 'name="idea"' in gathering and 'data-kind="ideas"' in gathering and 'data-stage="gathering"' in gathering
    for text in ("Luisteren", "Op tijd <b>bellen</b>"):
        status, _ = await post(client, [("step", STEP), ("idea", text)])
        assert status == 303
    token = next(iter(session.roles))
    own = session.answer_of(token, STEP)[IDEA_ITEM]  # type: ignore[index]
    shown = await page(client)
    assert "Op tijd &lt;b&gt;bellen&lt;/b&gt;" in shown and "<b>bellen" not in shown
    assert shown.count('name="withdraw"') == 2
    first, second = own
    assert (await post(client, [("step", STEP), ("id", first), ("idea", "Echt luisteren")]))[0] == 303
    assert (await post(client, [("step", STEP), ("withdraw", second)]))[0] == 303
    assert session.answer_of(token, STEP) == {IDEA_ITEM: {first: "Echt luisteren"}}
    # bad input: a clear message, nothing changed
    for data, key in (([("step", STEP), ("idea", "x" * 141)], "error_too_long"),
                      ([("step", STEP), ("idea", " ")], "error_missing"),
                      ([("step", STEP), ("withdraw", "onbekend")], "error_not_your_idea"),
                      ([("step", STEP), ("ballot", "1"), ("vote", first)], "error_voting_not_open")):
        status, text = await post(client, data)
        assert status in (400, 409) and html.escape(t("nl", key), quote=False) in html.unescape(text) or \
            t("nl", key) in html.unescape(text), key
    assert session.answer_of(token, STEP) == {IDEA_ITEM: {first: "Echt luisteren"}}

    more = [await session.answer(o, STEP, {IDEA_ITEM: {"new": f"Idee {n}"}}) for n, o in enumerate(others)]
    gathering = await page(client)
    assert "Idee 0" not in gathering, "a gathering page shows only the phone's own ideas"
    await session.next_stage()
    voting = await page(client)
    assert 'data-stage="voting.0"' in voting and 'name="ballot"' in voting
    assert sorted(texts_of(voting)) == ["Echt luisteren", "Idee 0", "Idee 1", "Idee 2"]
    assert texts_of(voting) == texts_of(await page(client)), "the same order on every load"
    idee = [next(iter(m[IDEA_ITEM])) for m in more]
    status, _ = await post(client, [("step", STEP), ("ballot", "1"), ("vote", idee[0]), ("vote", idee[1])])
    assert status == 303
    assert session.answer_of(token, STEP)[VOTES_ITEM] == idee[:2]  # type: ignore[index]
    voted = await page(client)
    assert voted.count(" checked") == 2
    for data, key in (([("step", STEP), ("ballot", "1")] + [("vote", i) for i in idee + [first]], "error_too_many_votes"),
                      ([("step", STEP), ("ballot", "1"), ("vote", idee[0]), ("vote", idee[0])], "error_duplicate"),
                      ([("step", STEP), ("ballot", "1"), ("vote", "zzz")], "error_unknown_idea"),
                      ([("step", STEP), ("ballot", "1")], "error_missing"),
                      ([("step", STEP), ("idea", "laat")], "error_gathering_closed")):
        status, text = await post(client, data)
        assert status in (400, 409), key
        assert t("nl", key) in html.unescape(text), key
    assert session.answer_of(token, STEP)[VOTES_ITEM] == idee[:2]  # type: ignore[index]


async def test_ideas_wake_no_stream_and_the_vote_wakes_each_once(client: Client, session: Session) -> None:
    await phone(client)
    response = await client.get(f"/{CODE}/events")
    first = await next_event(response)
    assert first["stage"] == "gathering"
    [wake] = client.server.app[FOLLOWERS].waiting
    turns: list[bool] = []
    clear = wake.clear

    def counted() -> None:
        turns.append(True)
        clear()

    wake.clear = counted  # type: ignore[method-assign]
    others = [await session.join("professional") for _ in range(20)]
    ids = [next(iter((await session.answer(o, STEP, {IDEA_ITEM: {"new": f"idee {n}"}}))[IDEA_ITEM]))
           for n, o in enumerate(others)]
    await asyncio.sleep(0.05)
    assert turns == [], "ideas woke the stream"
    await session.next_stage()
    event = await next_event(response)
    assert event["stage"] == "voting.0" and "idee 7" in event["html"]
    assert turns == [True]
    for o in others:
        await session.answer(o, STEP, {VOTES_ITEM: ids[:2]})
    await asyncio.sleep(0.05)
    assert turns == [True], "votes woke the stream"
    await session.hide_word(STEP, ids[3])
    event = await next_event(response)
    assert event["stage"] == "voting.1" and "idee 3" not in event["html"]
    assert turns == [True, True]
    response.close()


async def next_event(response: Any) -> dict[str, Any]:
    import json
    lines: list[str] = []
    while True:
        line = (await asyncio.wait_for(response.content.readline(), 5)).decode().rstrip("\r\n")
        if line == "" and any(found.startswith("data:") for found in lines):
            break
        if line and not line.startswith(":"):
            lines.append(line)
    return json.loads(next(found for found in lines if found.startswith("data:"))[5:])  # type: ignore[no-any-return]


# --- the simulator ------------------------------------------------------------------------------


async def test_simulated_phones_give_ideas_and_votes(workshop: Workshop) -> None:
    from aiohttp.test_utils import TestServer

    from gsdialog.simulate import simulate

    session = await Session.new(workshop, MemoryJournal(), session_id="s", code=CODE, created="", source="",
                                threshold=3)
    server = TestServer(make_app(session))
    await server.start_server()
    run = asyncio.create_task(simulate(str(server.make_url(f"/{CODE}")), 12, seed=3, think=0.05, duration=30))

    async def until(condition: Callable[[], bool]) -> None:
        for _ in range(500):
            if condition():
                return
            await asyncio.sleep(0.02)
        raise AssertionError("not within 10 s")

    await until(lambda: len(session.roles) == 12)
    await session.go_to(1)
    await until(lambda: len(session.answers[STEP]) == 12)
    assert len(session.wall(STEP)) >= 2
    await session.next_stage()
    await until(lambda: sum(session.voters(STEP).values()) == 12)
    await session.show_results()
    result = session.results(STEP)
    await session.close()
    tally = await asyncio.wait_for(run, 10)
    await server.close()
    assert not tally.errors and tally.sent == tally.acknowledged == 24
    assert result.split and sum(v.total for v in result.ideas) > 12  # type: ignore[union-attr]


async def test_an_idea_merged_into_one_withdrawn_since_stands_on_its_own_again(session: Session) -> None:
    pros, others, ids = await gathered(session)
    await session.merge_ideas(STEP, ids["Op tijd"], ids["Luisteren"])
    owner = pros[0]  # who sent "Luisteren"
    await session.answer(owner, STEP, {IDEA_ITEM: {ids["Luisteren"]: None}})
    assert [i.texts for i in session.wall(STEP) if i.id == ids["Op tijd"]] == [("Op tijd",)]
    await session.next_stage()
    await session.answer(pros[1], STEP, {VOTES_ITEM: [ids["Op tijd"]]})
    assert {v.idea.id: v.total for v in session.results(STEP).ideas}[ids["Op tijd"]] == 1  # type: ignore[union-attr]


async def test_ideas_in_the_same_words_stand_as_one(session: Session) -> None:
    """Five phones wrote "Luisteren": one idea on the wall (×5) and in the vote, so its votes
    are not split over five copies; a withdrawn first copy leaves the others standing as one."""
    pros, others = await room(session, 3, 3)
    first = await idea(session, pros[0], "Luisteren")
    copies = [await idea(session, token, text) for token, text in
              zip(pros[1:] + others[:2], (" luisteren", "LUISTEREN", "Luisteren ", "luisteren"), strict=True)]
    other = await idea(session, others[2], "Op tijd bellen")
    shown = session.wall(STEP)
    assert [(i.text.casefold(), i.given) for i in shown] == [("luisteren", 5), ("op tijd bellen", 1)]
    kept = shown[0].id
    assert kept in [first, *copies] and shown[1].id == other and len(shown[0].texts) == 1
    await session.next_stage()
    for token in pros + others:
        await session.answer(token, STEP, {VOTES_ITEM: [kept]})
    left = next(ident for ident in [first, *copies] if ident != kept)
    with pytest.raises(AnswerError):
        await session.answer(pros[0], STEP, {VOTES_ITEM: [kept, left]})  # one idea, not on the ballot twice
    ranked = {v.idea.id: v for v in session.results(STEP).ideas}  # type: ignore[union-attr]
    assert ranked[kept].total == 6 and set(ranked) == {kept, other}


def test_copies_follow_the_one_the_facilitator_hid_or_merged() -> None:
    texts = {"a1": "Luisteren", "b2": "luisteren", "c3": "Op tijd", "d4": "LUISTEREN"}
    assert Marks(frozenset({"d4"})).with_same(texts).counts("a1") is None  # hiding one hides its words
    merged = Marks.of(["d4>c3"]).with_same(texts)
    assert {merged.counts(i) for i in ("a1", "b2", "d4")} == {"c3"}
    both = Marks.of(["a1>b2"]).with_same(texts)  # merged into its own copy: no loop
    assert both.counts("a1") == both.counts("b2") == both.counts("d4") == "b2"
