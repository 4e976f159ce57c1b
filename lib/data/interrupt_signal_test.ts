import assert from "node:assert/strict";

// The test runner handles SIGINT itself, so the signal is sent inside a child process.
Deno.test("interruptSignal aborts on SIGINT (child process) and disposes its listener", async () => {
  const mod = import.meta.resolve("./interrupt_signal.ts");
  const code = `
    import { interruptSignal } from ${JSON.stringify(mod)};
    const ctrlC = interruptSignal();
    const aborted = new Promise((resolve) => ctrlC.signal.addEventListener("abort", resolve));
    Deno.kill(Deno.pid, "SIGINT");
    await aborted;
    console.log(ctrlC.signal.reason.name);
    ctrlC.dispose();
    ctrlC.dispose();
    console.log("disposed");
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-config", code],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  assert.equal(new TextDecoder().decode(out.stdout), "AbortError\ndisposed\n", new TextDecoder().decode(out.stderr));
  assert.equal(out.code, 0);
});
