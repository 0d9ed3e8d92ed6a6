"""Rule (e): statistical surges per village × category (zhili/warnings/surge.py), on the seeded
synthetic county of `surge_generator` (346 villages × 40 categories, 1M cases a year)."""

import math

import numpy as np
from scipy import stats

from zhili.warnings.surge import (
    Surge,
    benjamini_hochberg,
    detect_surges,
    expected_counts,
    surge_generator,
)

TRIALS = 20


def cells(found: list[Surge]) -> set[tuple[int, int]]:
    return {(s.village, s.category) for s in found}


def test_precision_and_recall_over_twenty_trials() -> None:
    hits = false = missed = 0
    for seed in range(TRIALS):
        counts, injected = surge_generator(seed)
        assert counts.shape == (346, 40, 29)
        # About 1M cases a year: a 29-day matrix holds some 80,000.
        assert 60_000 < counts.sum() < 100_000, counts.sum()
        truth = {(i.village, i.category) for i in injected}
        assert len(truth) == 20
        found = detect_surges(counts)
        got = cells(found)
        trial_hits = len(truth & got)
        # Each trial on its own is sane, not only the pool.
        assert trial_hits >= 16, (seed, trial_hits)
        assert len(got - truth) <= 6, (seed, sorted(got - truth))
        hits, false, missed = hits + trial_hits, false + len(got - truth), missed + len(truth - got)
        assert [s.p_value for s in found] == sorted(s.p_value for s in found)
        assert all(s.observed >= 3 and s.observed > s.expected for s in found)
    precision = hits / (hits + false)
    recall = hits / (hits + missed)
    print(f"rule (e) over {TRIALS} trials: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.85, precision
    assert recall >= 0.85, recall


def test_surges_of_every_size_are_found() -> None:
    """The injected cells run from about one case a month to several a day; the found ones
    do too (not only the small cells, where any cluster is extreme)."""
    found_expected, injected_expected = [], []
    for seed in range(5):
        counts, injected = surge_generator(seed)
        got = cells(detect_surges(counts))
        injected_expected += [i.expected for i in injected]
        found_expected += [i.expected for i in injected if (i.village, i.category) in got]
    assert min(injected_expected) < 0.1 and max(injected_expected) > 3
    assert min(found_expected) < 0.1 and max(found_expected) > 3


def test_a_quiet_day_gives_few_or_no_warnings() -> None:
    days = [detect_surges(surge_generator(seed, surges=0)[0]) for seed in range(100, 120)]
    alarms = sum(len(day) for day in days)
    # Over-dispersed counts make a natural cluster now and then: at most one a day on average,
    # most days none.
    assert alarms <= 20, alarms
    assert sum(1 for day in days if not day) >= 14


def test_poisson_tail_by_hand() -> None:
    """Every cell has had exactly 2 cases a day for 28 days: its expected count is 2 (no
    weekday, no trend, no spread), and 7 cases today have
    P(X ≥ 7 | 2) = 1 − e⁻² (1 + 2 + 2 + 4/3 + 2/3 + 4/15 + 4/45) = 0.0045338."""
    counts = np.full((2, 3, 29), 2)
    counts[1, 2, -1] = 7
    counts[0, 1, -1] = 4  # P(X ≥ 4 | 2) = 0.1429: not a surge
    assert np.allclose(expected_counts(counts), 2.0)
    by_hand = 1 - math.exp(-2) * (1 + 2 + 2 + 4 / 3 + 2 / 3 + 4 / 15 + 4 / 45)
    assert math.isclose(by_hand, 0.0045338, rel_tol=1e-4)
    [surge] = detect_surges(counts)
    assert (surge.village, surge.category, surge.observed) == (1, 2, 7)
    assert math.isclose(surge.expected, 2.0)
    assert math.isclose(surge.p_value, by_hand, rel_tol=1e-9)
    # Six tests: Benjamini–Hochberg keeps it at 0.05 (6 × 0.0045 = 0.027), not at 0.02.
    assert detect_surges(counts, alpha=0.02) == []
    # Under the minimum count, no warning, however unlikely.
    assert detect_surges(counts, min_count=8) == []


def test_no_baseline_no_warning() -> None:
    """The platform's first days: nothing to compare with, so nothing surges."""
    counts = np.zeros((3, 2, 29), dtype=np.int64)
    counts[0, 0, -1] = 9
    assert detect_surges(counts) == []


def test_benjamini_hochberg_by_hand() -> None:
    # m = 5: thresholds 0.01, 0.02, 0.03, 0.04, 0.05; the largest p under its own is 0.03 (3rd).
    p = np.array([0.03, 0.001, 0.5, 0.045, 0.02])
    assert benjamini_hochberg(p, 0.05).tolist() == [True, True, False, False, True]


def test_the_weekend_raises_no_warning_on_monday() -> None:
    """Weekends have about 40 % fewer cases and Mondays 18 % more: against a flat 28-day mean a
    Monday would warn in many cells; against the weekday-adjusted baseline it does not."""
    adjusted = flat = 0
    for seed in range(300, 320):
        counts, _ = surge_generator(seed, surges=0, weekday=0)
        adjusted += len(detect_surges(counts))
        mean = counts[:, :, :-1].mean(axis=2)
        p = stats.poisson.sf(counts[:, :, -1] - 1, mean)
        flat += int((benjamini_hochberg(p.ravel(), 0.05) & (counts[:, :, -1] >= 3).ravel()).sum())
        # The expected Monday is the Monday observed, within the day's own chance.
        ratio = counts[:, :, -1].sum() / expected_counts(counts).sum()
        assert 0.85 < ratio < 1.15, (seed, ratio)
    assert adjusted <= 20, adjusted
    assert flat >= 5 * max(adjusted, 10), (flat, adjusted)


def test_excluded_holidays_do_not_lower_the_baseline() -> None:
    """A holiday week (a fifth of the cases) inside the baseline, then an ordinary day: left
    out of the estimates, it does not make the ordinary day look like a surge."""
    kept = left_out = 0
    for seed in range(400, 410):
        counts, _ = surge_generator(seed, surges=0)
        holiday = np.zeros(counts.shape[2], dtype=bool)
        holiday[10:17] = True
        rng = np.random.default_rng(seed)
        counts[:, :, holiday] = rng.binomial(counts[:, :, holiday], 0.2)
        kept += len(detect_surges(counts))
        left_out += len(detect_surges(counts, exclude=holiday))
    assert left_out * 2 < kept, (left_out, kept)


def test_a_longer_history_and_any_scanned_day() -> None:
    counts, injected = surge_generator(7, days=57)
    truth = {(i.village, i.category) for i in injected}
    assert len(truth & cells(detect_surges(counts))) >= 16
    # The day before (no surge injected there), scanned by its index.
    assert len(detect_surges(counts, day_index=55)) <= 3
    # Too short a history is refused, with the reason.
    try:
        detect_surges(counts, day_index=20)
    except ValueError as error:
        assert "28 days" in str(error)
    else:
        raise AssertionError("20 days of history accepted")


def test_the_generator_is_seeded_and_the_scan_is_fast() -> None:
    import time

    first, injected = surge_generator(3)
    again, injected_again = surge_generator(3)
    assert np.array_equal(first, again) and injected == injected_again
    assert not np.array_equal(first, surge_generator(4)[0])
    started = time.perf_counter()
    for _ in range(10):
        detect_surges(first)
    per_scan = (time.perf_counter() - started) / 10
    assert per_scan < 0.1, per_scan  # a few ms on this machine; loose for a loaded one
