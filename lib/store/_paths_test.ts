import assert from "node:assert/strict";
import { assertInside, decodeSymbol, encodeSymbol, encodeTimeframe, seriesDir, validateId } from "./_paths.ts";

Deno.test("symbols encode into one reversible path segment", () => {
  for (const s of ["BTC/USDT:USDT", "BTC/USDT", "GOOG", "A.B_C-D", "X/../../Y"]) {
    const seg = encodeSymbol(s);
    assert.ok(!seg.includes("/") && !seg.includes(":") && seg !== "." && seg !== "..", seg);
    assert.equal(decodeSymbol(seg), s);
  }
  assert.equal(encodeSymbol("BTC/USDT:USDT"), "BTC%2FUSDT%3AUSDT");
  assert.equal(encodeTimeframe("1M"), "1Mo");
  assert.equal(encodeTimeframe("1m"), "1m");
});

Deno.test("validateId rejects traversal, SQL-ish text and missing fields", () => {
  for (
    const id of [
      { exchange: "../../etc/passwd", symbol: "BTC/USDT", timeframe: "1m" },
      { exchange: "binance", symbol: "x'; drop table bars; --", timeframe: "1m" },
      { exchange: "binance", symbol: "BTC/USDT", timeframe: "1m'--" },
      { exchange: "Binance", symbol: "BTC/USDT", timeframe: "1m" },
      { exchange: "binance", symbol: "", timeframe: "1m" },
    ]
  ) assert.throws(() => validateId(id), RangeError);
  assert.throws(() => validateId(null as never), RangeError);
  assert.deepEqual(validateId({ exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" }), {
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1h",
  });
});

Deno.test("paths stay inside the root", () => {
  assert.equal(
    seriesDir("/data", { exchange: "binance", symbol: "BTC/USDT:USDT", timeframe: "1M" }),
    "/data/binance/BTC%2FUSDT%3AUSDT/1Mo",
  );
  assert.throws(() => assertInside("/data", "/data/../etc", "x"), RangeError);
  assert.throws(() => assertInside("/data", "/etc/passwd", "x"), RangeError);
  assert.throws(() => assertInside("/data", "/data", "x"), RangeError);
  assertInside("/data", "/data/a/b", "x");
});
