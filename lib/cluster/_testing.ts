// Test helpers: worker processes (`cli/worker.ts`) and a coordinator process, started and stopped by id.
import { fileURLToPath as fromFileUrl } from "node:url";

export interface Proc {
  child: Deno.ChildProcess;
  /** SIGTERM and wait (the worker closes cleanly). */
  stop(): Promise<Deno.CommandStatus>;
  /** SIGKILL, as a crash. */
  kill(): void;
  /** stderr so far (read in the background). */
  stderr(): string;
  /** stdout so far (read in the background). */
  stdout(): string;
  status: Promise<Deno.CommandStatus>;
}

const ROOT = fromFileUrl(new URL("../../", import.meta.url));

export function spawnDeno(script: string, args: string[], env: Record<string, string> = {}): Proc {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", fromFileUrl(new URL(script, new URL("../../", import.meta.url))), ...args],
    cwd: ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let err = "";
  const dec = new TextDecoder();
  const reading = (async () => {
    for await (const b of child.stderr) err += dec.decode(b, { stream: true });
  })();
  let out = "";
  const outDec = new TextDecoder();
  const drain = (async () => {
    for await (const b of child.stdout) out += outDec.decode(b, { stream: true });
  })();
  const status = (async () => {
    const s = await child.status;
    await Promise.allSettled([reading, drain]);
    return s;
  })();
  let done = false;
  status.then(() => (done = true));
  return {
    child,
    status,
    stderr: () => err,
    stdout: () => out,
    kill: () => {
      if (!done) {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }
    },
    stop: async () => {
      if (!done) {
        try {
          child.kill("SIGTERM");
        } catch { /* gone */ }
      }
      const t = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }, 15_000);
      try {
        return await status;
      } finally {
        clearTimeout(t);
      }
    },
  };
}

export function spawnWorker(
  redis: string,
  dataDir: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Proc {
  return spawnDeno("cli/worker.ts", ["--redis", redis, "--data-dir", dataDir, ...args], env);
}

/** Polls `check` every 50 ms until it is true; throws after `timeoutMs` with `what`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
