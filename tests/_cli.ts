// Running the lab's command-line tools as real subprocesses over a test's own data dir: the one helper every CLI
// test uses, so a change of how they are started (permissions, cwd, env) is made once.
import assert from "node:assert/strict";

/** What a finished CLI process said. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** `SENTINEL_DATA_DIR` of the child. */
  dataDir: string;
  /** Deno permission flags; default `-A`. */
  perms?: readonly string[];
  /** Working directory; default the project root (where deno.json is). */
  cwd?: string;
}

/** The project root. */
export const ROOT: string = new URL("..", import.meta.url).pathname;

/** `cli/<name>.ts`. */
export function cliPath(name: string): string {
  return new URL(`../cli/${name}.ts`, import.meta.url).pathname;
}

/** Runs `cli/<name>.ts args...` to the end with NO_COLOR and the given data dir. */
export async function runCli(name: string, args: readonly string[], options: RunCliOptions): Promise<CliRun> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...(options.perms ?? ["-A"]), cliPath(name), ...args],
    cwd: options.cwd ?? ROOT,
    env: { SENTINEL_DATA_DIR: options.dataDir, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: withoutDenoLockNotice(dec.decode(out.stderr)) };
}

/**
 * `stderr` without Deno's own "Blocking waiting for file lock on node_modules directory" line: printed by the runtime,
 * not by our CLI, when several `deno run`s start at once (the tests start up to ten) and one of them checks the shared
 * node_modules folder. Seen twice in CI; a user's single command does not meet it.
 */
export function withoutDenoLockNotice(stderr: string): string {
  return stderr.replace(/^Blocking waiting for file lock on node_modules directory\r?\n/gm, "");
}

/** The single stderr line of a failed run (the house rule for CLI errors); fails the test otherwise. */
export function errorLine(r: CliRun): string {
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `expected one error line, got:\n${r.stderr}`);
  return lines[0]!;
}

/** Runs `fn` with a fresh temp folder, removed afterwards. */
export async function withTempDir(prefix: string, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
