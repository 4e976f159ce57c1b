import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { writeFileAtomic } from "../fs/mod.ts";
import * as indicators from "../indicators/mod.ts";
import * as strategies from "../strategies/mod.ts";
import { type AnyStrategy, isPortfolioStrategy, type Strategy, strategyCodeHash } from "../strategies/mod.ts";
import { StrategyError } from "../types/mod.ts";
import { DEFAULT_STRATEGIES_DIR, PROJECT_ROOT, recordedPath, sha256Hex } from "./_paths.ts";
import { smokeRun } from "./_smoke_run.ts";

/** Options of {@link saveStrategy}. */
export interface SaveStrategyOptions {
  /** Folder of saved strategies. Default `<project>/strategies`. */
  dir?: string;
  /**
   * The module text to save instead of the generated one (its default export must be the strategy). For a strategy
   * whose functions call helpers of their own, which the generated module cannot see.
   */
  source?: string;
}

/** A strategy saved as a module file, loaded back and hash-checked. */
export interface SavedStrategy {
  /** Absolute path of the file (`<dir>/<name>-<hash12>.js`). */
  path: string;
  /** The path as a promotion records it: project-relative when inside the project. */
  recordedPath: string;
  /** SHA-256 (hex) of the file's text. */
  sha256: string;
  /** {@link strategyCodeHash} of the strategy, equal for the object given and the module loaded. */
  codeHash: string;
  /** The strategy as imported from the file: what the runner runs. */
  strategy: Strategy<any>;
  /** False when an identical file was already there. */
  created: boolean;
}

/**
 * Saves a strategy defined in a notebook cell as a module file in the project, so that the runner imports exactly
 * that code: `<dir>/<name>-<first 12 of the code hash>.js`, then imports the file, checks that its
 * {@link strategyCodeHash} equals the object's, and runs it once on synthetic bars (a helper the functions call but
 * the file lacks fails there, not in the runner). Any failure removes the new file and throws a `StrategyError`
 * saying why.
 *
 * The file is generated from what the object holds: each function's `toString()` (the code hash is made of those
 * texts), the params' JSON Schema rebuilt with `z.fromJSONSchema`, each `refine` with its source, path and message,
 * under a fixed preamble importing `z`, every export of `lib/indicators/mod.ts` and of `lib/strategies/mod.ts`. It is
 * JavaScript, not TypeScript, on purpose: a notebook's functions are already compiled to JavaScript, and Deno would
 * re-print a `.ts` file through its compiler, which changes the function texts and so the hash; a `.js` file is
 * run as written. A file of the same name with other content is never overwritten (refused).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { crossedAbove, crossedBelow, sma } from "../indicators/mod.ts";
 * import { defineStrategy, directContext, strategyCodeHash } from "../strategies/mod.ts";
 * import { saveStrategy } from "./save_strategy.ts";
 * const priceCross = defineStrategy({
 *   name: "price_cross",
 *   title: "Price crosses SMA",
 *   description: "Long when the close crosses above its moving average, out when it crosses below.",
 *   params: z.object({ period: z.number().int().min(2).max(500).default(20) }),
 *   warmup: (p) => p.period,
 *   signals(frame, p, ctx = directContext(frame)) {
 *     const avg = ctx.indicator(`sma:close:${p.period}`, (f) => sma(f.close, p.period));
 *     return { kind: "signals", entries: crossedAbove(frame.close, avg), exits: crossedBelow(frame.close, avg) };
 *   },
 * });
 * const dir = await Deno.makeTempDir();
 * const saved = await saveStrategy(priceCross, { dir });
 * assert.match(saved.path, /price_cross-[0-9a-f]{12}\.js$/);
 * assert.equal(await strategyCodeHash(saved.strategy), await strategyCodeHash(priceCross));
 * assert.equal((await saveStrategy(priceCross, { dir })).created, false);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveStrategy(strategy: AnyStrategy, options: SaveStrategyOptions = {}): Promise<SavedStrategy> {
  if (strategy === null || typeof strategy !== "object" || typeof strategy.name !== "string") {
    throw new TypeError(`saveStrategy: pass a strategy object (defineStrategy({...})), got ${typeof strategy}`);
  }
  if (isPortfolioStrategy(strategy)) {
    throw new TypeError(
      `saveStrategy: ${strategy.name} is a portfolio strategy; the paper runner runs single-asset strategies only`,
    );
  }
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(strategy.name)) {
    throw new TypeError(`saveStrategy: strategy name ${JSON.stringify(strategy.name)} is not snake_case (a-z, 0-9, _)`);
  }
  const dir = options.dir ?? DEFAULT_STRATEGIES_DIR;
  const codeHash = await strategyCodeHash(strategy);
  const path = join(dir, `${strategy.name}-${codeHash.slice(0, 12)}.js`);
  const text = options.source ?? moduleText(strategy as Strategy<any>, codeHash, dir);
  const sha256 = await sha256Hex(text);
  await Deno.mkdir(dir, { recursive: true });
  let created = true;
  try {
    await writeFileAtomic(path, text, { noReplace: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    const existing = await sha256Hex(await Deno.readTextFile(path));
    if (existing !== sha256) {
      throw new StrategyError(
        `${path} already exists with other content (sha256 ${existing.slice(0, 12)} != ${sha256.slice(0, 12)}): ` +
          `it is never overwritten; if nothing was promoted from it, delete it and save again`,
      );
    }
    created = false;
  }
  try {
    const loaded = await importStrategy(path, sha256).catch((e: Error) => {
      throw new StrategyError(
        `the saved module ${path} of ${strategy.name} fails to load: ${e?.message}` +
          (e?.name === "ReferenceError"
            ? "; a function of the strategy (a refine, a warmup) uses a variable from outside it: inline it, or pass " +
              "the module text as `source`"
            : ""),
      );
    });
    const loadedHash = await strategyCodeHash(loaded);
    if (loadedHash !== codeHash) {
      throw new StrategyError(
        `the saved module ${path} does not reproduce ${strategy.name}'s code hash (${loadedHash.slice(0, 12)} != ` +
          `${codeHash.slice(0, 12)}): its functions or params schema read differently once saved; pass the module's ` +
          `text as \`source\` (a file whose default export is the strategy)`,
      );
    }
    smokeRun(loaded, path);
    return { path, recordedPath: recordedPath(path), sha256, codeHash, strategy: loaded, created };
  } catch (e) {
    if (created) await Deno.remove(path).catch(() => {});
    throw e;
  }
}

/** Imports a saved strategy module; the content hash in the URL keeps an edited file from hitting the module cache. */
export async function importStrategy(path: string, sha256: string): Promise<Strategy<any>> {
  const url = `${pathToFileURL(path).href}?sha256=${sha256}`;
  const mod = await import(url) as { default?: unknown };
  const s = mod.default as Strategy<any> | undefined;
  if (s === null || typeof s !== "object" || typeof s.signals !== "function") {
    throw new StrategyError(`${path} has no strategy as its default export: export default defineStrategy({...})`);
  }
  return s;
}

const FUNCTIONS = ["warmup", "indicators", "crossover", "signals"] as const;

/** The generated module: preamble, the params schema, the strategy object from its functions' texts. */
function moduleText(strategy: Strategy<any>, codeHash: string, dir: string): string {
  const lib = (mod: string): string => {
    const rel = relative(dir, join(PROJECT_ROOT, "lib", mod, "mod.ts")).replaceAll("\\", "/");
    return rel.startsWith(".") ? rel : `./${rel}`;
  };
  const names = (mod: Record<string, unknown>): string =>
    Object.keys(mod).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && !RESERVED.has(k)).sort().join(", ");
  const schema = z.toJSONSchema(strategy.params, { io: "input" });
  const refines = refinements(strategy.params).map((r) =>
    `.refine(${r.fn}, ${
      JSON.stringify({ ...(r.path ? { path: r.path } : {}), ...(r.message ? { message: r.message } : {}) })
    })`
  ).join("");
  const fields: string[] = [
    `name: ${JSON.stringify(strategy.name)},`,
    `title: ${JSON.stringify(strategy.title)},`,
    `description: ${JSON.stringify(strategy.description)},`,
    ...(strategy.version !== undefined ? [`version: ${JSON.stringify(strategy.version)},`] : []),
    `params: z.object(z.fromJSONSchema(paramsJsonSchema).shape)${refines},`,
  ];
  for (const key of FUNCTIONS) {
    const f = (strategy as unknown as Record<string, unknown>)[key];
    if (typeof f !== "function") continue;
    const src = f.toString();
    // A method (`signals(frame, p) {...}`) goes in as a method, an arrow or function expression after `key:`, so
    // that toString() of the loaded function is the same text.
    fields.push(isMethodText(src) ? `${src},` : `${key}: ${src},`);
  }
  return [
    "// deno-lint-ignore-file",
    "// deno-fmt-ignore-file",
    `// Strategy ${strategy.name}, saved by lib/promotion's saveStrategy from the object a notebook defined. The runner`,
    "// imports this file. Do not edit it: its code hash is checked on every load, and a changed strategy is a new",
    "// version that needs its own promotion (save and promote it again).",
    'import { z } from "zod";',
    `import { ${names(indicators)} } from ${JSON.stringify(lib("indicators"))};`,
    `import { ${names(strategies)} } from ${JSON.stringify(lib("strategies"))};`,
    "",
    `/** strategyCodeHash of the strategy below. */`,
    `export const codeHash = ${JSON.stringify(codeHash)};`,
    "",
    `const paramsJsonSchema = ${JSON.stringify(schema, null, 2)};`,
    "",
    "export default defineStrategy({",
    ...fields.map((f) => `  ${f}`),
    "});",
    "",
  ].join("\n");
}

/** Names the generated module defines itself. */
const RESERVED = new Set(["z", "codeHash", "paramsJsonSchema", "default"]);

function isMethodText(src: string): boolean {
  try {
    // Compiles only (never runs): an arrow or `function` text is a syntax error in a method position.
    new Function(`return {${src}\n};`);
    return true;
  } catch {
    return false;
  }
}

interface Refinement {
  fn: string;
  path?: PropertyKey[];
  message?: string;
}

// The same checks strategyCodeHash reads (`_zod.def.checks[].fn`), with the path and message they report.
function refinements(schema: z.ZodType): Refinement[] {
  const checks = (schema as unknown as { _zod?: { def?: { checks?: unknown[] } } })._zod?.def?.checks ?? [];
  const out: Refinement[] = [];
  for (const c of checks) {
    const def = (c as { _zod?: { def?: { fn?: unknown; path?: unknown; error?: unknown } } })._zod?.def;
    if (typeof def?.fn !== "function") continue;
    let message: unknown;
    try {
      message = typeof def.error === "function" ? def.error({}) : undefined;
    } catch {
      message = undefined;
    }
    out.push({
      fn: def.fn.toString(),
      ...(Array.isArray(def.path) ? { path: def.path as PropertyKey[] } : {}),
      ...(typeof message === "string" ? { message } : {}),
    });
  }
  return out;
}
