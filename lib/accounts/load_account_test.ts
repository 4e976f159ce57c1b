import assert from "node:assert/strict";
import { ConfigError } from "../types/mod.ts";
import { createAccount, loadAccount } from "./mod.ts";
import { withDataDir } from "./_test_helpers.ts";

function edit(path: string, fn: (c: Record<string, any>) => void): void {
  const c = JSON.parse(Deno.readTextFileSync(path));
  fn(c);
  Deno.writeTextFileSync(path, JSON.stringify(c, null, 2));
}

Deno.test("loadAccount refuses an unknown field with its path", () =>
  withDataDir((dataDir) => {
    const a = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 1_000 });
    edit(a.path, (c) => (c.risk.rules.maxLeverage.limt = 2));
    assert.throws(
      () => loadAccount({ dataDir, name: "paper-1" }),
      (e: Error) =>
        e instanceof ConfigError &&
        /account\.json: risk\.rules\.maxLeverage: unknown field "limt" \(remove it or fix its spelling\)/.test(
          e.message,
        ),
    );
    edit(a.path, (c) => {
      delete c.risk.rules.maxLeverage.limt;
      c.colour = "red";
    });
    assert.throws(() => loadAccount({ dataDir, name: "paper-1" }), /\(top level\): unknown field "colour"/);
  }));

Deno.test("loadAccount: malformed JSON, a bad value, a missing field and a wrong name are ConfigErrors naming them", () =>
  withDataDir((dataDir) => {
    const a = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 1_000 });
    const good = Deno.readTextFileSync(a.path);
    Deno.writeTextFileSync(a.path, good.replace(/}\s*$/, ""));
    assert.throws(
      () => loadAccount({ dataDir, name: "paper-1" }),
      (e: Error) => e instanceof ConfigError && /not valid JSON/.test(e.message) && e.message.includes(a.path),
    );
    Deno.writeTextFileSync(a.path, good);
    edit(a.path, (c) => (c.risk.rules.dailyLoss.limit = -0.5));
    assert.throws(() => loadAccount({ dataDir, name: "paper-1" }), /risk\.rules\.dailyLoss\.limit: .*\(got -0\.5\)/);
    Deno.writeTextFileSync(a.path, good);
    edit(a.path, (c) => delete c.quote);
    assert.throws(() => loadAccount({ dataDir, name: "paper-1" }), /quote: missing \(a required field\)/);
    Deno.writeTextFileSync(a.path, good);
    edit(a.path, (c) => (c.name = "paper-2"));
    assert.throws(() => loadAccount({ dataDir, name: "paper-1" }), /name: "paper-2" is not the account's folder/);
  }));

Deno.test("loadAccount: an unknown account lists the known ones and how to create it", () =>
  withDataDir((dataDir) => {
    assert.throws(() => loadAccount({ dataDir, name: "nope" }), /no account "nope" .*no accounts yet.*account create/);
    createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 1_000 });
    assert.throws(() => loadAccount({ dataDir, name: "nope" }), (e: Error) =>
      e instanceof RangeError && /known: paper-1/.test(e.message));
  }));
