// `deno task lab`: the web lab on http://127.0.0.1:8000 (imports the bundled samples into an empty store first).
import { parseFlags, parseNumberFlag, runCli } from "./_cli.ts";

const USAGE = `Usage: deno task lab [options]

Serves the Sentinel web lab: datasets and their quality, a backtest form, live parameter sweeps,
runs and comparisons, and a JSON/Arrow API (/api/openapi.json). An empty store gets the bundled
samples (data/samples/) first. Accepted jobs (backtests, sweeps) are stored in DIR/_jobs before
they are acknowledged; jobs a stop or a crash interrupted run again at the next start (same job id).

Options:
  --port N          port (default 8000; 0 picks a free one)
  --host HOST       address to listen on (default 127.0.0.1). Any other address needs a token:
                    without one the lab writes a random one to DIR/lab.token (mode 0600) and
                    prints that path (never the token)
  --token-file PATH read the token (24 characters or more) from PATH; or set $SENTINEL_TOKEN
  --token TOKEN     the token on the command line: accepted, but it shows in \`ps\` and in the
                    deno task banner; prefer $SENTINEL_TOKEN or --token-file
  --data-dir DIR    the store (default $SENTINEL_DATA_DIR or data/store); runs go to DIR/_runs, jobs to DIR/_jobs
  --concurrency N   jobs running at once (default 1; sweeps use every core anyway)
  --max-pending N   jobs waiting before new ones get HTTP 429 (default 64)
  --redis URL       Redis of the cluster (redis://HOST:PORT; default $SENTINEL_REDIS): /cluster shows its
                    sweeps with progress, workers and failures
  --help            this text`;

if (import.meta.main) {
  await runCli(async (args, signal) => {
    const { values } = parseFlags(args, {
      port: { type: "string" },
      host: { type: "string" },
      token: { type: "string" },
      "token-file": { type: "string" },
      "data-dir": { type: "string" },
      concurrency: { type: "string" },
      "max-pending": { type: "string" },
      redis: { type: "string" },
      help: { type: "boolean" },
    }, "deno task lab");
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    const t0 = performance.now();
    const port = values.port === undefined
      ? 8000
      : parseNumberFlag("port", values.port as string, (x) => Number.isInteger(x) && x >= 0 && x < 65536, "0 to 65535");
    const concurrency = values.concurrency === undefined ? 1 : parseNumberFlag(
      "concurrency",
      values.concurrency as string,
      (x) => Number.isInteger(x) && x >= 1 && x <= 16,
      "1 to 16",
    );
    const maxPending = values["max-pending"] === undefined ? 64 : parseNumberFlag(
      "max-pending",
      values["max-pending"] as string,
      (x) => Number.isInteger(x) && x >= 0,
      "a whole number",
    );
    const host = (values.host as string | undefined) ?? "127.0.0.1";
    const dataDir = (values["data-dir"] as string | undefined) ?? Deno.env.get("SENTINEL_DATA_DIR") ?? "data/store";

    // Settle the token before touching anything: a lab reachable from the network never accepts
    // anonymous changes, and a weak token is refused (ConfigError) rather than trusted.
    const { resolveLabToken } = await import("./_lab_token.ts");
    const tokenInfo = await resolveLabToken({
      host,
      dataDir,
      ...(values.token !== undefined ? { token: values.token as string } : {}),
      ...(values["token-file"] !== undefined ? { tokenFile: values["token-file"] as string } : {}),
      ...(Deno.env.get("SENTINEL_TOKEN") !== undefined ? { env: Deno.env.get("SENTINEL_TOKEN")! } : {}),
    });
    const token = tokenInfo.token;

    // The store and the app load in parallel; the app's modules (Plot, DuckDB, Arrow) are the slow part.
    const [{ Store }, { RunRegistry }, { createApp, JobQueue }, { importSamples }] = await Promise.all([
      import("../lib/store/mod.ts"),
      import("../lib/runs/mod.ts"),
      import("../lib/http/mod.ts"),
      import("../lib/data/mod.ts"),
    ]);
    const store = await Store.open({ dir: dataDir });
    const runs = await RunRegistry.open({ dir: `${store.dir}/_runs` });
    if ((await store.list()).length === 0) {
      console.error(`The store ${store.dir} is empty: importing the bundled samples…`);
      await importSamples({
        sink: store,
        onSample: (done, total, s) =>
          console.error(`  [${done}/${total}] ${s.id.exchange}:${s.id.symbol}:${s.id.timeframe}  ${s.rows} bars`),
      });
    }
    // Durable: accepted jobs are on disk before their 202, and the ones a crash interrupted run again here.
    const jobs = new JobQueue({ concurrency, maxPending, dir: `${store.dir}/_jobs` });
    const redisUrl = (values.redis as string | undefined) ?? Deno.env.get("SENTINEL_REDIS");
    const app = createApp({ store, runs, jobs, host, ...(token ? { token } : {}), ...(redisUrl ? { redisUrl } : {}) });

    const server = Deno.serve({
      hostname: host,
      port,
      onListen: ({ hostname, port }) => {
        const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
        console.log(
          `Sentinel lab on http://${shown}:${port}/  (ready in ${((performance.now() - t0) / 1000).toFixed(2)} s)`,
        );
        if (token) {
          const where = tokenInfo.source === "generated"
            ? `generated and written to ${tokenInfo.path} (mode 0600)`
            : tokenInfo.path !== undefined
            ? `from ${tokenInfo.path}`
            : `from ${tokenInfo.source}`;
          console.log(
            `Changes need the lab token (Authorization: Bearer, or log in at /login); the token is ${where}.`,
          );
        }
      },
    }, app.fetch);

    const stop = new AbortController();
    const onTerm = () => stop.abort();
    Deno.addSignalListener("SIGTERM", onTerm);
    signal.addEventListener("abort", onTerm, { once: true });
    await new Promise<void>((resolve) => stop.signal.addEventListener("abort", () => resolve(), { once: true }));

    console.error("Shutting down: cancelling jobs, closing the server, the runs registry and the store…");
    await jobs.shutdown();
    await server.shutdown();
    await runs.close();
    store.close();
    Deno.removeSignalListener("SIGTERM", onTerm);
    console.error("Stopped.");
    return 0;
  });
}
