// Test fixture: a real Store in a temp dir holding tiny series of closes, for the readers' price tests.
import { Frame } from "../frame/mod.ts";
import { Store } from "../store/mod.ts";

/** One stored series: `exchange:SYMBOL:timeframe` and its bars as [ISO open time, close]. */
export type PriceSeries = Record<string, [string, number][]>;

/** Runs `fn` with a data dir whose store holds `series`; removes it after. */
export async function withPriceStore(series: PriceSeries, fn: (dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = await Deno.makeTempDir({ prefix: "tax_prices_" });
  try {
    const store = await Store.open({ dir: dataDir });
    try {
      for (const [key, bars] of Object.entries(series)) {
        const [exchange, symbol, timeframe] = [
          key.slice(0, key.indexOf(":")),
          key.slice(key.indexOf(":") + 1, key.lastIndexOf(":")),
          key.slice(key.lastIndexOf(":") + 1),
        ];
        const frame = Frame.fromBars(
          bars.map(([iso, close]) => ({ ts: Date.parse(iso), open: close, high: close, low: close, close, volume: 1 })),
        );
        await store.append({ exchange: exchange!, symbol: symbol!, timeframe: timeframe! }, frame);
      }
    } finally {
      store.close();
    }
    await fn(dataDir);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
}
