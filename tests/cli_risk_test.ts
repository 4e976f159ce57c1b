// `deno task account` and `deno task risk` end to end: the real CLIs in subprocesses, with the tasks' permissions.
import assert from "node:assert/strict";
import { join } from "node:path";
import { AuditLog } from "../lib/audit/mod.ts";
import { type CliRun, errorLine, runCli, withTempDir } from "./_cli.ts";

const PERMS = ["--allow-read", "--allow-write", "--allow-env", "--allow-ffi", "--allow-sys"];

const run = (tool: "account" | "risk" | "audit", dir: string, ...args: string[]): Promise<CliRun> =>
  runCli(tool, args, { dataDir: dir, perms: PERMS });

const withDir = (fn: (dir: string) => Promise<void>): Promise<void> => withTempDir("cli-risk-", fn);

function kinds(dir: string): string[] {
  using log = AuditLog.open({ dataDir: dir, account: "paper-1", readOnly: true });
  return [...log.events()].map((e) => e.kind);
}

Deno.test("account create, list, show; an existing account or a bad flag is one error line, exit 2", () =>
  withDir(async (dir) => {
    const c = await run("account", dir, "create", "--name", "paper-1", "--cash", "25000", "--quote", "USD");
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /^created paper account paper-1: 25000 USD, default risk limits in .*account\.json/);
    const again = await run("account", dir, "create", "--name", "paper-1");
    assert.equal(again.code, 2);
    assert.match(errorLine(again), /^error: account "paper-1" already exists \(it has an account\.json\)/);

    const list = JSON.parse((await run("account", dir, "list", "--json")).stdout);
    assert.deepEqual(
      list.map((a: { name: string; kind: string; startingCash: number }) => [a.name, a.kind, a.startingCash]),
      [
        ["paper-1", "paper", 25_000],
      ],
    );
    const show = await run("account", dir, "show", "--account", "paper-1");
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /paper-1: paper account, 25000 USD starting cash/);
    assert.match(show.stdout, /maxDrawdown\s+yes\s+kill\s+\{"limit":0\.2\}/);
    const shown = JSON.parse((await run("account", dir, "show", "--account", "paper-1", "--json")).stdout);
    assert.equal(shown.risk.rules.dailyLoss.limit, 0.03);
    assert.match(shown.configHash, /^[0-9a-f]{64}$/);

    for (
      const [args, re] of [
        [["create"], /^error: create needs --name NAME/],
        [
          ["create", "--name", "p2", "--kind", "demo"],
          /^error: --kind "demo" is not an account kind: use paper or live/,
        ],
        [["create", "--name", "p2", "--cash", "0"], /^error: --cash "0" is not valid: use the starting cash/],
        [["create", "--name", "P 2"], /^error: Invalid account name "P 2"/],
        [["create", "--name", "p2", "--quote", "eur"], /^error: .*quote: a quote currency is 2-16 characters/],
        [["show", "--account", "nope"], /^error: no account "nope" .*known: paper-1/],
        [["show"], /^error: show needs --account NAME \(known accounts: paper-1\)/],
        [["frobnicate"], /^error: unknown command "frobnicate"; commands are create, list, show/],
      ] as const
    ) {
      const r = await run("account", dir, ...args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(errorLine(r), re);
    }
    assert.equal((await run("account", dir, "list", "--json")).stdout.includes("p2"), false);
  }));

Deno.test("risk pause, kill, resume refused without confirmation then confirmed, status; audit verify passes", () =>
  withDir(async (dir) => {
    assert.equal((await run("account", dir, "create", "--name", "paper-1")).code, 0);
    const p = await run("risk", dir, "pause", "--account", "paper-1", "--reason", "FOMC at 19:00");
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout, /^paper-1: paused \(reducing: exits only, no new entries\): FOMC at 19:00$/m);
    const st = JSON.parse((await run("risk", dir, "status", "--account", "paper-1", "--json")).stdout);
    assert.equal(st.tradingState, "reducing");
    assert.equal(st.reason, "FOMC at 19:00");

    const k = await run("risk", dir, "kill", "--account", "paper-1", "--reason", "exchange incident", "--flatten");
    assert.equal(k.code, 0, k.stderr);
    assert.match(k.stdout, /killed .*flatten requested/);

    const refused = await run("risk", dir, "resume", "--account", "paper-1");
    assert.equal(refused.code, 2);
    assert.match(
      errorLine(refused),
      /^error: account "paper-1" was killed \(exchange incident\); .*--confirm-account paper-1/,
    );
    const wrong = await run("risk", dir, "resume", "--account", "paper-1", "--confirm-account", "paper-2");
    assert.equal(wrong.code, 2);
    assert.match(errorLine(wrong), /--confirm-account "paper-2" is not the account "paper-1"/);
    assert.deepEqual(kinds(dir), ["config_change", "pause", "kill"]);

    // A separate process (a restart) sees the same state, rebuilt from the log.
    const halted = await run("risk", dir, "status", "--account", "paper-1");
    assert.match(halted.stdout, /^paper-1: HALTED \(exchange incident\), paper account$/m);
    assert.match(halted.stdout, /audit chain: intact, 3 events, head seq 3/);
    assert.match(halted.stdout, /risk limits in force: config hash [0-9a-f]{64}, flatten on kill false/);

    const ok = await run("risk", dir, "resume", "--account", "paper-1", "--confirm-account", "paper-1", "--json");
    assert.equal(ok.code, 0, ok.stderr);
    const res = JSON.parse(ok.stdout);
    assert.deepEqual([res.before, res.tradingState, res.changed, res.seq], ["halted", "active", true, 4]);
    const noop = await run("risk", dir, "resume", "--account", "paper-1");
    assert.equal(noop.code, 0);
    assert.match(noop.stdout, /already active; nothing to resume/);

    {
      using log = AuditLog.open({ dataDir: dir, account: "paper-1", readOnly: true });
      const ops = log.query({ kinds: ["pause", "kill", "resume"] }).map((e) => e.payload);
      assert.deepEqual(ops, [
        { by: "operator", reason: "FOMC at 19:00" },
        { by: "operator", reason: "exchange incident", flatten: true },
        { by: "operator", reason: "operator command (no reason given)" },
      ]);
    }
    const verify = await run("audit", dir, "verify", "--account", "paper-1");
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /^paper-1: intact, 4 events/);
  }));

Deno.test("risk: --help for each command, usage without one, unknown account and missing --account, --data-dir", () =>
  withDir(async (dir) => {
    const helps = await Promise.all(
      ["pause", "resume", "kill", "status"].map((c) => run("risk", dir, c, "--help")),
    );
    for (const h of helps) assert.equal(h.code, 0);
    assert.match(helps[1]!.stdout, /--confirm-account NAME/);
    assert.match(helps[2]!.stdout, /--flatten/);
    const accountHelp = await run("account", dir, "create", "--help");
    assert.match(accountHelp.stdout, /--cash N/);
    const usage = await run("risk", dir);
    assert.equal(usage.code, 2);
    assert.match(usage.stdout, /^Usage: deno task risk <command>/);

    const none = await run("risk", dir, "kill", "--account", "ghost");
    assert.equal(none.code, 2);
    assert.match(errorLine(none), /^error: no account "ghost" .*no accounts yet.*account create --name ghost/);
    const missing = await run("risk", dir, "pause");
    assert.equal(missing.code, 2);
    assert.match(errorLine(missing), /^error: pause needs --account NAME/);
    const badFlag = await run("risk", dir, "pause", "--account", "x", "--force");
    assert.equal(badFlag.code, 2);
    assert.match(errorLine(badFlag), /Unknown option '--force'.*deno task risk pause --help/);

    const other = join(dir, "elsewhere");
    assert.equal((await run("account", dir, "create", "--name", "p3", "--data-dir", other)).code, 0);
    const st = await run("risk", dir, "status", "--account", "p3", "--data-dir", other, "--json");
    assert.equal(st.code, 0, st.stderr);
    assert.equal(JSON.parse(st.stdout).equity, 10_000);
  }));

Deno.test("risk and account commands never print or log a webhook URL token", () =>
  withDir(async (dir) => {
    assert.equal((await run("account", dir, "create", "--name", "paper-1")).code, 0);
    const path = join(dir, "_accounts", "paper-1", "account.json");
    const token = "xoxb-T0KEN-0123456789-SECRETSECRET";
    const url = `https://hooks.example.com/services/${token}`;
    const cfg = JSON.parse(Deno.readTextFileSync(path));
    cfg.notify.webhooks = [{ url, minLevel: "pause", headers: { Authorization: "Bearer hdr-secret-0123456789" } }];
    Deno.writeTextFileSync(path, JSON.stringify(cfg, null, 2));
    const outputs = [
      await run("risk", dir, "pause", "--account", "paper-1", "--reason", `webhook ${url} is down`),
      await run("risk", dir, "kill", "--account", "paper-1", "--json"),
      await run("risk", dir, "status", "--account", "paper-1", "--json"),
      await run("risk", dir, "status", "--account", "paper-1"),
      await run("account", dir, "show", "--account", "paper-1"),
      await run("account", dir, "show", "--account", "paper-1", "--json"),
      await run("audit", dir, "show", "--account", "paper-1", "--json"),
    ];
    for (const o of outputs) assert.equal(o.code, 0, o.stderr);
    const show = outputs[4]!.stdout;
    assert.match(show, /webhooks: https:\/\/hooks\.example\.com \(pause\+\)/);
    let files = "";
    for (const e of Deno.readDirSync(join(dir, "_accounts", "paper-1"))) {
      if (e.name !== "account.json") {
        files += new TextDecoder("latin1").decode(Deno.readFileSync(join(dir, "_accounts", "paper-1", e.name)));
      }
    }
    const all = outputs.map((o) => o.stdout + o.stderr).join("\n") + files;
    for (const secret of [token, "SECRETSECRET", "hdr-secret-0123456789"]) {
      assert.ok(!all.includes(secret), `${secret} leaked`);
    }
    assert.match(outputs[6]!.stdout, /webhook \[redacted\] is down/);
  }));

Deno.test("risk ack: a live account's reconciliation hold is lifted only by an acknowledgement with a reason", () =>
  withDir(async (dir) => {
    assert.equal((await run("account", dir, "create", "--name", "live-1", "--kind", "live")).code, 0);
    {
      using log = AuditLog.open({ dataDir: dir, account: "live-1" });
      log.append({
        kind: "reconciliation",
        runId: "live-run",
        payload: {
          trigger: "start",
          ok: false,
          needsAck: true,
          tradingState: "reducing",
          resolved: [],
          unknownOpenOrders: [],
          balanceMismatches: [{ asset: "BTC", expected: 0.5, actual: 0.6, diff: 0.1 }],
        },
      });
    }
    const noReason = await run("risk", dir, "ack", "--account", "live-1");
    assert.equal(noReason.code, 2);
    assert.match(errorLine(noReason), /^error: ack needs --reason TEXT/);
    const badSeq = await run("risk", dir, "ack", "--account", "live-1", "--reason", "x", "--reconciliation", "two");
    assert.equal(badSeq.code, 2);
    assert.match(errorLine(badSeq), /--reconciliation must be the report's seq/);
    const ack = await run("risk", dir, "ack", "--account", "live-1", "--reason", "0.1 BTC was a deposit", "--json");
    assert.equal(ack.code, 0, ack.stderr);
    const r = JSON.parse(ack.stdout);
    assert.deepEqual([r.changed, r.before, r.tradingState], [true, "reducing", "active"]);
    const again = await run("risk", dir, "ack", "--account", "live-1", "--reason", "again");
    assert.equal(again.code, 0);
    assert.match(again.stdout, /nothing to acknowledge/);
  }));
