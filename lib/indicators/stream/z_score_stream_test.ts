import { zScore } from "../z_score.ts";
import { ZScoreStream } from "./z_score_stream.ts";
import { assertSameSeries, col, collect, frames } from "./_test_utils.ts";

Deno.test("ZScoreStream equals zScore() bit for bit on random, gappy and hard data", () => {
  for (const { name, frame } of frames(121)) {
    for (const period of [1, 2, 3, 20, 200]) {
      for (const ddof of [0, 1]) {
        const s = new ZScoreStream(period, { ddof });
        const [got] = collect(frame, (b) => s.push(b), () => s.value);
        assertSameSeries(got!, zScore(col(frame, "close"), period, { ddof }), `${name} p ${period} ddof ${ddof}`);
      }
    }
  }
});
