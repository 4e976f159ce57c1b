import assert from "node:assert/strict";
import { readSecretLine } from "./mod.ts";

/** A fake terminal that delivers `chunks` one read at a time and records raw mode and what was shown. */
function fakeTty(chunks: string[]) {
  const enc = new TextEncoder();
  const modes: boolean[] = [];
  let shown = "";
  const queue = chunks.map((c) => enc.encode(c));
  return {
    input: {
      setRaw: (on: boolean) => void modes.push(on),
      read: (p: Uint8Array) => {
        const c = queue.shift();
        if (c === undefined) return Promise.resolve(null);
        p.set(c);
        return Promise.resolve(c.length);
      },
    },
    output: { writeSync: (p: Uint8Array) => (shown += new TextDecoder().decode(p), p.length) },
    modes,
    shown: () => shown,
  };
}

Deno.test("readSecretLine: no echo; backspace removes whole UTF-8 characters; Ctrl-U clears; cursor keys ignored", async () => {
  const t = fakeTty(["wrong", "\x15", "pä€", "\x7f\x7f", "ss\x1b[D\x1bOAw", "ord", "\r", "next line"]);
  assert.equal(await readSecretLine({ prompt: "Secret: ", ...t }), "pssword");
  assert.equal(t.shown(), "Secret: \n");
  assert.deepEqual(t.modes, [true, false]);
});

Deno.test("readSecretLine: Ctrl-D on an empty line is empty, after text ends the line; EOF ends it", async () => {
  assert.equal(await readSecretLine({ prompt: "", ...fakeTty(["\x04"]) }), "");
  assert.equal(await readSecretLine({ prompt: "", ...fakeTty(["abc\x04"]) }), "abc");
  assert.equal(await readSecretLine({ prompt: "", ...fakeTty(["abc"]) }), "abc");
});

Deno.test("readSecretLine: Ctrl-C throws an AbortError and leaves raw mode", async () => {
  const t = fakeTty(["PLANT-partial", "\x03"]);
  await assert.rejects(readSecretLine({ prompt: "Key: ", ...t }), (e: Error) => {
    assert.equal(e.name, "AbortError");
    assert.ok(!e.message.includes("PLANT"));
    return true;
  });
  assert.deepEqual(t.modes, [true, false]);
  assert.equal(t.shown(), "Key: \n");
});
