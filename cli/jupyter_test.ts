import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  COMMITTED_KERNEL_COMMAND,
  findOnPath,
  instructions,
  kernelSpec,
  prependJupyterPath,
  writeKernelSpec,
} from "./jupyter.ts";

const SCRIPT = new URL("./jupyter.ts", import.meta.url).pathname;

Deno.test("kernelSpec runs `<deno> jupyter --kernel` with the connection file Jupyter passes", () => {
  const spec = kernelSpec("/opt/deno/bin/deno");
  assert.deepEqual(spec.argv, ["/opt/deno/bin/deno", "jupyter", "--kernel", "--conn", "{connection_file}"]);
  assert.equal(spec.language, "typescript");
  assert.equal(spec.env.NO_COLOR, "1");
});

Deno.test("writeKernelSpec writes kernels/deno/kernel.json, the layout Jupyter looks for on JUPYTER_PATH", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(await writeKernelSpec(dir, "/x/deno"), dir);
    const spec = JSON.parse(await Deno.readTextFile(join(dir, "kernels", "deno", "kernel.json")));
    assert.deepEqual(spec, kernelSpec("/x/deno"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the committed kernelspec runs the project's ./denow, found from the kernelspec's folder", async () => {
  const file = new URL("../jupyter/kernels/deno/kernel.json", import.meta.url);
  const committed = JSON.parse(await Deno.readTextFile(file));
  assert.deepEqual(committed, kernelSpec(COMMITTED_KERNEL_COMMAND));
  // Jupyter replaces {resource_dir} with the kernelspec's folder; from there, ../../../denow is the wrapper.
  const resourceDir = fileURLToPath(new URL(".", file)).replace(/\/$/, "");
  const denow = COMMITTED_KERNEL_COMMAND.replace("{resource_dir}", resourceDir);
  assert.equal(resolve(denow), fileURLToPath(new URL("../denow", import.meta.url)));
  assert.ok(((await Deno.stat(denow)).mode ?? 0o111) & 0o111, "./denow must be executable");
});

Deno.test("prependJupyterPath puts the new directory first", () => {
  assert.equal(prependJupyterPath("/a", undefined), "/a");
  assert.equal(prependJupyterPath("/a", "/b:/c"), "/a:/b:/c");
});

Deno.test("findOnPath finds executables only, in PATH order", async () => {
  const a = await Deno.makeTempDir();
  const b = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(a, "tool"), "not executable");
    await Deno.writeTextFile(join(b, "tool"), "#!/bin/sh\n");
    await Deno.chmod(join(b, "tool"), 0o755);
    assert.equal(findOnPath("tool", `${a}:${b}`), join(b, "tool"));
    assert.equal(findOnPath("missing", `${a}:${b}`), null);
    assert.equal(findOnPath("tool", undefined), null);
  } finally {
    await Deno.remove(a, { recursive: true });
    await Deno.remove(b, { recursive: true });
  }
});

Deno.test("instructions say how to install Jupyter when it is missing, and how to start it", () => {
  const base = {
    notebooksDir: "/repo/notebooks",
    root: "/repo",
    notebooks: ["01_quickstart.ipynb"],
    deno: "/repo/.tools/deno",
  };
  const missing = instructions({ ...base, frontEnd: null });
  assert.match(missing, /Jupyter is not on PATH/);
  assert.match(missing, /apt-get install jupyter-notebook/);
  assert.match(missing, /01_quickstart\.ipynb/);
  assert.match(missing, /--kernelspec-dir ~\/\.local\/share\/jupyter/);
  // The committed kernelspec runs ./denow, so this works whether or not deno is on PATH.
  assert.match(missing, /^ {2}JUPYTER_PATH=\/repo\/jupyter jupyter notebook \/repo\/notebooks$/m);
  assert.match(missing, /^ {2}\.\/denow task notebooks:run \[NOTEBOOK\.\.\.\] \[--to html\]$/m);
  const present = instructions({ ...base, frontEnd: "/usr/bin/jupyter-notebook" });
  assert.doesNotMatch(present, /not on PATH/);
  assert.match(present, /JUPYTER_PATH=\/repo\/jupyter jupyter notebook \/repo\/notebooks/);
});

Deno.test("cli/jupyter.ts --print lists the notebooks and starts nothing; a bad flag exits 2", async () => {
  const run = (args: string[], env: Record<string, string>) =>
    new Deno.Command(Deno.execPath(), { args: ["run", "-A", SCRIPT, ...args], env, stdout: "piped", stderr: "piped" })
      .output();
  // An empty PATH: no Jupyter, so the launcher must explain instead of starting anything.
  const out = await run([], { PATH: "", NO_COLOR: "1" });
  assert.equal(out.code, 0);
  const text = new TextDecoder().decode(out.stdout);
  assert.match(text, /01_quickstart\.ipynb/);
  assert.match(text, /Jupyter is not on PATH/);
  assert.match(text, new RegExp(`The kernel runs: ${Deno.execPath().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));

  const dir = await Deno.makeTempDir();
  try {
    const kept = await run(["--print", "--kernelspec-dir", dir], { PATH: "", NO_COLOR: "1" });
    assert.equal(kept.code, 0);
    const spec = JSON.parse(await Deno.readTextFile(join(dir, "kernels", "deno", "kernel.json")));
    assert.equal(spec.argv[0], Deno.execPath());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }

  const bad = await run(["--nope"], { NO_COLOR: "1" });
  assert.equal(bad.code, 2);
  assert.match(new TextDecoder().decode(bad.stderr), /^error: .*--nope/);
});
