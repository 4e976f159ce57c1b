import assert from "node:assert/strict";
import { LlmStore } from "../agents/mod.ts";
import { openLab } from "../../tests/_http_fixture.ts";
import { markdownHtml } from "./_agents_pages.ts";
import { openAgentLab, seedAgentAccount, TEST_KEY } from "./_agents_test_helpers.ts";

async function get(app: { request(p: string): Response | Promise<Response> }, path: string) {
  const res = await app.request(path);
  return { status: res.status, text: await res.text() };
}

Deno.test("agents pages: personas, a recorded debate run, its bars, learning, an account's chain", async (t) => {
  const lab = await openAgentLab();
  const pages: string[] = [];
  try {
    await t.step("the personas page lists built-ins with kind, factors, what they see and a JSON link", async () => {
      const r = await get(lab.app, "/agents");
      assert.equal(r.status, 200);
      pages.push(r.text);
      for (const name of ["trend_follower", "mean_reverter", "risk_officer", "macro_skeptic", "rule_trend"]) {
        assert.match(r.text, new RegExp(`id="persona-${name}"`));
        assert.match(r.text, new RegExp(`href="/api/agents/personas/${name}"`));
      }
      assert.match(r.text, /<td>rule<\/td>/);
      assert.match(r.text, /<td>llm<\/td>/);
      assert.match(r.text, /href="\/agents">Agents<\/a>/, "the nav links the agents pages");
      const json = await lab.app.request("/api/agents/personas/trend_follower");
      assert.equal(json.status, 200);
      assert.equal((await json.json()).name, "trend_follower");
      assert.equal((await lab.app.request("/api/agents/personas/nobody")).status, 404);
      assert.equal((await lab.app.request("/api/agents/personas/Bad-Name")).status, 400);
    });

    await t.step(
      "the run page shows cost, cache and store figures, abstentions, the memory warning and bars",
      async () => {
        const r = await get(lab.app, `/agents/runs/${lab.runId}`);
        assert.equal(r.status, 200);
        pages.push(r.text);
        assert.match(r.text, /class="warn memory" id="memory">Model memory warning: window \d{4}-\d\d\.\.\d{4}-\d\d/);
        assert.match(r.text, /id="cost"/);
        assert.match(r.text, /Per decision<\/th>\s*<td>\$\d/);
        assert.match(r.text, /Store hits \/ API calls<\/th>\s*<td>0 \/ \d+/);
        assert.match(r.text, /Prompt cache hit rate/);
        assert.match(r.text, /Abstentions<\/th>\s*<td>refusal 1/);
        for (const ts of lab.barTimes) assert.ok(r.text.includes(`href="/agents/runs/${lab.runId}/bars/${ts}"`));
        assert.match(r.text, /mean_reverter \(refusal\)|trend_follower \(refusal\)/);
      },
    );

    await t.step("a bar page shows the vote, each round and the prompt read back from the store", async () => {
      const bar = lab.barTimes[0]!;
      const r = await get(lab.app, `/agents/runs/${lab.runId}/bars/${bar}`);
      assert.equal(r.status, 200);
      pages.push(r.text);
      assert.match(r.text, /id="vote"/);
      assert.match(r.text, /weighted_vote/);
      assert.match(r.text, /id="weights"/);
      assert.match(r.text, /id="round-0"/);
      assert.match(r.text, /id="round-1"/);
      // The prompt's text from the store: its system prefix and the user message's fact list.
      using store = LlmStore.open({ path: `${lab.dir}/agents/llm_store.sqlite` });
      const entry = store.get(lab.requestHashes[0]!)!;
      const req = JSON.parse(entry.requestJson).request;
      const firstSystemLine = String(req.system).split("\n")[0]!;
      assert.ok(
        r.text.includes(firstSystemLine.replaceAll("&", "&amp;").replaceAll("'", "&#39;").replaceAll('"', "&quot;")),
      );
      assert.match(r.text, /Facts \(id = value unit/);
      assert.match(r.text, /<ul class="facts mono"><li>/);
      assert.match(r.text, /Answer<\/summary>/);
      assert.match(r.text, /id="orders"/);
      // Every bar page renders, the refused one with its abstention.
      let abstained = 0;
      for (const ts of lab.barTimes) {
        const p = await get(lab.app, `/agents/runs/${lab.runId}/bars/${ts}`);
        assert.equal(p.status, 200);
        if (p.text.includes("abstained: refusal")) abstained++;
        pages.push(p.text);
      }
      assert.equal(abstained, 1);
    });

    await t.step("unknown and malformed runs and bars", async () => {
      assert.equal((await lab.app.request(`/agents/runs/${lab.runId}/bars/12345`)).status, 404);
      assert.equal((await lab.app.request(`/agents/runs/${lab.runId}/bars/abc`)).status, 400);
      assert.equal((await lab.app.request("/agents/runs/20200102T030405678Z-1a2b3c4d-9f0e")).status, 404);
      assert.equal((await lab.app.request("/agents/runs/bad..id")).status, 400);
      assert.equal((await lab.app.request(`/api/agents/runs/${lab.runId}/bars/1`)).status, 404);
    });

    await t.step("the learning page renders the report's tables and the reliability SVG", async () => {
      const r = await get(lab.app, `/agents/runs/${lab.runId}/learning?horizon=20`);
      assert.equal(r.status, 200);
      pages.push(r.text);
      assert.match(r.text, /<svg/);
      assert.match(r.text, /<th>persona<\/th>/);
      assert.match(r.text, /<td>trend_follower<\/td>/);
      assert.match(r.text, /class="warn memory">window \d{4}-\d\d\.\.\d{4}-\d\d is inside/);
      assert.equal((await lab.app.request(`/agents/runs/${lab.runId}/learning?horizon=0`)).status, 400);
    });

    await t.step(
      "an account's decision chain: verdict, intent and fill of its correlation id, and its prompt",
      async () => {
        const seq = seedAgentAccount(lab.dir, lab.requestHashes[0]);
        const r = await get(lab.app, `/agents/accounts/agent1/decisions/${seq}`);
        assert.equal(r.status, 200);
        pages.push(r.text);
        assert.match(r.text, /<td>risk_verdict<\/td>/);
        assert.match(r.text, /<td>order_intent<\/td>/);
        assert.match(r.text, /<td>order_filled<\/td>/);
        assert.match(r.text, /within limits/);
        assert.ok(!r.text.includes("o-other"), "another decision's order is not in the chain");
        assert.match(r.text, /Prompt: system/);
        const list = await get(lab.app, "/agents/accounts/agent1");
        assert.equal(list.status, 200);
        assert.ok(list.text.includes(`href="/agents/accounts/agent1/decisions/${seq}"`));
        pages.push(list.text);
        assert.equal((await lab.app.request(`/agents/accounts/agent1/decisions/${seq + 1}`)).status, 404);
        assert.equal((await lab.app.request("/agents/accounts/agent1/decisions/x")).status, 400);
        assert.equal((await lab.app.request("/agents/accounts/nobody/decisions/1")).status, 404);
        const learn = await get(lab.app, "/agents/accounts/agent1/learning?horizon=2");
        assert.equal(learn.status, 200);
        assert.match(learn.text, /<svg/);
        pages.push(learn.text);
      },
    );

    await t.step("no page carries the API key", () => {
      assert.ok(pages.length >= 8);
      for (const p of pages) assert.ok(!p.includes(TEST_KEY));
    });
  } finally {
    await lab.close();
  }
});

Deno.test("agents pages: a run without agent files is a 404 naming the fix", async () => {
  const lab = await openLab();
  try {
    const rec = await lab.deps.runs.record({
      kind: "single",
      series: ["samples:SPX:1d"],
      strategy: "sma_cross",
      params: {},
      options: {},
      manifest: {},
      stats: {},
    });
    const r = await lab.app.request(`/agents/runs/${rec.id}`);
    assert.equal(r.status, 404);
    assert.match(await r.text(), /not an agent run/);
  } finally {
    await lab.close();
  }
});

Deno.test("markdownHtml: headings, quotes, pipe tables, escaped text", () => {
  const h = markdownHtml("## Title\n\n> careful <b>\n\n| a | b |\n|---|---|\n| 1 | <i> |\n\ntext").value
    .replace(/>\s+</g, "><");
  assert.equal(
    h,
    '<h3>Title</h3><div class="warn memory">careful &lt;b&gt;</div><table><thead><tr><th>a</th><th>b</th></tr></thead>' +
      "<tbody><tr><td>1</td><td>&lt;i&gt;</td></tr></tbody></table><p>text</p>",
  );
});
