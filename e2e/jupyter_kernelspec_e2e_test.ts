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

const CLIENT = `
import sys
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="deno", cwd=sys.argv[1], startup_timeout=120)
try:
    reply = kc.execute_interactive("console.log(Deno.version.deno + ' ' + Deno.cwd())", timeout=60,
                                   output_hook=lambda m: m["msg_type"] == "stream" and print(m["content"]["text"], end=""))
    print("status", reply["content"]["status"])
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
`;

Deno.test("the committed kernelspec runs the pinned deno through ./denow, with no deno on PATH", async () => {
  const which = await new Deno.Command("/bin/sh", {
    args: ["-c", "command -v deno"],
    env: { PATH: PATH_WITHOUT_DENO },
    stdout: "null",
    stderr: "null",
  }).output();
  assert.notEqual(which.code, 0, `deno is on ${PATH_WITHOUT_DENO}: this test needs a PATH without it`);

  const notebooks = join(ROOT, "notebooks");
  const out = await new Deno.Command(PYTHON, {
    args: ["-c", CLIENT, notebooks],
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
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, `the kernel did not start or run:\n${stdout}\n${stderr.slice(-3000)}`);
  const pinned = (JSON.parse(await Deno.readTextFile(join(ROOT, ".tools", "node_modules", "deno", "package.json"))) as {
    version: string;
  }).version;
  assert.match(stdout, new RegExp(`^${pinned.replaceAll(".", "\\.")} ${notebooks}\\n`, "m"));
  assert.match(stdout, /^status ok$/m);
});
