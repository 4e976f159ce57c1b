// Which exchanges a live account trades on: each sleeve paired with the vault key for its exchange, and the
// per-exchange REST/websocket origins of --api-url/--ws-url.
import type { SleeveSpec } from "../lib/runner/mod.ts";
import { UsageError } from "../cli/_cli.ts";

/** One exchange the account trades on: the vault key for it and the symbols its sleeves trade there. */
export interface Venue {
  exchange: string;
  keyName: string;
  symbols: string[];
}

/**
 * Pairs every sleeve's exchange with the account's vault key for it: each sleeve's exchange needs a key, each key's
 * exchange a sleeve, one key per exchange and one exchange per symbol. A sleeve of an old promotion without a
 * market trades on the key's exchange when there is one key (as before), and is refused when there are several.
 */
export function venuesOf(
  name: string,
  sleeves: readonly SleeveSpec[],
  keyNames: readonly string[],
  vaultKeys: readonly { name: string; exchange: string }[],
): Venue[] {
  const byExchange = new Map<string, Venue>();
  for (const keyName of keyNames) {
    const entry = vaultKeys.find((k) => k.name === keyName);
    if (entry === undefined) {
      throw new UsageError(
        `there is no key ${keyName} in the vault: add it with deno task vault add ${keyName} --exchange ID`,
      );
    }
    const other = byExchange.get(entry.exchange);
    if (other !== undefined) {
      throw new UsageError(
        `vault keys ${other.keyName} and ${keyName} are both for ${entry.exchange}: an account trades with one key ` +
          "per exchange; keep one of them in --key (or in its account.json)",
      );
    }
    byExchange.set(entry.exchange, { exchange: entry.exchange, keyName, symbols: [] });
  }
  const only = byExchange.size === 1 ? [...byExchange.values()][0] : undefined;
  const symbolAt = new Map<string, SleeveSpec>();
  for (const s of sleeves) {
    const exchange = s.exchange ?? only?.exchange;
    if (exchange === undefined) {
      throw new UsageError(
        `sleeve ${s.id} of ${name} was promoted without a market, and the account has keys on several exchanges: ` +
          `promote it again with --market exchange:${s.symbol}:timeframe`,
      );
    }
    const venue = byExchange.get(exchange);
    if (venue === undefined) {
      throw new UsageError(
        `sleeve ${s.id} of ${name} trades on ${exchange} (its promotion's market), and the account has no vault key ` +
          `for ${exchange} (keys: ${keyNames.join(", ")} on ${[...byExchange.keys()].join(", ")}): add one with ` +
          `deno task vault add NAME --exchange ${exchange} and pass --key NAME for each exchange`,
      );
    }
    const first = symbolAt.get(s.symbol);
    if (first !== undefined && (first.exchange ?? only?.exchange) !== exchange) {
      throw new UsageError(
        `${s.symbol} is promoted on ${first.exchange ?? only?.exchange} (${first.id}) and on ${exchange} (${s.id}) ` +
          `in account ${name}: one market per symbol per account; trade the other in a second account`,
      );
    }
    symbolAt.set(s.symbol, s);
    if (!venue.symbols.includes(s.symbol)) venue.symbols.push(s.symbol);
  }
  for (const v of byExchange.values()) {
    if (v.symbols.length === 0) {
      throw new UsageError(
        `vault key ${v.keyName} is for ${v.exchange}, where no strategy of ${name} is promoted: drop it from --key ` +
          `(or from its account.json), or promote a strategy with --market ${v.exchange}:SYMBOL:timeframe`,
      );
    }
    v.symbols.sort();
  }
  return [...byExchange.values()].sort((a, b) => a.exchange < b.exchange ? -1 : a.exchange > b.exchange ? 1 : 0);
}

/**
 * `--api-url` / `--ws-url` values by exchange: `ID=URL` names the exchange; a bare URL means the only one (refused
 * when the account trades on several, which would leave the others guessing).
 */
export function urlsByExchange(flag: string, given: readonly string[], venues: readonly Venue[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of given) {
    // A URL's own `=` (a query) comes after its scheme's `:`: only a prefix without `:` names an exchange.
    const m = /^([^:=/]+)=(.+)$/.exec(g);
    const exchange = m?.[1] ?? (venues.length === 1 ? venues[0]!.exchange : undefined);
    const url = m?.[2] ?? g;
    if (exchange === undefined) {
      throw new UsageError(
        `${flag} ${g} names no exchange and the account trades on ${venues.map((v) => v.exchange).join(", ")}: ` +
          `write it ${flag} ID=URL, once per exchange`,
      );
    }
    if (!venues.some((v) => v.exchange === exchange)) {
      throw new UsageError(
        `${flag} names ${exchange}, which the account does not trade on (${
          venues.map((v) => v.exchange).join(", ")
        }): use one of those ids`,
      );
    }
    if (out.has(exchange)) throw new UsageError(`${flag} is given twice for ${exchange}: give one URL per exchange`);
    out.set(exchange, url);
  }
  return out;
}
