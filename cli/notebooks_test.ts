// The parts of `deno task notebooks:run` that need no Jupyter. Executing notebooks with the Deno kernel
// (determinism, --to html, a failing cell) is tested in e2e/notebooks_run_e2e_test.ts.
import assert from "node:assert/strict";
import { join } from "node:path";
import { checkPython, describeFailure, listNotebooks, outputPath, resolveNotebook } from "./notebooks.ts";
import { UsageError } from "./_cli.ts";

const SCRIPT = new URL("./notebooks.ts", import.meta.url).pathname;

Deno.test("outputPath: <name>.out.ipynb or <name>.html, beside the notebook or in --out", () => {
  assert.equal(outputPath("/r/notebooks/01_quickstart.ipynb", "notebook"), "/r/notebooks/01_quickstart.out.ipynb");
  assert.equal(outputPath("/r/notebooks/01_quickstart.ipynb", "html"), "/r/notebooks/01_quickstart.html");
  assert.equal(outputPath("/r/notebooks/01_quickstart.ipynb", "html", "/tmp/o"), "/tmp/o/01_quickstart.html");
  // Re-running an executed copy does not stack suffixes.
  assert.equal(outputPath("/x/a.out.ipynb", "notebook"), "/x/a.out.ipynb");
});

Deno.test("resolveNotebook takes a path or the start of a name in notebooks/, and names the choices otherwise", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const n of ["01_quickstart.ipynb", "02_sweep.ipynb", "02_other.ipynb", "01_quickstart.out.ipynb"]) {
      await Deno.writeTextFile(join(dir, n), "{}");
    }
    await Deno.writeTextFile(join(dir, "notes.txt"), "");
    assert.deepEqual(listNotebooks(dir), ["01_quickstart.ipynb", "02_other.ipynb", "02_sweep.ipynb"]);
    assert.equal(resolveNotebook("01", dir), join(dir, "01_quickstart.ipynb"));
    assert.equal(resolveNotebook("01_quickstart.ipynb", dir), join(dir, "01_quickstart.ipynb"));
    assert.equal(resolveNotebook(join(dir, "02_sweep.ipynb"), dir), join(dir, "02_sweep.ipynb"));
    assert.equal(resolveNotebook("02_sweep.ipynb", "/elsewhere", dir), join(dir, "02_sweep.ipynb"));
    assert.throws(() => resolveNotebook("02", dir), (e: Error) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /"02" matches 2 notebooks \(02_other\.ipynb, 02_sweep\.ipynb\)/);
      return true;
    });
    assert.throws(() => resolveNotebook("09", dir), /"09" matches no notebook: .*01_quickstart\.ipynb/);
    assert.throws(() => resolveNotebook(join(dir, "notes.txt"), dir), /is not a notebook: give an \.ipynb file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkPython says what to install when Python or its Jupyter modules are missing", async () => {
  await assert.rejects(checkPython("/nonexistent/python3", "notebook"), (e: Error) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /cannot run \/nonexistent\/python3.*apt-get install jupyter-nbconvert.*--python/);
    return true;
  });
  // A "python" whose import fails, like one without nbconvert.
  const fake = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(
      fake,
      "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'nbconvert'\" >&2\nexit 1\n",
    );
    await Deno.chmod(fake, 0o755);
    await assert.rejects(
      checkPython(fake, "html"),
      /cannot import jupyter_client, nbformat, nbconvert \(ModuleNotFoundError: No module named 'nbconvert'\).*apt-get/,
    );
  } finally {
    await Deno.remove(fake);
  }
});

Deno.test("describeFailure names the notebook, the cell (index, id, code cell number) and the error", () => {
  const line = describeFailure({
    notebook: "/r/notebooks/01_quickstart.ipynb",
    output: "/r/notebooks/01_quickstart.out.ipynb",
    seconds: 1,
    cells: [],
    failed: { index: 9, id: "nb01-09", n: 4, ename: "TypeError", evalue: "x is not a function" },
    warnings: [],
    stderr: "",
  }, 11);
  assert.equal(line, "01_quickstart.ipynb cell 9 (code cell 4 of 11, id nb01-09): TypeError: x is not a function");
});

Deno.test("cli/notebooks.ts: --help, and bad flags or names exit 2 with one line naming the value", async () => {
  const run = async (args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", SCRIPT, ...args],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    return {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    };
  };
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /deno task notebooks:run \[NOTEBOOK\.\.\.\] \[--to notebook\|html\]/);

  const to = await run(["--to", "pdf", "01"]);
  assert.equal(to.code, 2);
  assert.equal(to.stderr, 'error: --to "pdf" is not a format: use --to notebook or --to html\n');

  const name = await run(["nope"]);
  assert.equal(name.code, 2);
  assert.match(name.stderr, /^error: "nope" matches no notebook: give an \.ipynb path or the start of one of 01_/);

  const timeout = await run(["--timeout", "0", "01"]);
  assert.equal(timeout.code, 2);
  assert.match(timeout.stderr, /^error: --timeout "0" is not valid: seconds, more than 0\n$/);

  const python = await run(["--python", "/nonexistent/python3", "01"]);
  assert.equal(python.code, 2);
  assert.match(python.stderr, /^error: cannot run \/nonexistent\/python3/);
});
