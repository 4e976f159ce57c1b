// Small deterministic series for the figure tests (closed-form, no RNG), 30 daily bars.
export const DAY = 86_400_000;
export const N = 30;
export const T0: number = Date.UTC(2024, 0, 1);
export const ts: Float64Array = Float64Array.from({ length: N }, (_, i) => T0 + i * DAY);
export const close: Float64Array = Float64Array.from({ length: N }, (_, i) => 100 + 10 * Math.sin(i / 4) + i * 0.5);
export const open: Float64Array = Float64Array.from(close, (_, i) => i === 0 ? 100 : close[i - 1]!);
export const high: Float64Array = Float64Array.from(close, (c, i) => Math.max(c, open[i]!) + 1);
export const low: Float64Array = Float64Array.from(close, (c, i) => Math.min(c, open[i]!) - 1);
export const equity: Float64Array = Float64Array.from(close, (c) => c * 100);
