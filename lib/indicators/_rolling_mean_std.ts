// Rolling mean and standard deviation in one O(n) pass, shared by rollingStd, zScore and
// bollingerBands.
//
// Numerics: sums of deviations from an anchor (the "shifted data" algorithm) instead of raw
// sums of squares, so prices like 1e9 + 1e-3 noise keep their variance. The sums are rebuilt
// exactly from the window, anchored at its last value:
// - every `max(period, 128)` bars, so add/remove rounding cannot accumulate and a drifting price
//   never strays far from the anchor;
// - at once when the window's spread becomes small against the largest sum of squares seen
//   since the last rebuild (a large value, or the anchor, left far behind: `s2 - s1^2 / period <
//   2^-12 / (2 * period + 1)` of that peak). The rounding error of the running sums is a few eps
//   of that peak, so this keeps it under about 1e-10 of the spread. Right after a rebuild the
//   ratio is at least 1 / (2 * period + 1) (the anchor is in the window), so the check never
//   fires twice in a row: a rebuild costs O(period) and happens only after such a drop.
// A window of identical values is detected by a run counter and gets a standard deviation of
// exactly 0 (so z-scores and %b of a flat market are well defined).
import { firstFinite } from "./_first_finite.ts";

/**
 * Writes the rolling mean into `mean` and the standard deviation (divisor `period - ddof`)
 * into `std`; either may be null. Windows with a missing value (NaN, ±Infinity) give NaN.
 * When `period - ddof <= 0` the deviation is undefined and `std` is NaN throughout.
 */
export function rollingMeanStd(
  values: Float64Array,
  period: number,
  ddof: number,
  mean: Float64Array | null,
  std: Float64Array | null,
): void {
  const n = values.length;
  const denom = period - ddof;
  const state = new Float64Array(STATE_SIZE);
  state[ANCHOR] = firstFinite(values);
  state[PREV] = NaN;
  const head = Math.min(period, n);
  for (let i = 0; i < head; i++) {
    const x = values[i]!;
    if (x - x === 0) {
      const d = x - state[ANCHOR]!;
      state[S1]! += d;
      state[S2]! += d * d;
    } else {
      state[BAD]!++;
    }
    state[RUN] = x === state[PREV] ? state[RUN]! + 1 : 1;
    state[PREV] = x;
    if (i === period - 1) {
      write(i, x, period, denom, state[ANCHOR]!, state[S1]!, m2Of(state, period), state[BAD]!, state[RUN]!, mean, std);
    } else {
      if (mean !== null) mean[i] = NaN;
      if (std !== null) std[i] = NaN;
    }
  }
  state[HI] = state[S2]!;
  // Frequent rebuilds keep the anchor near the window: the variance formula loses
  // about eps * (distance from anchor / std)^2 of relative precision.
  const interval = Math.max(period, 128);
  const drop = 2 ** -12 / (2 * period + 1);
  for (let from = period; from < n;) {
    const to = Math.min(n, from + interval);
    const stop = block(values, period, denom, from, to, drop, state, mean, std);
    if (stop >= n) break;
    if (stop < to) {
      // Bar `stop` lost precision: rebuild the window that ends there and write it again.
      rebuild(values, period, stop + 1, state);
      write(
        stop,
        values[stop]!,
        period,
        denom,
        state[ANCHOR]!,
        state[S1]!,
        m2Of(state, period),
        state[BAD]!,
        state[RUN]!,
        mean,
        std,
      );
      from = stop + 1;
    } else {
      rebuild(values, period, to, state);
      from = to;
    }
  }
}

/** s2 - s1^2 / period of the state: the window's sum of squared deviations from its mean. */
function m2Of(state: Float64Array, period: number): number {
  return state[S2]! - state[S1]! * state[S1]! / period;
}

const ANCHOR = 0, S1 = 1, S2 = 2, BAD = 3, RUN = 4, PREV = 5, HI = 6, STATE_SIZE = 7;

function write(
  i: number,
  x: number,
  period: number,
  denom: number,
  anchor: number,
  s1: number,
  m2: number,
  bad: number,
  run: number,
  mean: Float64Array | null,
  std: Float64Array | null,
): void {
  if (bad > 0) {
    if (mean !== null) mean[i] = NaN;
    if (std !== null) std[i] = NaN;
  } else if (run >= period) {
    if (mean !== null) mean[i] = x;
    if (std !== null) std[i] = denom > 0 ? 0 : NaN;
  } else {
    if (mean !== null) mean[i] = anchor + s1 / period;
    if (std !== null) {
      const v = m2 / denom;
      // Rounding can leave a tiny negative variance for a near-flat window.
      std[i] = denom > 0 ? (v > 0 ? Math.sqrt(v) : 0) : NaN;
    }
  }
}

// The hot loop lives in its own function, called once per block, so V8 optimizes it whole.
// Returns `to`, or the first bar whose sums lost precision (not written; the caller rebuilds).
function block(
  values: Float64Array,
  period: number,
  denom: number,
  from: number,
  to: number,
  drop: number,
  state: Float64Array,
  mean: Float64Array | null,
  std: Float64Array | null,
): number {
  const anchor = state[ANCHOR]!;
  let s1 = state[S1]!, s2 = state[S2]!, bad = state[BAD]!, run = state[RUN]!, prev = state[PREV]!;
  let hi = state[HI]!, lim = hi * drop, stop = to;
  for (let i = from; i < to; i++) {
    const x = values[i]!;
    const y = values[i - period]!;
    if (x - x === 0) {
      const d = x - anchor;
      s1 += d;
      s2 += d * d;
    } else {
      bad++;
    }
    if (y - y === 0) {
      const d = y - anchor;
      s1 -= d;
      s2 -= d * d;
    } else {
      bad--;
    }
    run = x === prev ? run + 1 : 1;
    prev = x;
    if (s2 > hi) (hi = s2), (lim = s2 * drop);
    // Sum of squared deviations from the window's mean. Checked also when s2 grew: an anchor
    // far from the window (a large first value) inflates s2 without any drop.
    const m2 = s2 - s1 * s1 / period;
    if (m2 < lim && bad === 0 && run < period) {
      stop = i;
      break;
    }
    write(i, x, period, denom, anchor, s1, m2, bad, run, mean, std);
  }
  state[S1] = s1;
  state[S2] = s2;
  state[BAD] = bad;
  state[RUN] = run;
  state[PREV] = prev;
  state[HI] = hi;
  return stop;
}

// Exact state for the window that ends at `to - 1`, anchored at its last finite value.
function rebuild(values: Float64Array, period: number, to: number, state: Float64Array): void {
  const last = values[to - 1]!;
  if (last - last === 0) state[ANCHOR] = last;
  const anchor = state[ANCHOR]!;
  let s1 = 0, s2 = 0, bad = 0;
  for (let j = to - period; j < to; j++) {
    const y = values[j]!;
    if (y - y === 0) {
      const d = y - anchor;
      s1 += d;
      s2 += d * d;
    } else {
      bad++;
    }
  }
  let run = 1;
  while (run < period && values[to - 1 - run] === last) run++;
  state[S1] = s1;
  state[S2] = s2;
  state[BAD] = bad;
  state[RUN] = run;
  state[PREV] = last;
  state[HI] = s2;
}
