import assert from "node:assert/strict";
import { loadPersonas } from "../../agents/load_personas.ts";
import { connectedClient } from "../resources/_testing.ts";
import { firstText } from "../_client_testing.ts";

type Row = {
  name: string;
  source: string;
  kind: string;
  factors: { id: string }[];
  model: { id: string | null } | null;
  threshold: number | null;
  templateVersion: string;
};

Deno.test("list_personas through the SDK client: every persona loadPersonas reads, with kind, model, factors and source", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-personas-" });
  try {
    await using client = await connectedClient(dataDir);
    const res = await client.callTool({ name: "list_personas", arguments: {} });
    assert.notEqual(res.isError, true, firstText(res));
    const { personas, provenance } = res.structuredContent as { personas: Row[]; provenance: { note: string } };
    const expected = await loadPersonas();
    assert.deepEqual(personas.map((p) => p.name), expected.map((p) => p.name));
    const builtins = new Set((await loadPersonas({ dirs: [] })).map((p) => p.name));
    for (const p of personas) {
      assert.equal(p.source, builtins.has(p.name) ? "built-in" : "user", p.name);
      assert.ok(p.factors.length > 0, p.name);
      assert.ok(p.templateVersion.length > 0, p.name);
      assert.equal(p.model === null, p.kind === "rule", `${p.name}: a model only for llm personas`);
      assert.equal(p.threshold === null, p.kind === "llm", `${p.name}: a threshold only for rule personas`);
    }
    assert.ok(personas.some((p) => p.kind === "rule") && personas.some((p) => p.kind === "llm"));
    assert.match(provenance.note, /built-in personas/);
    const one = await client.callTool({ name: "list_personas", arguments: { name: "trend_follower" } });
    assert.deepEqual((one.structuredContent as { personas: Row[] }).personas.map((p) => p.name), ["trend_follower"]);
    const bad = await client.callTool({ name: "list_personas", arguments: { name: "nobody" } });
    assert.equal(bad.isError, true);
    assert.match(firstText(bad), /^name: no persona "nobody"; use one of .*trend_follower/);
    assert.deepEqual([...Deno.readDirSync(dataDir)], [], "nothing created in the data dir");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
