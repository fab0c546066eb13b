"""A 24-phone oogstdialoog, answered through the session API as `gsdialog simulate`
answers it (professionals high, the others lower; words and ideas from its lists), for the
report's print tests."""

from __future__ import annotations

import random

from gsdialog.core.journal import MemoryJournal
from gsdialog.core.kinds import kind_of
from gsdialog.core.loader import builtin_path, load_workshop
from gsdialog.core.session import Session
from gsdialog.simulate import IDEAS, WORDS

PROFESSIONAL_ROLES = ["professional", "student", "teacher", "advocate"]
OTHER_ROLES = ["experience-expert-parent", "parent", "young-person", "client", "resident"]
LONG_WORDS = ["Naast mij staan, niet boven mij", "Dat je echt de tijd neemt voor mij",
              "Eerlijk zeggen wat wel en niet kan", "Niet praten over mij zonder mij erbij"]


async def oogst_room(phones: int = 24, seed: int = 21) -> Session:
    """The whole oogstdialoog with `phones` phones, half of them professionals, closed."""
    rng = random.Random(seed)
    workshop = load_workshop(builtin_path("oogstdialoog"))
    session = await Session.new(workshop, MemoryJournal(), session_id="s24", code="ACE34",
                                created="2026-12-03T13:30:00+01:00", source="", threshold=3)
    room = []
    for number in range(phones):
        professional = number % 2 == 0
        role = rng.choice(PROFESSIONAL_ROLES if professional else OTHER_ROLES)
        room.append((await session.join(role), professional))
    for index, step in enumerate(workshop.steps):
        await session.go_to(index)
        kind = kind_of(step)
        if not kind.asks:
            continue
        if kind.stages:  # the idea wall: an idea from each of the first phones, then three votes each
            for token, _ in room[: len(IDEAS + LONG_WORDS)]:
                await session.answer(token, step.id, {"idea": {"new": rng.choice(IDEAS + LONG_WORDS)}})
            await session.next_stage()
            shown = [idea.id for idea in session.wall(step.id)]
            for token, professional in room:
                half = shown[: len(shown) // 2 + 1] if professional else shown[len(shown) // 2:]
                await session.answer(token, step.id, {"votes": rng.sample(half, min(3, len(half)))})
            await session.show_results()
            continue
        for token, professional in room:
            if step.scale is not None:
                low, high = step.scale.min, step.scale.max
                values = {}
                for item in step.items:
                    share = rng.triangular(0.55, 1.0, 0.85) if professional else rng.triangular(0.0, 0.8, 0.35)
                    values[item.id] = low + round(share * (high - low))
            elif step.options:
                ids = [o.id for o in step.options]
                count = rng.randint(1, min(len(ids), step.max_choices or 3)) if step.multiple else 1
                values = {"choice": rng.sample(ids, count)}
            else:
                pool = WORDS + LONG_WORDS
                values = {"words": [w[: step.max_length] for w in rng.sample(pool, min(step.entries, 2))]}
            await session.answer(token, step.id, values)
        if kind.reveals:
            await session.show_results()
    await session.close()
    return session
