"""What the idea wall costs the phones' wake-up path, against a rating step in the same run.

    python bench/ideas_bench.py [--phones 1000] [--ideas 100]

A phone's page on an ideas step depends on the other phones' ideas (the list to vote
on, in the phone's own order), so it is rendered per phone, where a rating step's
page is rendered once per role and language. This measures, in this process:

- the baseline: a step change to a rating step, every phone's event (`phone_event`,
  what each woken stream sends) made once;
- the vote opening: the ideas step moves to voting, every phone's event made once,
  each with every idea in its own order;
- a hide while voting: every phone's event again (the list changed);
- the wake-ups: how many times the streams are woken while `--ideas` ideas come in
  (target: none), by the vote's opening and by one hide (target: one each).

Prints ms for all phones and per phone for each, and the ratio to the baseline.
Target: the vote's opening for 1,000 phones and 100 ideas within 2 s of one core
(a step change's herd is spread over the streams' turns anyway), no wake-up per idea.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from aiohttp.test_utils import make_mocked_request

from gsdialog.collector.app import make_app
from gsdialog.collector.pages import PAGES
from gsdialog.collector.stream import FOLLOWERS, Wake, phone_event, room_of
from gsdialog.core.ideas import IDEA_ITEM
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.loader import builtin_path, load_workshop
from gsdialog.core.session import Session

IDEAS_STEP = "oogst-woorden"
RATING_STEP = "twaalf-vragen"

async def main(phones: int, ideas: int) -> None:
    workshop = load_workshop(builtin_path("oogstdialoog"))
    session = await Session.new(workshop, MemoryJournal(), session_id="b", code="ACE34", created="", source="")
    app = make_app(session)
    tokens = [await session.join("professional" if n % 2 else "parent") for n in range(phones)]
    requests = [make_mocked_request("GET", "/ACE34/events", app=app, headers={"Cookie": f"gsdialog-ACE34={token}"})
                for token in tokens]
    index = {step.id: n for n, step in enumerate(workshop.steps)}
    followers = app[FOLLOWERS]
    wakes = [Wake() for _ in range(phones)]
    followers.waiting.update(wakes)

    def woken() -> int:
        count = sum(wake.is_set() for wake in wakes)
        for wake in wakes:
            wake.clear()
        return count

    unsubscribe = session.subscribe(followers.wake)

    def every_event() -> float:
        app[PAGES].clear()
        began = time.perf_counter()
        for token, request in zip(tokens, requests, strict=True):
            phone_event(request, session, room_of(session, token))
        return (time.perf_counter() - began) * 1000

    await session.go_to(index[RATING_STEP])
    woken()
    baseline = every_event()

    await session.go_to(index[IDEAS_STEP])
    woken()
    for n in range(ideas):
        await session.answer(tokens[n % phones], IDEAS_STEP,
                             {IDEA_ITEM: {"new": f"Idee {n}: niet steeds een andere hulpverlener, zodat ik mijn "
                                                 f"verhaal niet opnieuw hoef te vertellen"[:140]}})
    per_idea = woken()
    await session.next_stage()
    by_vote = woken()
    opening = every_event()
    await session.hide_word(IDEAS_STEP, session.wall(IDEAS_STEP)[0].id)
    by_hide = woken()
    hidden = every_event()
    unsubscribe()

    print(f"{phones} phones, {ideas} ideas")
    print(f"baseline, a rating step:      {baseline:8.1f} ms   {baseline / phones:6.3f} ms a phone")
    print(f"the vote opens:               {opening:8.1f} ms   {opening / phones:6.3f} ms a phone"
          f"   {opening / baseline:5.1f}x the baseline")
    print(f"a hide while voting:          {hidden:8.1f} ms   {hidden / phones:6.3f} ms a phone")
    print(f"streams woken by {ideas} ideas:  {per_idea}  (target 0)")
    print(f"streams woken by the vote:    {by_vote}  (target {phones}: each once)")
    print(f"streams woken by one hide:    {by_hide}  (target {phones}: each once)")
    ok = per_idea == 0 and by_vote == by_hide == phones and opening <= 2000
    print("within target" if ok else "OUT OF TARGET")

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--ideas", type=int, default=100)
    options = parser.parse_args()
    asyncio.run(main(options.phones, options.ideas))

