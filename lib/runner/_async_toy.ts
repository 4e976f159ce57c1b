import { z } from "zod";
import { defineStrategy, type PrepareOptions, type Strategy } from "../strategies/mod.ts";

/** What the toy's pre-pass did: bars prepared, and the positions it was shown (by bar time). */
export interface AsyncToyLog {
  prepared: number;
  calls: number;
  positions: Map<number, -1 | 0 | 1>;
}

/**
 * A toy strategy whose signals need an asynchronous pre-pass, for the runners' tests: `prepare` awaits a macrotask
 * per new bar and memoises, by bar time, the decision "close above the close `lag` bars ago" from closes 0..t;
 * `signals` reads the memo and throws for a bar that was not prepared. Long on a turn up, out (and short) on a
 * turn down.
 */
export function asyncToy(): { strategy: Strategy<{ lag: number }>; log: AsyncToyLog } {
  const memo = new Map<string, number>();
  const log: AsyncToyLog = { prepared: 0, calls: 0, positions: new Map() };
  const strategy = defineStrategy({
    name: "async_toy",
    title: "Async toy",
    description: "Long when the close turns above the close lag bars ago, out when it turns below; decided in prepare.",
    params: z.object({ lag: z.number().int().min(1).max(50).default(3) }),
    warmup: (p) => p.lag,
    async prepare(frame, p, options?: PrepareOptions): Promise<void> {
      log.calls++;
      const todo: number[] = [];
      for (let t = 0; t < frame.length; t++) if (!memo.has(`${p.lag}:${frame.ts[t]}`)) todo.push(t);
      let done = 0;
      for (const t of todo) {
        options?.signal?.throwIfAborted();
        await new Promise((r) => setTimeout(r, 0));
        const c = frame.close;
        // Bars 0..t only: a decision that peeked further would differ between a backtest and a runner.
        const d = t < p.lag ? 0 : c[t]! > c[t - p.lag]! ? 1 : -1;
        memo.set(`${p.lag}:${frame.ts[t]}`, d);
        if (options?.position) log.positions.set(frame.ts[t]!, options.position(t));
        log.prepared++;
        options?.progress?.(++done, todo.length);
      }
    },
    signals(frame, p) {
      const n = frame.length;
      const entries = new Uint8Array(n), exits = new Uint8Array(n);
      let prev = NaN;
      for (let t = 0; t < n; t++) {
        const d = memo.get(`${p.lag}:${frame.ts[t]}`);
        if (d === undefined) {
          throw new Error(`async_toy: bar ${t} (ts ${frame.ts[t]}) was not prepared: await prepareStrategy first`);
        }
        entries[t] = d === 1 && prev !== 1 && t > 0 ? 1 : 0;
        exits[t] = d === -1 && prev !== -1 && t > 0 ? 1 : 0;
        prev = d;
      }
      // Shorts mirrored: a turn down enters short, a turn up covers.
      return { kind: "signals", entries, exits, shortEntries: exits, shortExits: entries };
    },
  });
  return { strategy, log };
}
