import { join } from "node:path";
import { isPortfolioStrategy, registry, type Strategy, strategyCodeHash } from "../strategies/mod.ts";
import { StrategyError } from "../types/mod.ts";
import { absolutePath, DEFAULT_STRATEGIES_DIR, sha256Hex } from "./_paths.ts";
import { importStrategy } from "./save_strategy.ts";

/** Options of {@link resolvePromotedStrategy}. */
export interface ResolvePromotedStrategyOptions {
  /** The saved file a promotion recorded (`source` of the event): path (project-relative or absolute) and sha256. */
  source?: { path: string; sha256: string };
  /** Folder of saved strategies, searched for `<name>-<hash12>.js` when no `source` is given. Default `<project>/strategies`. */
  strategiesDir?: string;
}

/**
 * The strategy code a promotion names, checked against its code hash: a built-in (the registry) when the name is
 * registered, else the saved notebook strategy (`source`, or `<strategiesDir>/<name>-<hash12>.js`). Refuses with a
 * `StrategyError` when the code now found hashes differently ("strategy X changed since its promotion (hash a != b):
 * promote the new version"), when a saved file's text is not the one promoted (sha256), or when nothing is found.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolvePromotedStrategy } from "./resolve_promoted_strategy.ts";
 * import { smaCross, strategyCodeHash } from "../strategies/mod.ts";
 * const hash = await strategyCodeHash(smaCross);
 * assert.equal(await resolvePromotedStrategy("sma_cross", hash), smaCross);
 * await assert.rejects(resolvePromotedStrategy("sma_cross", "0".repeat(64)), /changed since its promotion/);
 * ```
 */
export async function resolvePromotedStrategy(
  name: string,
  codeHash: string,
  options: ResolvePromotedStrategyOptions = {},
): Promise<Strategy<any>> {
  if (typeof name !== "string" || !/^[a-z][a-z0-9_]{0,63}$/.test(name)) {
    throw new TypeError(`Invalid strategy name ${JSON.stringify(name)}: a snake_case registry or saved name`);
  }
  if (typeof codeHash !== "string" || !/^[0-9a-f]{64}$/.test(codeHash)) {
    throw new TypeError(`Invalid code hash ${JSON.stringify(codeHash)}: a sha256 hex digest (64 characters)`);
  }
  const changed = (now: string): StrategyError =>
    new StrategyError(
      `strategy ${name} changed since its promotion (hash ${now.slice(0, 12)} != ${
        codeHash.slice(0, 12)
      }): promote the new version`,
    );
  if (options.source === undefined && registry.has(name)) {
    const s = registry.get(name);
    if (isPortfolioStrategy(s)) {
      throw new StrategyError(`${name} is a portfolio strategy; sleeves run single-asset ones`);
    }
    const now = await strategyCodeHash(s);
    if (now !== codeHash) throw changed(now);
    return s as Strategy<any>;
  }
  const path = options.source
    ? absolutePath(options.source.path)
    : join(options.strategiesDir ?? DEFAULT_STRATEGIES_DIR, `${name}-${codeHash.slice(0, 12)}.js`);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new StrategyError(
      `strategy ${name} (hash ${codeHash.slice(0, 12)}) is neither a built-in nor saved at ${path}: ` +
        `save and promote it again from the notebook`,
    );
  }
  const sha = await sha256Hex(text);
  if (options.source && sha !== options.source.sha256) {
    // The file was edited: say what its code hashes to now when it still loads, else what changed.
    const now = await importStrategy(path, sha).then(strategyCodeHash).catch(() => undefined);
    if (now !== undefined && now !== codeHash) throw changed(now);
    throw new StrategyError(
      `${path} changed since strategy ${name} was promoted (sha256 ${sha.slice(0, 12)} != ${
        options.source.sha256.slice(0, 12)
      }): promote the new version`,
    );
  }
  const s = await importStrategy(path, sha);
  if (s.name !== name) {
    throw new StrategyError(`${path} holds strategy ${JSON.stringify(s.name)}, not ${name}: restore the promoted file`);
  }
  const now = await strategyCodeHash(s);
  if (now !== codeHash) throw changed(now);
  return s;
}
