import assert from "node:assert/strict";
import { readCsv } from "../../data/read_csv.ts";
import type { Frame } from "../../frame/mod.ts";
import { builtinStrategies } from "../../strategies/builtin_strategies.ts";
import { bollingerRequests, emaRequest, macdRequests, rsiRequest, smaRequest } from "../../strategies/_requests.ts";
import type { IndicatorRequest } from "../../strategies/strategy.ts";
import { bollingerBands, ema, macd, rsi, sma } from "../mod.ts";
import { streamForKey } from "./stream_for_key.ts";
import { assertSameSeries, collect, hardBars } from "./_test_utils.ts";

function assertKeyMatches(req: IndicatorRequest, frame: Frame, label: string): void {
  const s = streamForKey(req.key);
  assert.ok(s !== undefined, `${label}: streamForKey(${JSON.stringify(req.key)}) is undefined`);
  assert.equal(s.key, req.key);
  const [got] = collect(frame, (b) => s.push(b), () => s.value);
  assertSameSeries(got!, req.compute(frame), `${label} ${req.key}`);
}

const SAMPLE = new URL("../../../data/samples/EURUSD.ohlcv.csv", import.meta.url);

Deno.test("streamForKey covers every key of the built-in strategies (defaults), on sample and hard data", async () => {
  const sample = (await readCsv(SAMPLE)).frame;
  const hard = hardBars(2_000, 5);
  let keys = 0;
  for (const strategy of builtinStrategies) {
    const indicators = "indicators" in strategy ? strategy.indicators : undefined;
    if (indicators === undefined) continue;
    for (const req of indicators(strategy.params.parse({}))) {
      assertKeyMatches(req, sample, `${strategy.name} sample`);
      assertKeyMatches(req, hard, `${strategy.name} hard`);
      keys++;
    }
  }
  assert.ok(keys >= 10, `only ${keys} keys found`);
});

Deno.test("streamForKey matches the requests for other parameters", () => {
  const frame = hardBars(1_500, 9);
  const reqs: IndicatorRequest[] = [
    smaRequest(1),
    smaRequest(7),
    smaRequest(1_100),
    emaRequest(1),
    emaRequest(50),
    rsiRequest(2),
    rsiRequest(30),
    ...Object.values(bollingerRequests(5, 0.5)),
    ...Object.values(bollingerRequests(130, 2.25)),
    ...Object.values(macdRequests(3, 10, 4)),
    ...Object.values(macdRequests(1, 2, 1)),
  ];
  for (const req of reqs) assertKeyMatches(req, frame, "params");
});

Deno.test("streamForKey reads any OHLCV column", () => {
  const frame = hardBars(600, 3);
  const cases: [string, Float64Array][] = [
    ["sma:volume:10", sma(frame.columns.volume!, 10)],
    ["ema:high:8", ema(frame.columns.high!, 8)],
    ["rsi:open:5", rsi(frame.columns.open!, 5)],
    ["bollinger:low:12:1.5:upper", bollingerBands(frame.columns.low!, 12, { mult: 1.5 }).upper],
    ["bollinger:low:12:middle", bollingerBands(frame.columns.low!, 12).middle],
    ["macd:volume:4:9:3:signal", macd(frame.columns.volume!, { fast: 4, slow: 9, signal: 3 }).signal],
  ];
  for (const [key, want] of cases) {
    const s = streamForKey(key)!;
    const [got] = collect(frame, (b) => s.push(b), () => s.value);
    assertSameSeries(got!, want, key);
  }
});

Deno.test("streamForKey returns undefined for keys it does not know", () => {
  for (
    const key of [
      "",
      "sma",
      "sma:close",
      "sma:ts:20",
      "sma:close:20:extra",
      "sma:close:020",
      "sma:close:",
      "sma:close:abc",
      "wma:close:20",
      "vwap:close:20",
      "bollinger:close:20:2",
      "bollinger:close:20:2:width",
      "bollinger:close:20:2:middle",
      "macd:close:12:26:9",
      "macd:close:12:26:9:histogram",
      "momentum:close:20",
    ]
  ) {
    assert.equal(streamForKey(key), undefined, key);
  }
});

Deno.test("streamForKey throws for well-formed keys with invalid parameters", () => {
  assert.throws(() => streamForKey("sma:close:0"), /period must be a positive integer number of bars, got 0/);
  assert.throws(() => streamForKey("macd:close:26:12:9:macd"), /fast \(26\) must be less than slow \(12\)/);
});
