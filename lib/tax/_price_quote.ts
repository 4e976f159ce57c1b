// A price with where it came from, from any PriceSource (quote() when it has one).
import type { PriceQuote, PriceSource } from "./price_source.ts";

export async function priceQuote(prices: PriceSource, asset: string, time: number, what: string): Promise<PriceQuote> {
  if (prices.quote) return await prices.quote(asset, time, what);
  return { price: await prices.price(asset, time, what), source: "the price source" };
}
