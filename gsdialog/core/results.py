"""Per-group results, the gap between the groups, and the privacy threshold.

Plain Python: a room is at most a few thousand phones on scales of at most
eleven points, so everything is computed from counts per value (a
distribution), never from pairs of people.

The first group of a workshop is the professionals' side: a gap is the first
group minus the second.

Privacy: a group's numbers for an item exist only once that group has at
least `threshold` answers for it. Below that, `GroupStats` carries the count
of answers and nothing else, so no consumer can show a mean that one person's
answer could be read from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# Cliff's delta thresholds as used by Romano et al. (2006).
EFFECT_THRESHOLDS = ((0.147, "negligible"), (0.33, "small"), (0.474, "medium"))


@dataclass(frozen=True)
class GroupStats:
    """One group's answers to one scale item."""

    n: int
    enough: bool
    distribution: Mapping[int, int] | None = None
    mean: float | None = None
    median: float | None = None


@dataclass(frozen=True)
class Gap:
    """How far the first group's answers lie above the second's."""

    difference: float
    """Mean of the first group minus mean of the second."""
    superiority: float
    """Chance that a random member of the first group gives the higher score (ties count half)."""
    cliffs_delta: float
    effect: str
    """negligible, small, medium or large."""
    blind_spot: bool
    """The first group rates itself higher by more than a third of the scale's range."""

    @property
    def out_of_ten(self) -> int:
        """In how many of ten pairs the first group gives the higher score."""
        return out_of_ten(self.superiority)


def out_of_ten(share: float) -> int:
    """A share as "in N of 10 pairs", rounded half up (0.85 is 9, not 8)."""
    return int(share * 10 + 0.5)


@dataclass(frozen=True)
class Pooled:
    """The gap over several items: the share of all their pairs in which the
    first group gives the higher score."""

    superiority: float
    pairs: int

    @property
    def out_of_ten(self) -> int:
        return out_of_ten(self.superiority)


class Answered:
    """A step's results: whether anyone answered it (the report leaves such a step out)."""

    groups: Mapping[str, GroupStats]

    @property
    def answered(self) -> bool:
        return any(stats.n for stats in self.groups.values())


@dataclass(frozen=True)
class ScaleResult(Answered):
    """One item of a rating or evaluation step, per group."""

    item: str
    groups: Mapping[str, GroupStats]
    gap: Gap | None
    """Present only when both groups have enough answers."""


@dataclass(frozen=True)
class ChoiceResult(Answered):
    """A choice step, per group: how many phones chose each option."""

    groups: Mapping[str, GroupStats]
    counts: Mapping[str, Mapping[str, int]]
    """group -> option -> phones; empty for a group without enough answers."""


@dataclass(frozen=True)
class WordCount:
    text: str
    count: int


@dataclass(frozen=True)
class WallEntry:
    """A word as everyone sees it: its total, and per group how often it was given,
    but only when each group that gave it gave it at least the threshold's number
    of times ("×1 · Niet als professional 1" would tell who wrote it; with two
    groups, one group's count beside the total would give the other's)."""

    key: str
    text: str
    total: int
    groups: Mapping[str, int]
    """group -> count, in the workshop's order; empty when the entry stands without groups."""


@dataclass(frozen=True)
class WordsResult(Answered):
    """A words step, per group: the same words merged, most given first."""

    groups: Mapping[str, GroupStats]
    words: Mapping[str, Sequence[WordCount]]
    """group -> words; empty for a group without enough answers."""
    entries: Sequence[WallEntry] = ()
    """The words of all groups merged, most given first: what every surface shows."""
    threshold: int = 0


def group_stats(values: Sequence[int], threshold: int) -> GroupStats:
    n = len(values)
    if n < threshold or n == 0:
        return GroupStats(n=n, enough=False)
    ordered = sorted(values)
    middle = n // 2
    median = float(ordered[middle]) if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return GroupStats(n=n, enough=True, distribution=dict(sorted(Counter(values).items())),
                      mean=sum(values) / n, median=median)


def gap(first: Mapping[int, int], second: Mapping[int, int], scale_range: int) -> Gap:
    """The gap between two distributions (value -> count), both non-empty."""
    n_first, n_second = sum(first.values()), sum(second.values())
    higher = lower = ties = 0
    for a, count_a in first.items():
        for b, count_b in second.items():
            pairs = count_a * count_b
            if a > b:
                higher += pairs
            elif a < b:
                lower += pairs
            else:
                ties += pairs
    total = n_first * n_second
    superiority = (higher + ties / 2) / total
    delta = (higher - lower) / total
    mean_first = sum(v * c for v, c in first.items()) / n_first
    mean_second = sum(v * c for v, c in second.items()) / n_second
    difference = mean_first - mean_second
    effect = next((label for limit, label in EFFECT_THRESHOLDS if abs(delta) < limit), "large")
    return Gap(difference=difference, superiority=superiority, cliffs_delta=delta, effect=effect,
               blind_spot=difference > scale_range / 3)


def scale_result(item: str, values: Mapping[str, Sequence[int]], groups: Sequence[str],
                 scale_range: int, threshold: int) -> ScaleResult:
    """Results of one scale item; `values` maps group -> the answers given."""
    stats = {group: group_stats(values.get(group, ()), threshold) for group in groups}
    first, second = (stats[g] for g in groups[:2])
    found = None
    if first.enough and second.enough:
        assert first.distribution is not None and second.distribution is not None
        found = gap(first.distribution, second.distribution, scale_range)
    return ScaleResult(item=item, groups=stats, gap=found)


def pooled_superiority(results: Sequence[ScaleResult]) -> Pooled | None:
    """Over all items with a gap: the chance that the first group gives the higher
    score, weighted by the pairs each item rests on, and those pairs; None without a gap."""
    weighted = pairs = 0
    for result in results:
        if result.gap is None:
            continue
        first, second = list(result.groups.values())[:2]
        weighted += result.gap.superiority * first.n * second.n
        pairs += first.n * second.n
    return Pooled(weighted / pairs, pairs) if pairs else None


def choice_result(choices: Mapping[str, Sequence[Iterable[str]]], groups: Sequence[str],
                  options: Sequence[str], threshold: int) -> ChoiceResult:
    """`choices` maps group -> for each phone, the options it chose."""
    stats: dict[str, GroupStats] = {}
    counts: dict[str, dict[str, int]] = {}
    for group in groups:
        answers = choices.get(group, ())
        enough = len(answers) >= threshold and len(answers) > 0
        stats[group] = GroupStats(n=len(answers), enough=enough)
        if enough:
            tally = Counter(option for chosen in answers for option in chosen)
            counts[group] = {option: tally.get(option, 0) for option in options}
        else:
            counts[group] = {}
    return ChoiceResult(groups=stats, counts=counts)


def normalise_word(text: str) -> str:
    """The key under which the same word, written differently, is merged."""
    return " ".join(text.casefold().split())


def words_result(entries: Mapping[str, Sequence[Sequence[str]]], groups: Sequence[str],
                 threshold: int, hidden: Iterable[str] = ()) -> WordsResult:
    """`entries` maps group -> for each phone, the words it gave.

    A word is counted once per phone; words whose normalised form is in
    `hidden` are left out (the facilitator hid them).
    """
    hidden_keys = set(hidden)
    stats: dict[str, GroupStats] = {}
    words: dict[str, list[WordCount]] = {}
    for group in groups:
        phones = entries.get(group, ())
        enough = len(phones) >= threshold and len(phones) > 0
        stats[group] = GroupStats(n=len(phones), enough=enough)
        if not enough:
            words[group] = []
            continue
        counts: Counter[str] = Counter()
        shown: dict[str, str] = {}
        for given in phones:
            for key in {normalise_word(word) for word in given}:
                if key and key not in hidden_keys:
                    counts[key] += 1
            for word in given:
                shown.setdefault(normalise_word(word), " ".join(word.split()))
        words[group] = [WordCount(shown[key], count)
                        for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return WordsResult(groups=stats, words=words, entries=wall(words, groups, threshold), threshold=threshold)


def wall(words: Mapping[str, Sequence[WordCount]], groups: Sequence[str], threshold: int) -> list[WallEntry]:
    """Each group's words merged into one list, most given first (see `WallEntry`)."""
    merged: dict[str, dict[str, int]] = {}
    shown: dict[str, str] = {}
    for group in groups:
        for word in words.get(group, ()):
            key = normalise_word(word.text)
            shown.setdefault(key, word.text)
            merged.setdefault(key, {})[group] = word.count
    entries = []
    for key in sorted(merged, key=lambda key: (-sum(merged[key].values()), key)):
        counts = merged[key]
        named = all(count >= threshold for count in counts.values())
        entries.append(WallEntry(key, shown[key], sum(counts.values()),
                                 {g: counts[g] for g in groups if g in counts} if named else {}))
    return entries
