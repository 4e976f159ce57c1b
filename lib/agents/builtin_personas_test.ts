import assert from "node:assert/strict";
import { builtinPersonas } from "./builtin_personas.ts";
import { PersonaSchema } from "./persona.ts";

Deno.test("builtinPersonas: every built-in file validates and the LLM personas carry the five steps and masking rule", async () => {
  const personas = builtinPersonas();
  assert.equal(personas.length, 5);
  for (const p of personas) {
    const file = JSON.parse(await Deno.readTextFile(new URL(`./personas/${p.name}.json`, import.meta.url)));
    assert.deepEqual(PersonaSchema.parse(file), p);
    if (p.kind !== "llm") continue;
    for (
      const step of ["situation analysis", "signal generation", "synthesis", "risk assessment", "final recommendation"]
    ) {
      assert.ok(p.template.system.includes(step), `${p.name} lacks step ${step}`);
    }
    assert.match(p.template.system, /masked/);
    assert.match(p.template.system, /only the facts given/);
    assert.ok(!/\b(19|20)\d\d\b/.test(p.template.system + p.template.instructions), `${p.name} names a year`);
    assert.deepEqual(p.sees.returns, [1, 5, 20]);
    assert.equal(p.sees.volatility, 20);
    assert.equal(p.sees.recentCloses, 10);
  }
  const rule = personas.find((p) => p.name === "rule_trend")!;
  assert.equal(rule.kind, "rule");
  assert.equal(rule.threshold, 0.2);
  assert.ok(rule.factors.every((f) => f.fact !== undefined && f.weight !== undefined));
});

Deno.test("builtinPersonas: returns copies", () => {
  const a = builtinPersonas();
  a[0]!.title = "changed";
  assert.notEqual(builtinPersonas()[0]!.title, "changed");
});
