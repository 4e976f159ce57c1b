import { rollingExtreme } from "../_rolling_extreme.ts";
import { mulberry32 } from "../../testing/mod.ts";
import { RollingExtreme } from "./_rolling_extreme.ts";
import { assertSameSeries } from "./_test_utils.ts";

// Few distinct values (ties everywhere), signed zeros, holes and monotone stretches.
function nasty(n: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const pool = [0, -0, 1, -1, 2, 0.5, NaN, Infinity, -Infinity];
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rand();
    x[i] = r < 0.3 ? pool[Math.floor(rand() * 6)]! : r < 0.33 ? pool[6 + Math.floor(rand() * 3)]! : r < 0.6 ? i : -i;
  }
  return x;
}

Deno.test("RollingExtreme equals the vectorized block algorithm bit for bit", () => {
  for (let seed = 1; seed <= 30; seed++) {
    const x = nasty(700, seed);
    for (const period of [1, 2, 3, 5, 14, 64, 701]) {
      for (const sign of [1, -1] as const) {
        const want = new Float64Array(x.length);
        rollingExtreme(x, period, sign, want, new Float64Array(x.length));
        const s = new RollingExtreme(period, sign);
        assertSameSeries(x.map((v) => s.update(v)), want, `seed ${seed} period ${period} sign ${sign}`);
      }
    }
  }
});
