"""Rule (e) of early warning (预警): statistical surges per village × category.

Pure numpy/scipy, no Django: `detect_surges` reads a matrix of daily case counts, and
`surge_generator` makes a synthetic county to test it on (zhili/warnings/counts.py reads the
matrix from the cases).

The model behind `detect_surges`
--------------------------------
`counts[v, c, t]` is the number of cases of category c registered in village v on day t;
the scanned day is `day_index`, its **baseline** the `BASELINE_DAYS` (28) days before it
(days marked in `exclude`, e.g. statutory holidays, are left out of every estimate). Each
cell's count on day t is taken as Poisson with mean

    rate[v, c] × week[t] × exp(slope[c] × (t − day_index))

1. **Day of week** (`week`): one factor per weekday, for the whole county, by the classical
   ratio to the centred 7-day moving average of the county's daily totals, over every day
   before the scanned one that the matrix holds (three to four ratios a weekday from 28 days,
   more from a longer history); the factors are scaled to a mean of 1. A Monday after a quiet
   weekend is compared with Mondays, not with Sundays.
2. **The yearly cycle** (`slope`): over 28 days a season shows as a trend. Each category's
   log-linear trend over the baseline (with the weekday factors as offsets) is fitted by
   Poisson maximum likelihood (Newton's method), then shrunk towards the county's own trend
   by empirical Bayes (the more cases a category has, the more its own trend counts), and
   carried forward to the scanned day.
3. **Rate of the cell** (`rate`): the cell's baseline count over its exposure (the sum of its
   factors over the baseline days), shrunk towards what the village's and the category's
   totals predict for it (a gamma prior whose mean is the independence model
   `n[v·] n[·c] / n[··]` and whose shape is fitted to the spread of the cells around it, by
   moments): a cell with 2 cases in 28 days borrows from its village and its category, one
   with 200 stands on its own. The prior's mean is never under half a case per baseline.
4. **Expected** on the scanned day = rate × week[scanned] (its trend factor is 1).

**The test.** One-sided Poisson tail: p = P(X ≥ observed | expected) =
`scipy.stats.poisson.sf(observed - 1, expected)`.

**Multiple testing.** 346 villages × 40 categories are 13,840 tests a day; at p < 0.05 each
the county would get about 700 false warnings daily. The p-values of all cells are controlled
together by Benjamini–Hochberg at false-discovery rate `alpha` (default 0.05): the expected
share of false warnings in the day's list is at most `alpha` (under the model). On a quiet day
the procedure is about as strict as Bonferroni (p ≤ alpha / 13,840 ≈ 3.6e-6), so a quiet day
gives (almost) no warning at all.

**Minimum count.** A cell warns only with at least `min_count` (default 3) cases that day:
two cases where a village has none a month is unusual but not a matter for an officer.

What the model leaves out: the counts vary more than Poisson (a gamma-Poisson generator is
used in the tests for that), so the Poisson tail is somewhat optimistic for the biggest cells;
the FDR and the minimum count keep the list short on such days. A county-wide shock of the
scanned day itself (a typhoon) raises every cell's count and is not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

BASELINE_DAYS = 28
WEEK = 7


@dataclass(frozen=True)
class Surge:
    village: int  # index on the matrix's first axis
    category: int  # index on its second axis
    observed: int
    expected: float
    p_value: float


def detect_surges(
    counts: np.ndarray,
    day_index: int = -1,
    *,
    alpha: float = 0.05,
    min_count: int = 3,
    exclude: np.ndarray | None = None,
) -> list[Surge]:
    """The cells of `counts[:, :, day_index]` that surge above their baseline, most
    significant first. `counts` is [villages, categories, days] with at least 28 days before
    `day_index`; `exclude` an optional boolean per day (days not to learn from)."""
    expected = expected_counts(counts, day_index, exclude=exclude)
    observed = np.asarray(counts)[:, :, day_index].astype(np.int64)
    # A cell with no expectation at all (no case in the whole baseline) has no basis to
    # surge against: p = 1 (the model's floor keeps every other cell's above 0).
    p_values = np.where(expected > 0, stats.poisson.sf(observed - 1, expected), 1.0)
    flagged = benjamini_hochberg(p_values.ravel(), alpha).reshape(p_values.shape)
    flagged &= observed >= min_count
    villages, categories = np.nonzero(flagged)
    order = np.argsort(p_values[villages, categories], kind="stable")
    return [
        Surge(
            village=int(villages[i]),
            category=int(categories[i]),
            observed=int(observed[villages[i], categories[i]]),
            expected=float(expected[villages[i], categories[i]]),
            p_value=float(p_values[villages[i], categories[i]]),
        )
        for i in order
    ]


def expected_counts(
    counts: np.ndarray, day_index: int = -1, *, exclude: np.ndarray | None = None
) -> np.ndarray:
    """[villages, categories]: each cell's expected count on `day_index` (the model above)."""
    counts = np.asarray(counts)
    if counts.ndim != 3:
        raise ValueError("counts must be [villages, categories, days]")
    days = counts.shape[2]
    scan = day_index % days
    if scan < BASELINE_DAYS:
        raise ValueError(f"day_index needs {BASELINE_DAYS} days of baseline before it")
    used = np.ones(days, dtype=bool) if exclude is None else ~np.asarray(exclude, dtype=bool)
    used[scan:] = False
    window = np.zeros(days, dtype=bool)
    window[scan - BASELINE_DAYS : scan] = True
    window &= used
    if not window.any() or not counts[:, :, window].any():
        return np.zeros(counts.shape[:2])
    by_category = counts.sum(axis=0, dtype=np.float64)  # [categories, days]
    week = weekday_factors(by_category.sum(axis=0), scan, used)
    lag = np.arange(days, dtype=np.float64) - scan
    offsets = week[(np.arange(days) - scan) % WEEK]  # each day's weekday factor
    days_in = np.flatnonzero(window)
    slopes = category_slopes(by_category[:, days_in], lag[days_in], offsets[days_in])
    # Exposure: the sum of each category's factors over the baseline days, in "scanned days".
    exposure = (offsets[days_in] * np.exp(np.outer(slopes, lag[days_in]))).sum(axis=1)
    lo = scan - BASELINE_DAYS  # the baseline's cases per cell (excluded days weigh 0)
    baseline = counts[:, :, lo:scan] @ window[lo:scan].astype(np.float64)
    rate = shrunk_rates(baseline, exposure)
    return rate * offsets[scan]


def weekday_factors(totals: np.ndarray, scan: int, used: np.ndarray) -> np.ndarray:
    """Factor per weekday, indexed by (day − scan) mod 7 (0 = the scanned day's weekday):
    the mean ratio of a day's total to its centred 7-day moving average, scaled to mean 1.
    Days next to an unused one (or the scanned day) give no ratio; a weekday without any
    ratio gets 1."""
    kernel = np.ones(WEEK)
    sums = np.convolve(np.where(used, totals, 0.0), kernel, mode="same")
    whole = np.convolve(used.astype(np.float64), kernel, mode="same") == WEEK
    ratios = np.divide(totals * WEEK, sums, out=np.zeros_like(totals), where=whole & (sums > 0))
    ok = whole & (sums > 0)
    weekday = (np.arange(len(totals)) - scan) % WEEK
    sum_by_day = np.bincount(weekday[ok], weights=ratios[ok], minlength=WEEK)
    n_by_day = np.bincount(weekday[ok], minlength=WEEK)
    factors = np.where(n_by_day > 0, sum_by_day / np.maximum(n_by_day, 1), 1.0)
    return factors / factors.mean() if factors.mean() > 0 else np.ones(WEEK)


def category_slopes(
    totals: np.ndarray, lag: np.ndarray, offsets: np.ndarray, iterations: int = 8
) -> np.ndarray:
    """Each category's daily log-trend over the baseline, shrunk towards the county's.

    `totals` is [categories, baseline days]; Poisson regression log μ = a + b·lag + log offset
    by Newton's method, all categories at once (row 0 of the stacked fit is the county)."""
    stacked = np.vstack([totals.sum(axis=0), totals])
    slope, variance = poisson_trends(stacked, lag, offsets, iterations)
    county, own, own_var = slope[0], slope[1:], variance[1:]
    # Empirical Bayes: the spread of the true slopes around the county's, by moments.
    spread = max(0.0, float(np.mean((own - county) ** 2 - own_var)))
    weight = spread / (spread + own_var) if spread > 0 else np.zeros_like(own)
    return np.asarray(county + weight * (own - county))


def poisson_trends(
    totals: np.ndarray, lag: np.ndarray, offsets: np.ndarray, iterations: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per row of `totals`: the slope b of log μ = a + b·lag + log offsets, and its variance
    (inverse Fisher information, with a profiled out). Rows without cases get slope 0 and an
    infinite variance."""
    x = lag - lag.mean()
    n = totals.sum(axis=1)
    a = np.log(np.maximum(n, 1e-9) / offsets.sum())
    b = np.zeros(len(totals))
    info_bb = np.zeros(len(totals))
    for _ in range(iterations):
        mu = offsets * np.exp(a[:, None] + np.outer(b, x))
        score_a = (totals - mu).sum(axis=1)
        score_b = ((totals - mu) * x).sum(axis=1)
        i_aa, i_ab, i_bb = mu.sum(axis=1), (mu * x).sum(axis=1), (mu * x * x).sum(axis=1)
        det = i_aa * i_bb - i_ab**2
        safe = det > 1e-12
        step_a = np.divide(i_bb * score_a - i_ab * score_b, det, where=safe, out=np.zeros_like(a))
        step_b = np.divide(i_aa * score_b - i_ab * score_a, det, where=safe, out=np.zeros_like(b))
        a += np.clip(step_a, -5, 5)
        b += np.clip(step_b, -0.5, 0.5)
        info_bb = np.divide(det, i_aa, where=i_aa > 0, out=np.zeros_like(b))
    empty = n <= 0
    b[empty] = 0.0
    variance = np.divide(1.0, info_bb, where=info_bb > 0, out=np.full_like(b, np.inf))
    return b, variance


def shrunk_rates(baseline: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """Each cell's rate per scanned-day-equivalent: the gamma-Poisson posterior mean of its
    baseline count over its category's exposure, under a gamma prior centred on the
    independence model (see the module's docstring)."""
    total = baseline.sum()
    if total <= 0:
        return np.zeros_like(baseline)
    model = np.outer(baseline.sum(axis=1), baseline.sum(axis=0)) / total
    model = np.maximum(model, 0.5)
    # Var(n) = m + m²/shape around the independence model m: the shape by moments.
    excess = float(((baseline - model) ** 2 - baseline).sum() / (model**2).sum())
    shape = 1.0 / min(max(excess, 1e-3), 10.0)
    exposure = np.maximum(exposure, 1e-9)[None, :]
    return (shape + baseline) / (shape / (model / exposure) + exposure)


def benjamini_hochberg(p_values: np.ndarray, alpha: float) -> np.ndarray:
    """Boolean mask of the p-values the Benjamini–Hochberg procedure rejects at FDR alpha."""
    m = len(p_values)
    order = np.argsort(p_values, kind="stable")
    ranked = p_values[order]
    below = np.flatnonzero(ranked <= alpha * np.arange(1, m + 1) / m)
    mask = np.zeros(m, dtype=bool)
    if len(below):
        mask[order[: below[-1] + 1]] = True
    return mask


# --- the synthetic county ---------------------------------------------------------------------


@dataclass(frozen=True)
class Injected:
    """A surge the generator put on the scanned (last) day."""

    village: int
    category: int
    expected: float  # the cell's true mean that day, before the surge
    added: int  # the cases added on top of its ordinary count


# Monday .. Sunday: more on Monday (the weekend's matters), fewer on the weekend.
WEEKDAY_PROFILE = np.array([1.18, 1.06, 1.02, 1.0, 0.98, 0.62, 0.55])


def surge_generator(
    seed: int,
    *,
    villages: int = 346,
    categories: int = 40,
    days: int = BASELINE_DAYS + 1,
    cases_per_year: int = 1_000_000,
    surges: int = 20,
    weekday: int | None = None,
    dispersion: float = 5.0,
    surge_factor: tuple[float, float] = (3.0, 5.0),
    surge_least: int = 6,
) -> tuple[np.ndarray, list[Injected]]:
    """A seeded synthetic county: counts [villages, categories, days] whose last day is the
    scanned one, and the surges injected on it.

    - Village sizes lognormal (σ 0.7), category shares Zipf (s 1.1, 40 categories: the first
      takes about a fifth), a village × category interaction lognormal (σ 0.4): cells of a
      day run from about 0.001 to 10 expected cases, most under 0.5.
    - The weekly profile `WEEKDAY_PROFILE` (weekends about 40 % lower, Monday 18 % higher);
      the scanned day's weekday is `weekday` (0 = Monday) or drawn from the seed.
    - A yearly cycle: the county's ±15 % and each category's own, ±0–35 % with its own peak
      (heating in winter, floods in summer), at a day of the year drawn from the seed.
    - Over-dispersion: each county day ×lognormal(σ 0.05) (weather, news), each cell-day
      ×Gamma(shape `dispersion`, mean 1; by default 5, a coefficient of variation of 0.45):
      counts are gamma-Poisson (negative binomial), not Poisson.
    - `surges` cells of the scanned day, spread over the range of cell sizes (one from each
      of `surges` equal slices of the non-trivial cells' ranks by their mean), each gets
      `max(surge_least, ⌈(f − 1) × expected⌉)` cases on top of its ordinary count, f uniform
      in `surge_factor`; by default [3, 5] and 6: the day's count becomes at least three
      times its mean and at least 6 cases more, what a county officer would call a surge
      (7 instead of about 1, 16 instead of 4).
    """
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0.0, 0.7, villages)
    share = 1.0 / np.arange(1, categories + 1) ** 1.1
    share = rng.permutation(share)
    cell = np.outer(size / size.sum(), share / share.sum())
    cell *= rng.lognormal(-0.08, 0.4, cell.shape)
    cell *= (cases_per_year / 365.0) / cell.sum()  # mean cases a day, before the factors

    scan_weekday = int(rng.integers(WEEK)) if weekday is None else weekday
    day_of_year = rng.integers(365) - (days - 1) + np.arange(days)
    weekday_of = (scan_weekday - (days - 1) + np.arange(days)) % WEEK
    week = WEEKDAY_PROFILE / WEEKDAY_PROFILE.mean()
    angle = 2 * np.pi * day_of_year / 365.0
    county_cycle = 0.15 * np.cos(angle - rng.uniform(0, 2 * np.pi))
    amplitude = rng.uniform(0.0, 0.35, categories)
    peak = rng.uniform(0, 2 * np.pi, categories)
    cycle = np.exp(
        county_cycle[None, :] + amplitude[:, None] * np.cos(angle[None, :] - peak[:, None])
    )
    day_shock = rng.lognormal(-0.00125, 0.05, days)
    mean = cell[:, :, None] * (cycle * week[weekday_of] * day_shock)[None, :, :]
    noise = rng.gamma(dispersion, 1.0 / dispersion, mean.shape)
    counts = rng.poisson(mean * noise)

    injected = pick_surges(rng, mean[:, :, -1], surges, surge_factor, surge_least)
    for item in injected:
        counts[item.village, item.category, -1] += item.added
    return counts, injected


def pick_surges(
    rng: np.random.Generator,
    mean: np.ndarray,
    surges: int,
    factor_range: tuple[float, float],
    least: int,
) -> list[Injected]:
    if surges <= 0:
        return []
    flat = mean.ravel()
    candidates = np.flatnonzero(flat >= 0.02)  # a cell with a case or more a month or two
    ranked = candidates[np.argsort(flat[candidates])]
    slices = np.array_split(ranked, surges)
    out = []
    for part in slices:
        index = int(rng.choice(part))
        village, category = divmod(index, mean.shape[1])
        expected = float(flat[index])
        factor = rng.uniform(*factor_range)
        added = max(least, int(np.ceil((factor - 1) * expected)))
        out.append(Injected(village, category, expected, added))
    return out
