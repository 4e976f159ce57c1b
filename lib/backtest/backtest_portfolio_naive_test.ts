// A naive, per-bar re-implementation of the portfolio rules for target weights (long only),
// written from the module doc of simulate_portfolio.ts with plain arrays and maps, checked
// against simulatePortfolio on random frames with random gaps: pending next-open orders on
// missing bars (item 17), pro-rata buys when cash is short and sells whose fixed fee exceeds
// their proceeds (item 18).
import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { simulatePortfolio } from "./simulate_portfolio.ts";
import { prng } from "./_testing.ts";

interface Opts {
  fill: "next_open" | "close";
  fee: number;
  fixedFee: number;
  spread: number;
  lot: number;
  minNotional: number;
  cash: number;
}

interface Naive {
  equity: number[];
  skipped: { minNotional: number; lotZero: number; insufficientCash: number; missingBar: number };
  orders: number;
}

function naive(assets: { ts: number[]; open: number[]; close: number[] }[], W: number[][], o: Opts): Naive {
  const ts = [...new Set(assets.flatMap((a) => a.ts))].sort((x, y) => x - y);
  const row = assets.map((a) => new Map(a.ts.map((t, i) => [t, i])));
  const A = assets.length;
  const units = new Array<number>(A).fill(0);
  const last = new Array<number>(A).fill(NaN);
  const skipped = { minNotional: 0, lotZero: 0, insufficientCash: 0, missingBar: 0 };
  const pending = new Map<number, number>();
  const floorLot = (q: number) => (o.lot > 0 ? Math.floor(q / o.lot + 1e-9) * o.lot : q);
  const bm = 1 + o.spread / 2, sm = 1 - o.spread / 2;
  let cash = o.cash, orders = 0;
  const equity: number[] = [];
  const mark = (a: number, px: number[]) => (Number.isNaN(px[a]!) ? last[a]! : px[a]!);

  const rebalance = (targets: Map<number, number>, px: number[]) => {
    let E = cash;
    for (let a = 0; a < A; a++) if (units[a] !== 0) E += units[a]! * mark(a, px);
    const d = new Map<number, number>();
    for (const [a, w0] of targets) {
      if (Number.isNaN(px[a]!)) {
        skipped.missingBar++;
        continue;
      }
      const w = Math.max(0, w0);
      const delta = w === 0 ? -units[a]! : (w * E) / px[a]! - units[a]!;
      if (w === 0 || Math.abs(delta * px[a]!) > 1e-12 * Math.abs(E)) d.set(a, delta);
    }
    for (const [a, delta] of d) {
      if (!(delta < 0)) continue;
      let q = targets.get(a) === 0 ? units[a]! : floorLot(-delta);
      if (q <= 0) {
        skipped.lotZero++;
        continue;
      }
      if (Math.abs(units[a]! - q) <= 1e-9 * units[a]!) q = units[a]!;
      const notional = q * (px[a]! * sm);
      if (q !== units[a] && notional < o.minNotional) {
        skipped.minNotional++;
        continue;
      }
      if (q * px[a]! * sm * (1 - o.fee) < o.fixedFee) {
        skipped.minNotional++;
        continue;
      }
      cash += notional - (notional * o.fee + o.fixedFee);
      units[a] = q === units[a] ? 0 : units[a]! - q;
      orders++;
    }
    const buys = new Map<number, number>();
    for (const [a, delta] of d) {
      if (!(delta > 0)) continue;
      const q = floorLot(delta);
      if (q > 0) buys.set(a, q);
      else skipped.lotZero++;
    }
    let s = 1;
    for (;;) {
      if (buys.size === 0) return;
      let cost = 0;
      for (const [a, q] of buys) cost += q * px[a]! * bm * (1 + o.fee);
      if (cost + buys.size * o.fixedFee <= cash) {
        s = 1;
        break;
      }
      s = (cash - buys.size * o.fixedFee) / cost;
      if (!(s > 0)) {
        skipped.insufficientCash += buys.size;
        return;
      }
      let dropped = false;
      for (const [a, q] of [...buys]) {
        const qs = floorLot(q * s);
        if (!(qs > 0)) (skipped.lotZero++, buys.delete(a), (dropped = true));
        else if (qs * px[a]! * bm < o.minNotional) (skipped.minNotional++, buys.delete(a), (dropped = true));
      }
      if (!dropped) break;
    }
    for (const [a, q0] of [...buys].sort((x, y) => x[0] - y[0])) {
      let q = s === 1 ? q0 : floorLot(q0 * s);
      const price = px[a]! * bm;
      const most = (cash - o.fixedFee) / (price * (1 + o.fee));
      if (q > most) {
        q = floorLot(most);
        if (!(q > 0)) {
          skipped.insufficientCash++;
          continue;
        }
      }
      if (q * price < o.minNotional) {
        skipped.minNotional++;
        continue;
      }
      // The book's order of operations, so that cash left at exactly 0 rounds alike.
      const notional = q * price;
      cash -= notional + (notional * o.fee + o.fixedFee);
      units[a] = units[a]! + q;
      orders++;
    }
  };

  for (let u = 0; u < ts.length; u++) {
    const at = (a: number) => row[a]!.get(ts[u]!);
    if (o.fill === "next_open" && pending.size > 0) {
      const due = new Map<number, number>();
      for (const [a, w] of pending) if (at(a) !== undefined) due.set(a, w);
      for (const a of due.keys()) pending.delete(a);
      const px = assets.map((x, a) => (at(a) === undefined ? NaN : x.open[at(a)!]!));
      if (due.size > 0) rebalance(due, px);
    }
    const px = assets.map((x, a) => (at(a) === undefined ? NaN : x.close[at(a)!]!));
    for (let a = 0; a < A; a++) if (!Number.isNaN(px[a]!)) last[a] = px[a]!;
    const targets = new Map<number, number>();
    for (let a = 0; a < A; a++) {
      const w = W[a]![u]!;
      if (Number.isNaN(w)) continue;
      if (o.fill === "close") {
        if (at(a) === undefined) skipped.missingBar++;
        else targets.set(a, w);
      } else if (u + 1 < ts.length) pending.set(a, w);
    }
    if (o.fill === "close" && targets.size > 0) rebalance(targets, px);
    let e = cash;
    for (let a = 0; a < A; a++) if (units[a] !== 0) e += units[a]! * last[a]!;
    equity.push(e);
  }
  skipped.missingBar += pending.size;
  return { equity, skipped, orders };
}

Deno.test("simulatePortfolio (weights, long) agrees with a naive per-bar reference on random gappy frames", () => {
  const rnd = prng(7);
  for (let trial = 0; trial < 120; trial++) {
    const A = 2 + Math.floor(rnd() * 3), n = 40 + Math.floor(rnd() * 60);
    const assets = Array.from({ length: A }, () => {
      const ts: number[] = [], open: number[] = [], close: number[] = [];
      let p = 5 + rnd() * 100;
      for (let i = 0; i < n; i++) {
        p *= 1 + (rnd() - 0.5) * 0.1;
        if (rnd() < 0.15) continue; // a gap
        ts.push(i);
        open.push(p * (1 + (rnd() - 0.5) * 0.02));
        close.push(p);
      }
      return { ts, open, close };
    });
    const U = new Set(assets.flatMap((a) => a.ts)).size;
    const W = assets.map(() =>
      Array.from({ length: U }, () => {
        const r = rnd();
        return r < 0.6 ? NaN : r < 0.7 ? 0 : rnd() * 0.6;
      })
    );
    const o: Opts = {
      fill: rnd() < 0.5 ? "close" : "next_open",
      fee: [0, 0.001, 0.02][trial % 3]!,
      fixedFee: [0, 0.5, 30][Math.floor(rnd() * 3)]!,
      spread: rnd() < 0.5 ? 0 : 0.002,
      lot: [0, 0.01, 1][Math.floor(rnd() * 3)]!,
      minNotional: rnd() < 0.7 ? 0 : 20,
      cash: 1000,
    };
    const ref = naive(assets, W, o);
    const frames: Record<string, Frame> = {}, sig: Record<string, { kind: "weights"; weights: Float64Array }> = {};
    assets.forEach((x, a) => {
      frames[`x${a}`] = new Frame(Float64Array.from(x.ts), {
        open: Float64Array.from(x.open),
        close: Float64Array.from(x.close),
      });
      sig[`x${a}`] = { kind: "weights", weights: Float64Array.from(W[a]!) };
    });
    const r = simulatePortfolio(frames, sig, { ...o, finalize: "open" });
    const what = `trial ${trial} ${JSON.stringify(o)}`;
    assert.equal(r.equity.length, ref.equity.length, what);
    for (let u = 0; u < ref.equity.length; u++) {
      const e = ref.equity[u]!;
      assert.ok(
        Math.abs(r.equity[u]! - e) <= 1e-9 * Math.max(1, Math.abs(e)),
        `${what} bar ${u}: ${r.equity[u]} vs ${e}`,
      );
    }
    assert.deepEqual(r.skipped, ref.skipped, what);
    assert.equal(r.orders.length, ref.orders, what);
  }
});

Deno.test("momentum_rotation every bar over the ADA/ETH/LTC samples (ADA has gaps) agrees with the naive reference", async () => {
  const { readCsv } = await import("../data/mod.ts");
  const { runPortfolioBacktest } = await import("./backtest_portfolio.ts");
  const dir = new URL("../../data/samples/", import.meta.url);
  const names = ["ADA_BTC-5m.csv", "ETH_BTC-5m.csv", "LTC_BTC-5m.csv"];
  const frames: Record<string, Frame> = {};
  for (const n of names) frames[n] = (await readCsv(new URL(n, dir))).frame;
  const r = await runPortfolioBacktest({
    frames,
    strategy: "momentum_rotation",
    params: { lookback: 48, every: 1, k: 1 },
    options: { fee: 0.001, finalize: "open" },
    timeframe: "5m",
  });
  // The strategy's weights on the union timeline, recomputed from the aligned closes: the best
  // trailing return gets 1, the others 0 (a missing close has no return).
  const ts = r.sim.ts;
  const pos = new Map<number, number>();
  ts.forEach((t, u) => pos.set(t, u));
  const closes = names.map((n) => {
    const c = new Array<number>(ts.length).fill(NaN);
    const f = frames[n]!;
    for (let i = 0; i < f.length; i++) c[pos.get(f.ts[i]!)!] = f.close[i]!;
    return c;
  });
  const W = names.map(() => new Array<number>(ts.length).fill(NaN));
  for (let t = 48; t < ts.length; t++) {
    let best = -1, bestRet = -Infinity;
    closes.forEach((c, j) => {
      const now = c[t]!, then = c[t - 48]!;
      const ret = now > 0 && then > 0 ? now / then - 1 : NaN;
      if (ret > bestRet) (best = j), (bestRet = ret);
    });
    for (let j = 0; j < names.length; j++) W[j]![t] = j === best ? 1 : 0;
  }
  const ref = naive(
    names.map((n) => ({ ts: [...frames[n]!.ts], open: [...frames[n]!.open], close: [...frames[n]!.close] })),
    W,
    { fill: "next_open", fee: 0.001, fixedFee: 0, spread: 0, lot: 0, minNotional: 0, cash: 10_000 },
  );
  assert.equal(r.sim.equity.length, ref.equity.length);
  for (let u = 0; u < ref.equity.length; u++) {
    const e = ref.equity[u]!;
    assert.ok(Math.abs(r.sim.equity[u]! - e) <= 1e-9 * e, `bar ${u}: ${r.sim.equity[u]} vs ${e}`);
  }
  // The open position marked at the last close; tests/golden_backtest_test.ts pins the run with
  // finalize "close" (exit costs paid): 755.6451312225449.
  assert.ok(Math.abs(ref.equity.at(-1)! - 756.4015327553002) <= 1e-9 * 756.4, `${ref.equity.at(-1)}`);
  assert.deepEqual(r.sim.skipped, ref.skipped);
  assert.equal(r.sim.orders.length, ref.orders);
});
