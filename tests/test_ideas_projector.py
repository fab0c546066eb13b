"""The ideas step on the projector: the wall, hide and merge with keys, the whole step
with the clicker's PageDown only, the ranking under the threshold, hostile text as text."""

from __future__ import annotations

from gsdialog.core.i18n import t
from gsdialog.core.ideas import GATHERING, IDEA_ITEM, VOTES_ITEM, VOTING
from gsdialog.core.session import RESULTS
from gsdialog.projector.app import ProjectorApp
from gsdialog.projector.ideas_wall import IdeasWall
from test_projector import go, session_of, shown_text, shown_when, wait_until

STEP = "oogst-woorden"
HOSTILE = "[@click=app.quit]klik[/] [b]vet[/b] \u202eesrever " + "x" * 90


async def app_at_ideas(professionals: int = 3, others: int = 3) -> tuple[ProjectorApp, list[str], list[str]]:
    app = ProjectorApp(await session_of("oogstdialoog"), lang="nl")
    return app, [], []


async def gathered(app: ProjectorApp, pilot: object, texts: list[str], professionals: int = 3,
                   others: int = 3) -> tuple[list[str], list[str], list[str]]:
    index = [s.id for s in app.workshop.steps].index(STEP)
    await go(app, index)
    await shown_when(app, pilot, app.workshop.steps[index].title.get("nl"))  # type: ignore[arg-type]
    pros = [await app.session.join("professional") for _ in range(professionals)]
    rest = [await app.session.join("parent") for _ in range(others)]
    ids = []
    for n, text in enumerate(texts):
        stored = await app.session.answer((pros + rest)[n % len(pros + rest)], STEP, {IDEA_ITEM: {"new": text}})
        ids.append(next(iter(stored[IDEA_ITEM])))
    return pros, rest, ids


async def test_the_whole_step_with_pagedown_hide_and_merge_with_keys() -> None:
    app = ProjectorApp(await session_of("oogstdialoog"), lang="nl")
    async with app.run_test(size=(100, 30)) as pilot:
        pros, rest, ids = await gathered(app, pilot, ["Echt luisteren", "Goed luisteren", HOSTILE, "Op tijd",
                                                      "Samen beslissen"])
        text = await shown_when(app, pilot, t("nl", "ideas_count", n=5))
        assert "[@click=app.quit]klik[/]" in text and app.is_running
        wall = app.query_one(IdeasWall)
        assert [i.text for i in wall.ideas][:2] == ["Samen beslissen", "Op tijd"], "newest first"
        assert app.next_move().hint("nl") == t("nl", "next_stage")
        # x hides the chosen idea
        while wall.chosen is None or wall.chosen.id != ids[2]:
            await pilot.press("down")
        await pilot.press("x")
        assert await wait_until(pilot, lambda: "klik" not in shown_text(app))
        # m, then m on another: the first goes under the second
        while wall.chosen is None or wall.chosen.id != ids[1]:
            await pilot.press("down")
        await pilot.press("m")
        while wall.chosen is None or wall.chosen.id != ids[0]:  # older: further down
            await pilot.press("down")
        await pilot.press("m")
        assert await wait_until(pilot, lambda: [i.texts for i in app.session.wall(STEP) if i.id == ids[0]]
                                == [("Echt luisteren", "Goed luisteren")])
        await shown_when(app, pilot, "+ Goed luisteren")
        # PageDown opens the vote
        await pilot.press("pagedown")
        assert await wait_until(pilot, lambda: app.session.stage(STEP) == VOTING)
        await shown_when(app, pilot, t("nl", "ideas_vote_now"))
        for token in pros + rest:
            await app.session.answer(token, STEP, {VOTES_ITEM: [ids[0], ids[3]] if token in pros else [ids[4]]})
        await shown_when(app, pilot, t("nl", "ideas_voted", n=3))
        assert app.next_move().hint("nl") == t("nl", "next_results")
        # PageDown shows the ranking, per group side by side
        await pilot.press("pagedown")
        assert await wait_until(pilot, lambda: app.session.step_state == RESULTS)
        text = await shown_when(app, pilot, t("nl", "ideas_total"))
        assert "Echt luisteren" in text and "+ Goed luisteren" in text and "◆" in text and "klik" not in text
        assert text.index("Echt luisteren") < text.index("Samen beslissen")
        # and then on to the next step
        await pilot.press("pagedown")
        steps = [s.id for s in app.workshop.steps]
        assert await wait_until(pilot, lambda: app.session.step.id == steps[steps.index(STEP) + 1])


async def test_a_group_under_the_threshold_shows_only_totals_on_the_projector() -> None:
    app = ProjectorApp(await session_of("oogstdialoog"), lang="nl")
    async with app.run_test(size=(100, 30)) as pilot:
        pros, rest, ids = await gathered(app, pilot, ["Echt luisteren", "Op tijd"], 3, 2)
        await pilot.press("pagedown")
        assert await wait_until(pilot, lambda: app.session.stage(STEP) == VOTING)
        for token in pros:
            await app.session.answer(token, STEP, {VOTES_ITEM: [ids[0]]})
        for token in rest:
            await app.session.answer(token, STEP, {VOTES_ITEM: [ids[1]]})
        await pilot.press("pagedown")
        text = await shown_when(app, pilot, t("nl", "ideas_only_total")[:30])
        table = text[text.index(t("nl", "ideas_idea")):]
        assert "▲" not in table.split("\n")[0] and "◆" not in table
        assert t("nl", "not_enough") in text.replace("\n", " ")


async def test_the_wall_pages_with_the_clicker_before_the_vote() -> None:
    app = ProjectorApp(await session_of("oogstdialoog"), lang="nl")
    async with app.run_test(size=(100, 30)) as pilot:
        long = [f"Idee nummer {n}: " + "een heel lange zin die over meer regels loopt " * 2 for n in range(20)]
        await gathered(app, pilot, long, 10, 10)
        await wait_until(pilot, lambda: app.query(IdeasWall) and app.query_one(IdeasWall).pages > 1)
        wall = app.query_one(IdeasWall)
        pages = wall.pages
        text = shown_text(app)
        assert "Idee nummer 19" in text, "the newest is on the first page"
        for page in range(pages - 1):
            await shown_when(app, pilot, t("nl", "ideas_page", n=page + 1, total=pages))
            assert app.next_move().hint("nl") == t("nl", "next_page")
            await pilot.press("pagedown")
        assert app.session.stage(STEP) == GATHERING
        await shown_when(app, pilot, "Idee nummer 0")
        await pilot.press("pagedown")
        assert await wait_until(pilot, lambda: app.session.stage(STEP) == VOTING)


async def test_the_newest_idea_stands_large_while_gathering() -> None:
    """A sentence in bold body text did not read from the back row: the newest idea stands
    across the wall in letters three lines high, the others under it; not once the vote opens."""
    from gsdialog.projector.screens import tall

    newest = "Samen beslissen wat de volgende stap is"
    for size in ((100, 30), (160, 45)):
        app = ProjectorApp(await session_of("oogstdialoog"), lang="nl")
        async with app.run_test(size=size) as pilot:
            await gathered(app, pilot, ["Echt luisteren voordat je iets voorstelt", "Op tijd bellen", newest])
            wall = app.query_one(IdeasWall)
            letters = tall(newest, wall.size.width - 8, most=3)
            assert letters is not None
            assert await wait_until(pilot, lambda: letters[0].strip() in shown_text(app)
                                    and newest not in shown_text(app)), size  # large
            assert "Echt luisteren voordat je iets voorstelt" in shown_text(app)  # the others as they were
            await pilot.press("pagedown")
            assert await wait_until(pilot, lambda: app.session.stage(STEP) == VOTING)
            text = await shown_when(app, pilot, t("nl", "ideas_vote_now"))
            assert letters[0].strip() not in text
