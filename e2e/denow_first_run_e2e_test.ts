// End-to-end: the first `./denow task …` in a fresh clone installs deno and the npm dependencies with one line of
// output (not npm's summary, ~90 "Initialize npm:…" lines and a build-scripts box), and later runs print nothing
// extra. It runs on the Deno cache in use (so npm is reached only for the deno package, through npm's own cache); a
// cold cache (fresh DENO_DIR) was checked by hand: the same single line, then the task, about 47 s to a running lab.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FIRST_RUN = "installing dependencies (first run, about a minute)\n";
// deno task echoes the task it runs (its environment assignments first); that line is deno's, and not install noise.
const TASK_LINE = /^Task data (?:[A-Z_]+=\S+ )*deno run .* cli\/data\.ts '--help'\n$/;

async function sh(cmd: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(cmd, { args, cwd, env: { NO_COLOR: "1" }, stdout: "piped", stderr: "piped" })
    .output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout), stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("./denow's first run in a fresh clone prints one line, then only the task's own output", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sentinel-clone-" });
  try {
    const clone = await sh("git", ["clone", "--quiet", "--no-hardlinks", ROOT, dir], ROOT);
    assert.equal(clone.code, 0, clone.stderr);

    const first = await sh("./denow", ["task", "data", "--help"], dir);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Usage/);
    assert.ok(first.stderr.startsWith(FIRST_RUN), `first run stderr:\n${first.stderr.slice(0, 3000)}`);
    assert.match(first.stderr.slice(FIRST_RUN.length), TASK_LINE, "nothing but the task line after the install line");

    const second = await sh("./denow", ["task", "data", "--help"], dir);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, TASK_LINE);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
