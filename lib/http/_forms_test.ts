import assert from "node:assert/strict";
import { z } from "zod";
import { defineStrategy, registry } from "../strategies/mod.ts";
import { paramInputs, paramsFromForm } from "./_forms.ts";

/** The markup with runs of white space as one space (the formatter lays templates out freely). */
function flat(h: { value: string }): string {
  return h.value.replace(/\s+/g, " ").replace(/ >/g, ">");
}

const stringParam = defineStrategy({
  name: "string_param_test",
  title: "String param test",
  description: "Free-text params; never trades.",
  params: z.object({
    personas: z.string().regex(/^[a-z_]+(,[a-z_]+)*$/).min(1).max(200).default("trend_follower,risk_officer")
      .describe("Persona names, comma-separated"),
    note: z.string().default('a "quoted" <note>'),
  }),
  warmup: () => 0,
  signals: (frame) => ({ kind: "signals", entries: new Uint8Array(frame.length), exits: new Uint8Array(frame.length) }),
});

Deno.test("paramInputs: a string param is a text input with its default, pattern and lengths", () => {
  const out = flat(paramInputs(stringParam));
  assert.match(
    out,
    /<label title="Persona names, comma-separated">personas <span class="muted">text, 1–200 chars, pattern \^\[a-z_\]\+\(,\[a-z_\]\+\)\*\$<\/span><input type="text" name="p\.personas" value="trend_follower,risk_officer" pattern="\[\\s\\S\]\*\(\?:\^\[a-z_\]\+\(,\[a-z_\]\+\)\*\$\)\[\\s\\S\]\*" minlength="1" maxlength="200"><\/label>/,
  );
  // the default is escaped into the value attribute; no pattern or length attributes when the schema has none
  assert.match(out, /<input type="text" name="p\.note" value="a &quot;quoted&quot; &lt;note&gt;">/);
  // a value given (a resubmitted form) replaces the default
  assert.match(flat(paramInputs(stringParam, { personas: "mean_reverter" })), /value="mean_reverter"/);
});

Deno.test("paramInputs: the browser's pattern accepts what the schema accepts", () => {
  const pattern = /pattern="([^"]*)"/.exec(paramInputs(stringParam).value)![1]!;
  // as a browser compiles it: the whole value, v flag
  const browser = new RegExp(`^(?:${pattern})$`, "v");
  for (const v of ["a", "a,b", "trend_follower,risk_officer", "A", "a,", "a;b", ""]) {
    assert.equal(browser.test(v), /^[a-z_]+(,[a-z_]+)*$/.test(v), v);
  }
});

Deno.test("paramInputs: numbers, flags and enums keep their inputs; form fields come back as text", () => {
  const out = flat(paramInputs(registry.get("sma_cross")));
  assert.match(out, /<input type="number" name="p\.fast" value="10" step="1"/);
  assert.deepEqual(paramsFromForm({ "p.personas": " a,b ", "p.note": "", fee: "1" }), { personas: "a,b" });
});
