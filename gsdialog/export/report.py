"""The harvest of one or more sessions of a workshop, ready to be written out.

Everything is computed from answers without phones (`Session.answer_rows`)
through `results.py`, so the privacy threshold holds here as everywhere: a
group with fewer answers than the threshold has a count and nothing else.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from gsdialog.core.kinds import kind_of
from gsdialog.core.results import Pooled, normalise_word, pooled_superiority
from gsdialog.core.session import Session
from gsdialog.core.workshop import Step, Workshop
from gsdialog.export.sections import SECTIONS


class ExportError(Exception):
    """The sessions asked for cannot be exported together; the message says why."""


@dataclass(frozen=True)
class SessionSummary:
    id: str
    code: str
    created: str
    closed: bool
    participants: dict[str, int]


@dataclass
class StepHarvest:
    step: Step
    result: Any = None
    """What the step's kind computes (`Kind.results`): None for a step without results."""


@dataclass
class Harvest:
    """What a report shows: per step, per group, with the threshold applied."""

    workshop: Workshop
    sessions: list[SessionSummary]
    threshold: int
    participants: dict[str, int]
    steps: list[StepHarvest]
    rows: list[dict[str, Any]]
    """One per answer: session, step, item, group, and value or text."""
    left_out: int
    """Answers of groups under the threshold in their session, left out of `rows`."""
    include_small_groups: bool

    @property
    def groups(self) -> list[str]:
        return [group.id for group in self.workshop.groups]

    def headline(self) -> tuple[StepHarvest, Pooled] | None:
        """The first step that compares the groups and has a gap, with that gap over its items."""
        for harvest in self.steps:
            if not kind_of(harvest.step).compares:
                continue
            pooled = pooled_superiority(harvest.result)
            if pooled:
                return harvest, pooled
        return None


def harvest(sessions: list[Session], *, include_small_groups: bool = False) -> Harvest:
    """The harvest of sessions of one workshop (the newest session's version of it).

    The threshold holds per session: a group's answers to an item in a
    session where that group gave fewer than the threshold are never tied to
    that session (no rows with its id) and, over several sessions, never
    pooled either, since the pooled figures minus one session's own export
    would give them away. `include_small_groups` puts their rows back, marked.
    """
    if not sessions:
        raise ExportError("there is no session to export")
    workshop = sessions[-1].workshop
    others = sorted({s.workshop.id for s in sessions} - {workshop.id})
    if others:
        raise ExportError(f"sessions of different workshops cannot be put together: "
                          f"{workshop.id} and {', '.join(others)}")
    threshold = max(session.threshold for session in sessions)
    groups = [group.id for group in workshop.groups]
    sections = {step.id: SECTIONS[kind_of(step)] for step in workshop.steps}
    pooling = len(sessions) > 1

    values: dict[tuple[str, str], dict[str, list[Any]]] = defaultdict(lambda: {g: [] for g in groups})
    hidden: dict[str, set[str]] = defaultdict(set)
    rows: list[dict[str, Any]] = []
    left_out = 0
    for session in sessions:
        for step_id, words in session.hidden.items():
            hidden[step_id] |= words
    for session in sessions:
        answers = session.answer_rows()
        cells = Counter((step_id, item, group) for step_id, item, group, _ in answers)
        texts: dict[tuple[str, str, str, str], set[int]] = defaultdict(set)
        first = len(rows)
        for index, (step_id, item, group, value) in enumerate(answers):
            small = cells[step_id, item, group] < threshold
            if not (small and pooling):
                values[step_id, item][group].append(value)
            if small and not include_small_groups:
                left_out += 1
                continue
            base = {"session": session.id, "step": step_id, "item": item, "group": group}
            if small:
                base["small_group"] = True
            made = sections[step_id].rows(base, value, hidden[step_id])
            for row in made:
                if "text" in row:
                    texts[step_id, item, group, normalise_word(row["text"])].add(index)
            rows += made
        for row in rows[first:]:  # a text fewer than K of its group gave never carries the group
            if "text" in row and not row.get("small_group") and \
                    len(texts[row["step"], row["item"], row["group"], normalise_word(row["text"])]) < threshold:
                row["group"] = ""

    steps = [StepHarvest(step, kind_of(step).results(step, lambda item, step=step: values[step.id, item], groups,
                                                     threshold, hidden[step.id]))
             for step in workshop.steps]

    participants = {g: sum(s.participant_counts().get(g, 0) for s in sessions) for g in groups}
    summaries = [SessionSummary(s.id, s.code, s.created, s.closed, s.participant_counts()) for s in sessions]
    return Harvest(workshop, summaries, threshold, participants, steps, rows, left_out, include_small_groups)


@dataclass(frozen=True)
class Movement:
    """How one group's answers to one item moved from one session to another."""

    step: str
    item: str
    group: str
    before: float | None
    after: float | None
    n_before: int
    n_after: int

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class Comparison:
    """How each group moved from one session to another, ready to be written out."""

    workshop: Workshop
    before: SessionSummary
    after: SessionSummary
    movements: list[Movement]


def compare(before: Session, after: Session) -> Comparison:
    """Per rating and evaluation item and per group: the mean before and after.

    A mean under the threshold of its session stays None, so a change is
    only shown where both sessions had enough answers from that group.
    """
    if before.workshop.id != after.workshop.id:
        raise ExportError(f"sessions of different workshops cannot be compared: "
                          f"{before.workshop.id} and {after.workshop.id}")
    first, second = harvest([before]), harvest([after])
    movements = []
    for a, b in zip(first.steps, second.steps, strict=False):
        if a.step.id != b.step.id:
            continue
        if not isinstance(a.result, list) or not isinstance(b.result, list):
            continue  # only scale items have a mean to compare
        for result_a, result_b in zip(a.result, b.result, strict=False):
            for group in first.groups:
                stats_a, stats_b = result_a.groups[group], result_b.groups[group]
                movements.append(Movement(a.step.id, result_a.item, group,
                                          stats_a.mean if stats_a.enough else None,
                                          stats_b.mean if stats_b.enough else None, stats_a.n, stats_b.n))
    return Comparison(after.workshop, first.sessions[0], second.sessions[0], movements)


@dataclass(frozen=True)
class Cover:
    """What the report's first lines say beyond the workshop: given on the command line."""

    place: str = ""
    organiser: str = ""
    facilitator: str = ""
