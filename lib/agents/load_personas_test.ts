import assert from "node:assert/strict";
import { ConfigError } from "../types/mod.ts";
import { builtinPersonas } from "./builtin_personas.ts";
import { loadPersonas } from "./load_personas.ts";

const sample = new URL("../../personas/example_contrarian.json.sample", import.meta.url);

Deno.test("loadPersonas: the built-in folder gives the built-ins; the user folder adds its *.json files only", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await loadPersonas({ dirs: [] }), builtinPersonas());
    await Deno.copyFile(sample, `${dir}/example_contrarian.json.sample`);
    assert.equal((await loadPersonas({ dirs: [dir] })).length, 5);
    await Deno.copyFile(sample, `${dir}/contrarian.json`);
    const names = (await loadPersonas({ dirs: [dir] })).map((p) => p.name);
    assert.deepEqual(names, [
      "contrarian",
      "macro_skeptic",
      "mean_reverter",
      "risk_officer",
      "rule_trend",
      "trend_follower",
    ]);
    assert.deepEqual((await loadPersonas({ dirs: [dir], builtin: false })).map((p) => p.name), ["contrarian"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadPersonas: a bad file names the file, the field, the value and the fix", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const p = JSON.parse(await Deno.readTextFile(sample));
    p.riskAppetite = "extreme";
    await Deno.writeTextFile(`${dir}/bad.json`, JSON.stringify(p));
    await assert.rejects(
      () => loadPersonas({ dirs: [dir] }),
      (e: unknown) =>
        e instanceof ConfigError && /bad\.json: invalid persona: riskAppetite: .*\(got "extreme"\)/.test(e.message) &&
        /README/.test(e.message),
    );

    p.riskAppetite = "low";
    p.sees.indicators = ["sma:close:0"];
    await Deno.writeTextFile(`${dir}/bad.json`, JSON.stringify(p));
    await assert.rejects(
      () => loadPersonas({ dirs: [dir] }),
      /bad\.json: sees\.indicators\.0: indicator key "sma:close:0"/,
    );

    await Deno.writeTextFile(`${dir}/bad.json`, "{ not json");
    await assert.rejects(() => loadPersonas({ dirs: [dir] }), /bad\.json: not valid JSON/);
    await assert.rejects(() => loadPersonas({ dirs: [`${dir}/missing`] }), /cannot read the persona folder/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadPersonas: a rule persona factor without a fact is refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const p = structuredClone(builtinPersonas().find((x) => x.name === "rule_trend")!);
    p.name = "my_rule";
    delete p.factors[1]!.fact;
    await Deno.writeTextFile(`${dir}/my_rule.json`, JSON.stringify(p));
    await assert.rejects(() => loadPersonas({ dirs: [dir] }), /my_rule\.json: factors\.1\.fact: .*needs the fact id/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadPersonas: two files with one name are refused, naming both", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const p = builtinPersonas().find((x) => x.name === "trend_follower")!;
    await Deno.writeTextFile(`${dir}/mine.json`, JSON.stringify(p));
    await assert.rejects(
      () => loadPersonas({ dirs: [dir] }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /"trend_follower" is defined twice, in .*trend_follower\.json and in .*mine\.json/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
