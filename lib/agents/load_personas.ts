import { ConfigError, formatZodIssues } from "../types/mod.ts";
import { checkPersona } from "./_persona_checks.ts";
import { type Persona, PersonaSchema } from "./persona.ts";

/** Options of {@link loadPersonas}. */
export interface LoadPersonasOptions {
  /**
   * Folders of user persona files (`*.json`), read after the built-ins. Default `["personas"]` (the project's
   * folder, relative to the working directory), which may be absent; a folder passed here must exist.
   */
  dirs?: (string | URL)[];
  /** Read the built-in folder `lib/agents/personas/`; default true. */
  builtin?: boolean;
}

/** The built-in personas' folder, next to this file (works from a fresh clone). */
const BUILTIN_DIR = new URL("./personas/", import.meta.url);

/**
 * Reads every persona file (`*.json`, other names such as `*.json.sample` are skipped) from the built-in folder and
 * the user's folders, validates each against `PersonaSchema` and the checks the schema cannot express, and returns
 * them sorted by name. A bad file is a `ConfigError` naming the file, the field path, the value seen and the fix; two
 * files defining one name is a `ConfigError` naming both.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadPersonas } from "./load_personas.ts";
 * const personas = await loadPersonas({ dirs: [] });
 * assert.ok(personas.some((p) => p.name === "rule_trend" && p.kind === "rule"));
 * ```
 */
export async function loadPersonas(options: LoadPersonasOptions = {}): Promise<Persona[]> {
  const dirs: { dir: string | URL; optional: boolean }[] = [];
  if (options.builtin ?? true) dirs.push({ dir: BUILTIN_DIR, optional: false });
  if (options.dirs === undefined) dirs.push({ dir: "personas", optional: true });
  else for (const dir of options.dirs) dirs.push({ dir, optional: false });

  const byName = new Map<string, { persona: Persona; file: string }>();
  for (const { dir, optional } of dirs) {
    const names: string[] = [];
    try {
      for await (const e of Deno.readDir(dir)) if (e.isFile && e.name.endsWith(".json")) names.push(e.name);
    } catch (e) {
      if (optional && e instanceof Deno.errors.NotFound) continue;
      throw new ConfigError(
        `cannot read the persona folder ${show(dir)}: ${(e as Error).message}; create it or fix the path`,
      );
    }
    names.sort();
    for (const name of names) {
      const url = typeof dir === "string" ? `${dir.replace(/\/+$/, "")}/${name}` : new URL(name, withSlash(dir));
      const file = show(url);
      const persona = parseFile(await Deno.readTextFile(url), file);
      const other = byName.get(persona.name);
      if (other !== undefined) {
        throw new ConfigError(
          `persona ${JSON.stringify(persona.name)} is defined twice, in ${other.file} and in ${file}; rename one ` +
            `(its "name" field) or remove it`,
        );
      }
      byName.set(persona.name, { persona, file });
    }
  }
  return [...byName.values()].map((v) => v.persona).sort((a, b) => a.name < b.name ? -1 : 1);
}

function parseFile(text: string, file: string): Persona {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file}: not valid JSON (${(e as Error).message}); fix the syntax`);
  }
  const r = PersonaSchema.safeParse(json);
  if (!r.success) {
    throw new ConfigError(
      `${file}: invalid persona: ${formatZodIssues(r.error, json)}; see personas/README.md for the fields`,
    );
  }
  checkPersona(r.data, file);
  return r.data;
}

function withSlash(u: URL): URL {
  return u.pathname.endsWith("/") ? u : new URL(`${u.href}/`);
}

function show(p: string | URL): string {
  return p instanceof URL ? (p.protocol === "file:" ? decodeURIComponent(p.pathname) : p.href) : p;
}
