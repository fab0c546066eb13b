"""The idea wall: phones gather short ideas, then each phone gives a few votes,
then the ideas are ranked with the votes per group.

How ideas live in a session (no new kind of storage): a phone's ideas are
one answer item, `IDEA_ITEM`, a dict idea id -> text (an event carries only
the ideas it changes; a text of None withdraws one, `combine`), and its
votes another, `VOTES_ITEM`, the list of idea ids it chose. So snapshots,
replay, the close that cuts answers loose from phones, and the export's
threshold per group work for ideas as for every answer.

The facilitator's marks on the wall are the step's hidden set (as the word
wall's): an idea id is hidden; `"B>A"` says idea B was merged into idea A
(`merge_mark`). Both are journalled events and pool over sessions in the
export like hidden words.

Privacy: a group's votes are shown only when every group that voted has at
least the threshold's number of voters (with two groups, one group's votes
beside the total would give the other's away); otherwise only each idea's
total. `IdeasResult.split` says which.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gsdialog.core.errors import AnswerError
from gsdialog.core.results import Answered, GroupStats, normalise_word
from gsdialog.core.text import clean_text

IDEA_ITEM = "idea"
"""The answer item holding a phone's ideas: idea id -> text."""
VOTES_ITEM = "votes"
"""The answer item holding a phone's votes: the idea ids it chose."""
GATHERING, VOTING = "gathering", "voting"
STAGES = (GATHERING, VOTING)
NEW = "new"
"""The id a phone's form gives an idea it sends for the first time."""
MAX_IDEAS = 10
"""Ideas one phone may have on the wall at a time."""
APART_SHARE = 0.25
"""Marked as ranked most differently: the groups' shares of voters differ by at least this."""
APART_MOST = 3
"""This many ideas are marked as ranked most differently (more when tied with the last)."""
MERGE = ">"


def merge_mark(idea: str, into: str) -> str:
    return f"{idea}{MERGE}{into}"


@dataclass(frozen=True)
class Marks:
    """The facilitator's marks on a wall: hidden ideas, and merges (merged -> kept)."""

    hidden: frozenset[str] = frozenset()
    merged: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, marks: Iterable[str]) -> Marks:
        hidden, merged = set(), {}
        for mark in marks:
            if MERGE in mark:
                idea, into = mark.split(MERGE, 1)
                merged[idea] = into
            else:
                hidden.add(mark)
        return cls(frozenset(hidden), merged)

    def kept(self, idea: str) -> str:
        """The idea `idea` counts as: itself, or the one it was merged into (and on)."""
        seen = set()
        while idea in self.merged and idea not in seen:
            seen.add(idea)
            idea = self.merged[idea]
        return idea

    def among(self, present: Iterable[str]) -> Marks:
        """These marks for the ideas still there: an idea merged into one its phone withdrew
        since stands on its own again."""
        there = set(present)
        return Marks(self.hidden, {idea: into for idea, into in self.merged.items() if self.kept(idea) in there})

    def with_same(self, texts: Mapping[str, str]) -> Marks:
        """These marks, and each idea with the same words as another (case and spaces aside)
        merged into that one: the room wrote "Luisteren" five times, and five "Luisteren"s
        on the wall would split its votes. Which copy the others join does not depend on
        when they came (the export pools sessions): one the facilitator hid or merged, so
        its copies follow it, else the first by id."""
        marked = self.hidden | set(self.merged) | set(self.merged.values())
        merged = dict(self.merged)
        first: dict[str, str] = {}
        for idea in sorted(texts, key=lambda i: (i not in marked, i)):
            key = normalise_word(texts[idea])
            if key not in first:
                first[key] = idea
            elif idea not in merged and Marks(self.hidden, merged).kept(first[key]) != idea:
                merged[idea] = first[key]  # (never into one the facilitator merged into this one)
        return Marks(self.hidden, merged)

    def shown(self, idea: str) -> bool:
        """On the wall: neither hidden nor merged into another, nor merged into a hidden one."""
        return idea not in self.merged and idea not in self.hidden

    def counts(self, idea: str) -> str | None:
        """The idea a vote for `idea` counts for; None when that one is hidden."""
        kept = self.kept(idea)
        return None if kept in self.hidden else kept


@dataclass(frozen=True)
class Idea:
    """One idea on the wall; a merged one carries the texts of every idea in it, its own first
    (the same words once), and how many ideas it stands for."""

    id: str
    texts: tuple[str, ...]
    given: int = 1

    @property
    def text(self) -> str:
        return self.texts[0]


def wall(phones: Iterable[Mapping[str, str]], marks: Marks, order: Mapping[str, int] | None = None) -> list[Idea]:
    """The ideas shown, oldest first (by `order`, else by text), merged ones together."""
    texts: dict[str, str] = {}
    for ideas in phones:
        texts.update(ideas)
    rank = order or {}
    marks = marks.among(texts).with_same(texts)
    ids = sorted(texts, key=lambda i: (rank.get(i, len(rank)), texts[i].casefold(), i))
    together: dict[str, list[str]] = {i: [texts[i]] for i in ids if marks.shown(i)}
    given = dict.fromkeys(together, 1)
    for i in ids:
        if not marks.shown(i):
            kept = marks.counts(i)
            if kept in together:
                given[kept] += 1
                if normalise_word(texts[i]) not in {normalise_word(text) for text in together[kept]}:
                    together[kept].append(texts[i])
    return [Idea(i, tuple(found), given[i]) for i, found in together.items()]


def order_for(phone: str, ideas: Sequence[Idea]) -> list[Idea]:
    """The ideas in this phone's own order: the same on every load, different per phone,
    so the first ones on the list are not everyone's first ones."""
    seed = int.from_bytes(hashlib.sha256(phone.encode()).digest()[:8], "big")
    shuffled = list(ideas)
    random.Random(seed).shuffle(shuffled)
    return shuffled


# --- what a phone may send --------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """What an answer to an idea step is checked against: the stage, the phone's
    own ideas, the ids on the ballot (shown ideas) and the facilitator's marks."""

    stage: str
    own: Mapping[str, str]
    ballot: frozenset[str]
    marks: Marks
    taken: frozenset[str] = frozenset()
    """Every idea id in the step (of any phone), so a new one gets a fresh id."""


def check(values: Mapping[str, Any], standing: Standing | None, longest: int, votes: int) -> dict[str, Any]:
    """The answer as stored: one idea (new, changed, or None: withdrawn) while gathering,
    the votes while voting; AnswerError naming what is wrong, and nothing changes."""
    if standing is None:
        raise AnswerError("step_not_open", "no stage")
    if not values:
        raise AnswerError("missing", "no answer given")
    if standing.stage == GATHERING:
        if set(values) != {IDEA_ITEM}:
            raise AnswerError("voting_not_open" if VOTES_ITEM in values else "unknown_item",
                              ",".join(map(str, values))[:40])
        return {IDEA_ITEM: _one_idea(values[IDEA_ITEM], standing, longest)}
    if set(values) != {VOTES_ITEM}:
        raise AnswerError("gathering_closed" if IDEA_ITEM in values else "unknown_item",
                          ",".join(map(str, values))[:40])
    return {VOTES_ITEM: _votes(values[VOTES_ITEM], standing, votes)}


def _one_idea(given: Any, standing: Standing, longest: int) -> dict[str, str | None]:
    if not isinstance(given, Mapping) or len(given) != 1:
        raise AnswerError("missing", "one idea at a time")
    (ident, text), = given.items()
    if not isinstance(ident, str) or (ident != NEW and ident not in standing.own):
        raise AnswerError("not_your_idea", str(ident)[:40])
    if text is None:
        if ident == NEW:
            raise AnswerError("missing", "nothing to withdraw")
        return {ident: None}
    if not isinstance(text, str):
        raise AnswerError("missing", "an idea is text")
    clean = clean_text(text, len(text) + 1)
    if not clean:
        raise AnswerError("missing", "an empty idea")
    if len(clean) > longest:
        raise AnswerError("too_long", f"{len(clean)} characters, {longest} allowed")
    if ident == NEW:
        same = [i for i, own in standing.own.items() if own == clean]
        if same:  # sent twice (a resend after a restart): the same idea, nothing new
            return {same[0]: clean}
        if len(standing.own) >= MAX_IDEAS:
            raise AnswerError("too_many_ideas", f"{MAX_IDEAS} ideas")
        ident = new_id(standing.taken)
    return {ident: clean}


def new_id(taken: Iterable[str]) -> str:
    taken = set(taken)
    while True:
        ident = secrets.token_hex(5)
        if ident not in taken:
            return ident


def _votes(given: Any, standing: Standing, most: int) -> list[str]:
    if isinstance(given, str) or not isinstance(given, list | tuple):
        raise AnswerError("missing", "votes must be a list")
    if not given:
        raise AnswerError("missing", "no votes")
    chosen: list[str] = []
    for ident in given:
        kept = standing.marks.counts(ident) if isinstance(ident, str) else None
        if kept is None or kept not in standing.ballot:
            raise AnswerError("unknown_idea", str(ident)[:40])
        if kept in chosen:
            raise AnswerError("duplicate", kept)
        chosen.append(kept)
    if len(chosen) > most:
        raise AnswerError("too_many_votes", f"{len(chosen)} votes, {most} allowed")
    return chosen


def combine(stored: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A phone's answer after an event: ideas are changed one at a time (None withdraws),
    votes replaced whole."""
    out = dict(stored)
    for item, value in values.items():
        if item == IDEA_ITEM:
            ideas = dict(out.get(IDEA_ITEM, {}))
            for ident, text in value.items():
                if text is None:
                    ideas.pop(ident, None)
                else:
                    ideas[ident] = text
            out[IDEA_ITEM] = ideas
        else:
            out[item] = value
    return out


def late(values: Mapping[str, Any], stage: str) -> str | None:
    """Why an answer checked in one stage may not be written in `stage` (it came too late)."""
    if IDEA_ITEM in values and stage != GATHERING:
        return "gathering_closed"
    if VOTES_ITEM in values and stage != VOTING:
        return "voting_not_open"
    return None


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdeaVotes:
    """One idea's votes: the total, and per group when every group that voted has enough voters."""

    idea: Idea
    total: int
    votes: Mapping[str, int]
    """group -> votes; empty unless the result is `split`."""
    gap: float | None = None
    """The first group's share of its voters who chose it minus the second's; None unless split."""
    apart: bool = False
    """One of the ideas the groups rank most differently."""


@dataclass(frozen=True)
class IdeasResult(Answered):
    groups: Mapping[str, GroupStats]
    """Per group: n = the phones that voted; enough = at least the threshold."""
    split: bool
    """The votes are shown per group (every group that voted has enough voters)."""
    ideas: tuple[IdeaVotes, ...]
    """Most votes first; hidden ideas left out, merged ones together."""

    @property
    def answered(self) -> bool:
        """Votes, or ideas gathered before the vote (a wall whose vote never opened has its harvest)."""
        return bool(self.ideas) or super().answered


def ideas_result(ideas: Mapping[str, Sequence[Mapping[str, str]]], votes: Mapping[str, Sequence[Sequence[str]]],
                 groups: Sequence[str], threshold: int, marks: Iterable[str]) -> IdeasResult:
    """`ideas` maps group -> each phone's ideas; `votes` group -> each phone's votes."""
    phones = [phone for group in groups for phone in ideas.get(group, ())]
    texts = {ident: text for phone in phones for ident, text in phone.items()}
    found = Marks.of(marks).among(texts).with_same(texts)
    shown = wall(phones, found)
    tally: dict[str, dict[str, int]] = {idea.id: {g: 0 for g in groups} for idea in shown}
    stats = {}
    for group in groups:
        phones = votes.get(group, ())
        stats[group] = GroupStats(n=len(phones), enough=len(phones) >= threshold and len(phones) > 0)
        for chosen in phones:
            for kept in {found.counts(ident) for ident in chosen}:
                if kept in tally:
                    tally[kept][group] += 1
    split = any(s.n for s in stats.values()) and all(s.enough for s in stats.values() if s.n)
    both = split and len(groups) >= 2 and all(stats[g].enough for g in groups[:2])
    ranked = []
    for idea in shown:
        per = tally[idea.id]
        gap = per[groups[0]] / stats[groups[0]].n - per[groups[1]] / stats[groups[1]].n if both else None
        ranked.append(IdeaVotes(idea, sum(per.values()), dict(per) if split else {}, gap))
    ranked.sort(key=lambda v: (-v.total, v.idea.text.casefold(), v.idea.id))
    # The largest gaps, at least APART_SHARE: the APART_MOST largest, and those tied with the last.
    gaps = sorted((abs(v.gap) for v in ranked if v.gap is not None and abs(v.gap) >= APART_SHARE), reverse=True)
    cutoff = gaps[min(APART_MOST, len(gaps)) - 1] if gaps else None
    marked = {v.idea.id for v in ranked if cutoff is not None and v.gap is not None and abs(v.gap) >= cutoff - 1e-9}
    return IdeasResult(stats, bool(split), tuple(
        IdeaVotes(v.idea, v.total, v.votes, v.gap, v.idea.id in marked) for v in ranked))
