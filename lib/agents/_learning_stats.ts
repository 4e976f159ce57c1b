// Statistics shared by personaScores and learningReport, over typed arrays.

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  /** Bin edges on the predicted probability: `[lower, upper)`, the last bin closed at 1. */
  lower: number;
  upper: number;
  /** Decisions whose predicted probability falls in the bin. */
  count: number;
  /** Mean predicted probability of the bin (NaN when empty). */
  meanPredicted: number;
  /** Share of the bin's decisions followed by an up move (NaN when empty). */
  observedFrequency: number;
}

/** The figures of one persona or factor (see `personaScores` for the definitions). */
export interface ScoreFigures {
  /** Rows with a known outcome (abstentions and open windows excluded). */
  count: number;
  /** Of those, rows with a view (direction +1 or -1): the hit rate's denominator. */
  directional: number;
  hits: number;
  hitRate: number;
  /** Spearman rank correlation of `confidence × direction` with the forward return. */
  spearmanIc: number;
  /** Pearson correlation of the same. */
  pearsonIc: number;
  /** Mean of `(p - up)²`, `p = 0.5 + 0.5 × confidence × direction`. */
  brier: number;
  reliability: ReliabilityBin[];
  /** Sum of `direction × forwardReturn × share`. */
  pnl: number;
}

/** Growable columns of one group's observations. */
export class ObservationColumns {
  n = 0;
  direction: Int8Array = new Int8Array(16);
  confidence: Float64Array = new Float64Array(16);
  forwardReturn: Float64Array = new Float64Array(16);
  share: Float64Array = new Float64Array(16);

  push(direction: number, confidence: number, forwardReturn: number, share: number): void {
    if (this.n === this.direction.length) this.#grow();
    const i = this.n++;
    this.direction[i] = direction;
    this.confidence[i] = confidence;
    this.forwardReturn[i] = forwardReturn;
    this.share[i] = share;
  }

  #grow(): void {
    const cap = this.direction.length * 2;
    const d = new Int8Array(cap), c = new Float64Array(cap), r = new Float64Array(cap), s = new Float64Array(cap);
    d.set(this.direction), c.set(this.confidence), r.set(this.forwardReturn), s.set(this.share);
    this.direction = d, this.confidence = c, this.forwardReturn = r, this.share = s;
  }
}

/** Scores of one group's observations. */
export function scoreFigures(cols: ObservationColumns, bins: number): ScoreFigures {
  const n = cols.n;
  const { direction, confidence, forwardReturn, share } = cols;
  const signal = new Float64Array(n);
  const sums = new Float64Array(bins), ups = new Float64Array(bins), counts = new Float64Array(bins);
  let directional = 0, hits = 0, brier = 0, pnl = 0;
  for (let i = 0; i < n; i++) {
    const d = direction[i]!;
    const r = forwardReturn[i]!;
    const s = confidence[i]! * d;
    signal[i] = s;
    if (d !== 0) {
      directional++;
      if (d * r > 0) hits++;
    }
    const p = 0.5 + 0.5 * s;
    const up = r > 0 ? 1 : 0;
    brier += (p - up) * (p - up);
    const k = Math.min(bins - 1, Math.floor(p * bins));
    sums[k]! += p;
    ups[k]! += up;
    counts[k]!++;
    pnl += d * r * share[i]!;
  }
  const reliability: ReliabilityBin[] = [];
  for (let k = 0; k < bins; k++) {
    const c = counts[k]!;
    reliability.push({
      lower: k / bins,
      upper: (k + 1) / bins,
      count: c,
      meanPredicted: c > 0 ? sums[k]! / c : NaN,
      observedFrequency: c > 0 ? ups[k]! / c : NaN,
    });
  }
  const returns = forwardReturn.subarray(0, n);
  return {
    count: n,
    directional,
    hits,
    hitRate: directional > 0 ? hits / directional : NaN,
    spearmanIc: spearman(signal, returns),
    pearsonIc: pearson(signal, returns),
    brier: n > 0 ? brier / n : NaN,
    reliability,
    pnl,
  };
}

/** Pearson correlation; NaN with fewer than two points or a constant side. */
export function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  if (n < 2) return NaN;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx, dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Spearman rank correlation: Pearson of the average ranks (ties share their mean rank). */
export function spearman(x: Float64Array, y: Float64Array): number {
  return pearson(averageRanks(x), averageRanks(y));
}

/** Ranks 1..n, ties given the mean of the ranks they span. */
export function averageRanks(x: Float64Array): Float64Array {
  const n = x.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => x[a]! - x[b]!);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && x[order[j + 1]!] === x[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank;
    i = j + 1;
  }
  return ranks;
}
