// The weight formula of learnWeights, shared with learningReport's incremental walk-forward so both give the
// same numbers from the same counts.

/** Checked learning options. */
export interface WeightRule {
  shrinkage: number;
  minObservations: number;
  lookback: number;
}

/** Validates the options every learner takes; `where` names the caller in errors. */
export function weightRule(
  where: string,
  options: { shrinkage?: number; minObservations?: number; lookback?: number },
): WeightRule {
  const shrinkage = options.shrinkage ?? 0.5;
  if (!(shrinkage >= 0 && shrinkage <= 1)) {
    throw new RangeError(`${where}: shrinkage must be in [0, 1] (1 = equal weights), got ${options.shrinkage}`);
  }
  const minObservations = options.minObservations ?? 10;
  if (!Number.isInteger(minObservations) || minObservations < 1) {
    throw new RangeError(`${where}: minObservations must be an integer >= 1, got ${options.minObservations}`);
  }
  const lookback = options.lookback ?? Infinity;
  if (!(lookback > 0)) {
    throw new RangeError(`${where}: lookback must be a positive duration in ms (or omitted), got ${options.lookback}`);
  }
  return { shrinkage, minObservations, lookback };
}

/**
 * Weights from per-persona counts into `learned` and `weights` (both length N). See `learnWeights` for the
 * formula; `edge` receives each persona's edge (NaN when it has too few observations).
 */
export function weightsFromCounts(
  n: Float64Array,
  hits: Float64Array,
  rule: WeightRule,
  edge: Float64Array,
  learned: Float64Array,
  weights: Float64Array,
): void {
  const count = n.length;
  if (count === 0) return;
  const equal = 1 / count;
  let qualified = 0, edgeSum = 0;
  for (let i = 0; i < count; i++) {
    if (n[i]! >= rule.minObservations) {
      const e = Math.max(0, hits[i]! / n[i]! - 0.5);
      edge[i] = e;
      edgeSum += e;
      qualified++;
    } else {
      edge[i] = NaN;
    }
  }
  for (let i = 0; i < count; i++) {
    const e = edge[i]!;
    // Qualified personas share the mass equal weights would give them, in proportion to their edge.
    const l = e !== e || edgeSum === 0 ? equal : (qualified * equal) * e / edgeSum;
    learned[i] = l;
    weights[i] = (1 - rule.shrinkage) * l + rule.shrinkage * equal;
  }
}
