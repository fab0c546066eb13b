"""Per-group results and the gap, checked against brute force."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gsdialog.core.results import (
    choice_result,
    pooled_superiority,
    gap,
    group_stats,
    scale_result,
    words_result,
)

scores = st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=60)


def distribution(values: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for value in values:
        found[value] = found.get(value, 0) + 1
    return found


def brute_force(first: list[int], second: list[int]) -> tuple[float, float]:
    """Probability of superiority and Cliff's delta, pair by pair."""
    higher = sum(1 for a in first for b in second if a > b)
    lower = sum(1 for a in first for b in second if a < b)
    ties = sum(1 for a in first for b in second if a == b)
    total = len(first) * len(second)
    return (higher + ties / 2) / total, (higher - lower) / total


@given(scores, scores)
def test_the_gap_matches_brute_force(first: list[int], second: list[int]) -> None:
    found = gap(distribution(first), distribution(second), scale_range=4)
    superiority, delta = brute_force(first, second)
    assert found.superiority == pytest.approx(superiority)
    assert found.cliffs_delta == pytest.approx(delta)
    assert found.difference == pytest.approx(statistics.mean(first) - statistics.mean(second))
    assert found.cliffs_delta == pytest.approx(2 * found.superiority - 1)
    assert found.blind_spot == (found.difference > 4 / 3)
    assert 0 <= found.out_of_ten <= 10


@given(scores)
def test_group_stats_match_the_statistics_module(values: list[int]) -> None:
    stats = group_stats(values, threshold=1)
    assert stats.enough and stats.n == len(values)
    assert stats.mean == pytest.approx(statistics.mean(values))
    assert stats.median == pytest.approx(statistics.median(values))
    assert stats.distribution == distribution(values)


@given(scores, st.integers(min_value=2, max_value=10))
def test_below_the_threshold_only_the_count_exists(values: list[int], threshold: int) -> None:
    stats = group_stats(values, threshold)
    assert stats.n == len(values)
    if len(values) < threshold:
        assert not stats.enough
        assert (stats.mean, stats.median, stats.distribution) == (None, None, None)
    else:
        assert stats.enough and stats.mean is not None


@pytest.mark.parametrize(
    ("first", "second", "effect"),
    [
        ([3] * 10, [3] * 10, "negligible"),
        ([4, 4, 4, 3, 3], [3, 3, 3, 4, 4], "small"),  # delta 0.2
        ([4, 4, 3, 3, 2], [3, 3, 3, 2, 2], "medium"),  # delta 0.44
        ([5, 5, 5, 4], [2, 1, 2, 3], "large"),
    ],
)
def test_effect_labels_use_the_usual_thresholds(first: list[int], second: list[int], effect: str) -> None:
    assert gap(distribution(first), distribution(second), 4).effect == effect


def test_the_oogstdialoog_pattern_is_a_blind_spot() -> None:
    """Professionals: mostly 4 and 5. The others: mostly 1 and 2."""
    result = scale_result("serieus", {"professional": [5, 4, 5, 4, 4, 5], "other": [2, 1, 2, 3, 1, 2]},
                          ["professional", "other"], scale_range=4, threshold=3)
    assert result.gap is not None
    assert result.gap.blind_spot and result.gap.effect == "large" and result.gap.out_of_ten == 10


def test_no_gap_while_one_group_is_under_the_threshold() -> None:
    result = scale_result("x", {"professional": [5, 4, 5], "other": [1, 2]}, ["professional", "other"],
                          scale_range=4, threshold=3)
    assert result.gap is None
    assert result.groups["professional"].mean == pytest.approx(14 / 3)
    assert result.groups["other"].mean is None and result.groups["other"].n == 2


def test_a_gap_of_exactly_a_third_is_not_yet_a_blind_spot() -> None:
    # range 3 (1..4): a third is 1.0
    assert not gap({3: 3}, {2: 3}, scale_range=3).blind_spot
    assert gap({4: 3}, {2: 3}, scale_range=3).blind_spot


def test_choice_counts_per_group_with_threshold() -> None:
    result = choice_result({"professional": [["a"], ["a", "b"], ["b"]], "other": [["c"]]},
                           ["professional", "other"], ["a", "b", "c"], threshold=3)
    assert result.counts["professional"] == {"a": 2, "b": 2, "c": 0}
    assert result.counts["other"] == {}
    assert result.groups["other"].n == 1 and not result.groups["other"].enough


def test_words_are_merged_counted_once_per_phone_and_can_be_hidden() -> None:
    phones = {"other": [["Gehoord worden", "tijd"], ["gehoord  WORDEN"], ["Tijd", "tijd"], ["rot op"]],
              "professional": [["luisteren"]]}
    result = words_result(phones, ["professional", "other"], threshold=3, hidden=["rot op"])
    assert [(w.text, w.count) for w in result.words["other"]] == [("Gehoord worden", 2), ("tijd", 2)]
    assert result.words["professional"] == [] and not result.groups["professional"].enough


@given(st.lists(st.tuples(scores, scores), min_size=1, max_size=6))
def test_pooled_superiority_is_the_share_over_all_pairs_of_all_items(items: list[tuple[list[int], list[int]]]) -> None:
    results = [scale_result(f"i{n}", {"professional": a, "other": b}, ["professional", "other"], 4, threshold=1)
               for n, (a, b) in enumerate(items)]
    higher = sum(sum(1 if x > y else 0.5 if x == y else 0 for x in a for y in b) for a, b in items)
    pairs = sum(len(a) * len(b) for a, b in items)
    found = pooled_superiority(results)
    assert found is not None and found.pairs == pairs
    assert found.superiority == pytest.approx(higher / pairs)
    assert found.out_of_ten == int(found.superiority * 10 + 0.5)


def test_no_pooled_superiority_without_a_gap() -> None:
    result = scale_result("x", {"professional": [5, 5]}, ["professional", "other"], 4, threshold=2)
    assert pooled_superiority([result]) is None


def test_numbers_are_written_as_each_language_writes_them():
    from gsdialog.core.i18n import number

    assert number("nl", 4.2) == "4,2"
    assert number("nl", 1.25, sign=True) == "+1,2"
    assert number("nl", -0.5, sign=True) == "-0,5"
    assert number("en", 4.2) == "4.2"
    assert number("en", 3, digits=0) == "3"
