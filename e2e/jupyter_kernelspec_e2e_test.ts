// End-to-end: the committed kernelspec (jupyter/kernels/deno) starts the project's pinned deno through ./denow, so
// `JUPYTER_PATH=$PWD/jupyter jupyter notebook notebooks/` works on a machine without deno on PATH. Jupyter's own
// client (jupyter-client, Debian's jupyter-nbconvert) finds the kernelspec, starts the kernel and runs a cell.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PYTHON = "/usr/bin/python3";
// Only the system's binaries: no deno (it lives in ~/.deno/bin, ~/.cargo/bin, /usr/local/bin, … when installed).
const PATH_WITHOUT_DENO = "/usr/bin:/bin";

// jupyter/run_notebook.py (the executor of `deno task notebooks:run`) asks jupyter-client for the kernel named
// "deno", which it looks up on JUPYTER_PATH; a client that stops at the first "idle" could miss the output.
const DRIVER = join(ROOT, "jupyter", "run_notebook.py");
const NOTEBOOK = {
  cells: [{
    cell_type: "code",
    id: "version",
    metadata: {},
    execution_count: null,
    outputs: [],
    source: "console.log(`${Deno.version.deno} ${Deno.cwd()}`);",
  }],
  metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
  nbformat: 4,
  nbformat_minor: 5,
};

Deno.test("the committed kernelspec runs the pinned deno through ./denow, with no deno on PATH", async () => {
  const which = await new Deno.Command("/bin/sh", {
    args: ["-c", "command -v deno"],
    env: { PATH: PATH_WITHOUT_DENO },
    stdout: "null",
    stderr: "null",
  }).output();
  assert.notEqual(which.code, 0, `deno is on ${PATH_WITHOUT_DENO}: this test needs a PATH without it`);

  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "sentinel-kernelspec-" }));
  let stdout = "";
  let stderr = "";
  let code = -1;
  let executed: { cells: { outputs: { text?: string | string[] }[] }[] } | null = null;
  try {
    const src = join(dir, "version.ipynb");
    const out = join(dir, "version.out.ipynb");
    await Deno.writeTextFile(src, JSON.stringify(NOTEBOOK));
    const run = await new Deno.Command(PYTHON, {
      args: [DRIVER, JSON.stringify({ src, out, cwd: dir, timeout: 120 })],
      clearEnv: true,
      env: {
        PATH: PATH_WITHOUT_DENO,
        HOME: Deno.env.get("HOME") ?? "/tmp",
        JUPYTER_PATH: join(ROOT, "jupyter"),
        NO_COLOR: "1",
        PYDEVD_DISABLE_FILE_VALIDATION: "1",
        // The kernel's deno uses the same cache as this test run (a warm one), not a fresh download.
        ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    code = run.code;
    stdout = new TextDecoder().decode(run.stdout);
    stderr = new TextDecoder().decode(run.stderr);
    if (code === 0) executed = JSON.parse(await Deno.readTextFile(out));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.equal(code, 0, `the kernel did not start or run:\n${stdout}\n${stderr.slice(-3000)}`);
  assert.match(stdout, /"event": "done", "failed": null/);
  const printed = [executed!.cells[0]!.outputs[0]?.text ?? ""].flat().join("");
  const pinned = (JSON.parse(await Deno.readTextFile(join(ROOT, ".tools", "node_modules", "deno", "package.json"))) as {
    version: string;
  }).version;
  // The pinned deno, started in the notebook's folder.
  assert.equal(printed, `${pinned} ${dir}\n`);
});
