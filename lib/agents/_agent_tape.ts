import type { PersonaOutcome } from "./outcome.ts";

// The memo between an agent strategy's `prepare` (async: model calls) and its `signals` (sync): per series, the
// bars prepared so far and the target each decision bar set. A prefix of a frame that was prepared is prepared too
// (the causality property test relies on it); a frame that differs from the tape at bar k drops the tape from k.

/** No decision on this bar (warm-up, not a decision bar, hold, abstain, or below the confidence floor). */
export const KEEP = 2;

/** Growable columns of prepared bars: open time, close, and the target code (-1, 0, 1 or {@link KEEP}). */
export class AgentTape {
  ts: Float64Array = new Float64Array(256);
  close: Float64Array = new Float64Array(256);
  target: Int8Array = new Int8Array(256);
  n = 0;
  /** The final outcomes of each decision bar so far, in bar order (what a learned vote weighs). */
  decided: { t: number; outcomes: readonly PersonaOutcome[] }[] = [];

  /** Bars at the start of the frame that equal the tape's (open time and close; NaN closes equal each other). */
  matching(ts: Float64Array, close: Float64Array): number {
    const m = Math.min(this.n, ts.length);
    for (let i = 0; i < m; i++) {
      const a = this.close[i]!, b = close[i]!;
      if (this.ts[i] !== ts[i] || (a !== b && (a === a || b === b))) return i;
    }
    return m;
  }

  /** Keeps the first `n` bars. */
  truncate(n: number): void {
    if (n < this.n) this.n = n;
    while (this.decided.length > 0 && this.decided.at(-1)!.t >= n) this.decided.pop();
  }

  push(ts: number, close: number, target: number): void {
    if (this.n === this.ts.length) {
      const grow = <T extends Float64Array | Int8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.ts = grow(this.ts);
      this.close = grow(this.close);
      this.target = grow(this.target);
    }
    this.ts[this.n] = ts;
    this.close[this.n] = close;
    this.target[this.n] = target;
    this.n++;
  }

  /** The target in force before bar `i`: the last non-KEEP target before it, 0 at the start. */
  positionBefore(i: number): -1 | 0 | 1 {
    for (let k = Math.min(i, this.n) - 1; k >= 0; k--) {
      const v = this.target[k]!;
      if (v !== KEEP) return v as -1 | 0 | 1;
    }
    return 0;
  }
}
