// `deno task audit` end to end: the real CLI in a subprocess over a temp data dir.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { AuditLog } from "../lib/audit/mod.ts";
import { sampleEvents } from "../lib/audit/_test_events.ts";
import { type CliRun, errorLine, runCli } from "./_cli.ts";

const CLI = new URL("../cli/audit.ts", import.meta.url).pathname;

const audit = (dir: string, ...args: string[]): Promise<CliRun> => runCli("audit", args, { dataDir: dir });

async function withLog(fn: (dir: string, log: AuditLog) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cli-audit-" });
  try {
    using log = AuditLog.open({ dataDir: dir, account: "paper-1" });
    log.appendMany(sampleEvents(16));
    await fn(dir, log);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("audit verify: exit 0 when intact, 1 naming the first bad seq when tampered", () =>
  withLog(async (dir, log) => {
    const ok = await audit(dir, "verify", "--account", "paper-1");
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^paper-1: intact, 16 events, head seq 16 [0-9a-f]{64}$/m);
    const json = JSON.parse((await audit(dir, "verify", "--account", "paper-1", "--json")).stdout);
    assert.equal(json.ok, true);
    assert.equal(json.head.seq, 16);

    const db = new DatabaseSync(log.path);
    db.exec("DROP TRIGGER events_no_update; UPDATE events SET ts = ts + 1 WHERE seq = 6");
    db.close();
    const bad = await audit(dir, "verify", "--account", "paper-1");
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /paper-1: NOT intact: first bad seq 6: the hash does not match/);
    assert.match(bad.stderr, /warning: the append-only triggers are missing/);
    const badJson = JSON.parse((await audit(dir, "verify", "--account", "paper-1", "--json")).stdout);
    assert.equal(badJson.firstBadSeq, 6);
  }));

Deno.test("audit show: a table by default, filters by kind, time and symbol, --json, paging hint", () =>
  withLog(async (dir) => {
    const table = await audit(dir, "show", "--account", "paper-1");
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trim().split("\n");
    assert.match(lines[0]!, /^seq\s+time\s+run\s+kind\s+correlation\s+payload$/);
    assert.equal(lines.length, 2 + 16);
    assert.match(lines[2]!, /^\s*1\s+2023-11-14T22:13:20Z\s+run-1\s+bar\s+c0\s+\{"symbol":"BTC\/USDT"/);

    const fills = JSON.parse(
      (await audit(dir, "show", "--account", "paper-1", "--kind", "order_filled", "--kind", "bar", "--json")).stdout,
    );
    assert.deepEqual(fills.map((e: { seq: number }) => e.seq), [1, 8, 9, 16]);
    const t1 = String(1_700_000_000_000 + 60_000);
    const later = JSON.parse((await audit(dir, "show", "--account", "paper-1", "--from", t1, "--json")).stdout);
    assert.equal(later[0].seq, 9);
    const early = JSON.parse(
      (await audit(dir, "show", "--account", "paper-1", "--to", "2023-11-14T22:14:20Z", "--json")).stdout,
    );
    assert.equal(early.length, 8);
    const paged = await audit(dir, "show", "--account", "paper-1", "--limit", "5");
    assert.match(paged.stdout, /next page: --after-seq 5/);
  }));

Deno.test("audit export: Parquet file written; --json summary", () =>
  withLog(async (dir) => {
    const out = `${dir}/a.parquet`;
    const r = await audit(dir, "export", "--account", "paper-1", "--out", out, "--json");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { account: "paper-1", out, rows: 16 });
    assert.ok(Deno.statSync(out).size > 0);
  }));

Deno.test("audit: errors are one line with exit 2; unknown account lists the known ones; --help exits 0", () =>
  withLog(async (dir) => {
    const cases: [string[], RegExp][] = [
      [["verify", "--account", "nope"], /No audit log for account "nope" .*known accounts: paper-1/],
      [["verify"], /verify needs --account NAME \(known accounts: paper-1\)/],
      [
        ["show", "--account", "paper-1", "--kind", "fill"],
        /--kind "fill" is not an event kind: use one of run_started/,
      ],
      [["show", "--account", "paper-1", "--from", "yesterday"], /--from "yesterday" is not a date/],
      [["show", "--account", "paper-1", "--limit", "0"], /--limit "0" is not valid/],
      [["export", "--account", "paper-1"], /export needs --out FILE\.parquet/],
      [["verify", "--account", "Bad Name"], /Invalid account "Bad Name"/],
      [["frobnicate"], /unknown command "frobnicate"; commands are verify, show, tail, export/],
      [["show", "--account", "paper-1", "--bogus"], /--bogus/],
    ];
    for (const [args, re] of cases) {
      const r = await audit(dir, ...args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(errorLine(r), re);
    }
    for (const c of ["verify", "show", "tail", "export"]) {
      const h = await audit(dir, c, "--help");
      assert.equal(h.code, 0);
      assert.match(h.stdout, new RegExp(`^Usage: deno task audit ${c}`));
    }
    assert.equal((await audit(dir, "--help")).code, 0);
    assert.equal((await audit(dir)).code, 2);
  }));

Deno.test("audit tail: prints the backlog after --after-seq, then each new event live; Ctrl-C ends it with exit 0", () =>
  withLog(async (dir, log) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "tail", "--account", "paper-1", "--after-seq", "14", "--json", "--poll-ms", "20"],
      env: { SENTINEL_DATA_DIR: dir, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const seen: number[] = [];
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    let appended = false;
    while (seen.length < 5) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      const lines = buf.split("\n");
      buf = lines.pop()!;
      for (const l of lines) seen.push(JSON.parse(l).seq);
      if (!appended && seen.length >= 2) {
        appended = true;
        log.appendMany(sampleEvents(3)); // written after the follower is running
      }
    }
    child.kill("SIGINT");
    await reader.cancel();
    const status = await child.status;
    await child.stderr.cancel();
    assert.deepEqual(seen, [15, 16, 17, 18, 19]);
    assert.equal(status.code, 0);
  }));

Deno.test("audit verify --hmac-key-file: exit 0 with the writer's key, 1 with another; an unreadable file is exit 2", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cli-audit-hmac-" });
  try {
    const key = "s3cret-".repeat(6);
    const log = AuditLog.open({ dataDir: dir, account: "paper-1", hmacKey: key });
    log.appendMany(sampleEvents(4));
    log.close();
    Deno.writeTextFileSync(`${dir}/good.key`, `${key}\n`);
    Deno.writeTextFileSync(`${dir}/bad.key`, "another-key-of-enough-length");
    const ok = await audit(dir, "verify", "--account", "paper-1", "--hmac-key-file", `${dir}/good.key`);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stderr, "");
    const bad = await audit(dir, "verify", "--account", "paper-1", "--hmac-key-file", `${dir}/bad.key`);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /first bad seq 4: the head anchor's signature does not match/);
    assert.ok(!bad.stdout.includes(key) && !bad.stderr.includes(key));
    const missing = await audit(dir, "verify", "--account", "paper-1", "--hmac-key-file", `${dir}/nope.key`);
    assert.equal(missing.code, 2);
    assert.match(errorLine(missing), /--hmac-key-file ".*nope\.key" cannot be read \(NotFound\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
