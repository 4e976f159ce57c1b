// A coordinator process for the restart test: a cluster sweep of a fixed frame, its rows and best written as JSON.
// deno run -A coordinator.ts REDIS_URL DATA_DIR OUT.json [SEED [CHUNK_SIZE [BARS]]]
import { runSweep } from "../../backtest/mod.ts";
import { connectRedis, createClusterExecutor } from "../mod.ts";
import { testSweep } from "./sweep_input.ts";

const [url, dataDir, out, seed = "13", chunkSize = "4", bars = "3000"] = Deno.args as [string, string, string];
const redis = await connectRedis(url);
let resumed = -1;
const executor = await createClusterExecutor({
  redis,
  dataDir,
  chunkSize: Number(chunkSize),
  onProgress: (p) => {
    if (resumed < 0) resumed = p.resumed;
    console.error(`progress ${p.chunksDone}/${p.chunks}`);
  },
});
const r = await runSweep({ ...testSweep(Number(bars), Number(seed)), executor });
await Deno.writeTextFile(
  out,
  JSON.stringify({ rows: r.table.toArray().map((x) => x.toJSON()), best: r.best, resumed, ids: executor.sweepIds }),
);
await executor.close();
redis.disconnect();
