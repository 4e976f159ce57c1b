// Every stream over the bundled real sample data (data/samples/), against its vectorized twin.
import { readCsv } from "../../data/read_csv.ts";
import {
  adx,
  atr,
  bollingerBands,
  ema,
  macd,
  obv,
  roc,
  rollingStd,
  rsi,
  sma,
  stochastic,
  vwap,
  wma,
  zScore,
} from "../mod.ts";
import {
  AdxStream,
  AtrStream,
  BollingerStream,
  EmaStream,
  MacdStream,
  ObvStream,
  RocStream,
  RollingStdStream,
  RsiStream,
  SmaStream,
  StochasticStream,
  VwapStream,
  WmaStream,
  ZScoreStream,
} from "./mod.ts";
import { assertSameSeries, collect } from "./_test_utils.ts";

const FILES = ["EURUSD.ohlcv.csv", "GOOG.ohlcv.csv", "ETH_BTC-5m.csv", "XRP_ETH-1m.csv", "BTCUSD.ohlcv.csv"];

Deno.test("every stream equals its vectorized indicator on the sample CSVs", async () => {
  for (const file of FILES) {
    const frame = (await readCsv(new URL(`../../../data/samples/${file}`, import.meta.url))).frame;
    const { high, low, close, volume } = frame.columns as Record<string, Float64Array>;
    const hlc = { high: high!, low: low!, close: close! };
    const check = (label: string, got: Float64Array | undefined, want: Float64Array): void =>
      assertSameSeries(got!, want, `${file} ${label}`);
    const s = {
      sma: new SmaStream(20),
      ema: new EmaStream(12),
      wma: new WmaStream(10),
      rsi: new RsiStream(14),
      macd: new MacdStream(),
      bb: new BollingerStream(20),
      std: new RollingStdStream(30),
      z: new ZScoreStream(50),
      atr: new AtrStream(14),
      adx: new AdxStream(14),
      roc: new RocStream(10),
      obv: new ObvStream(),
      stoch: new StochasticStream({ smoothK: 3 }),
      vwap: new VwapStream({ window: 48 }),
    };
    const all = Object.values(s);
    const got = collect(
      frame,
      (b) => {
        for (const x of all) x.push(b);
      },
      () => s.sma.value,
      () => s.ema.value,
      () => s.wma.value,
      () => s.rsi.value,
      () => s.macd.signal,
      () => s.bb.lower,
      () => s.std.value,
      () => s.z.value,
      () => s.atr.value,
      () => s.adx.adx,
      () => s.roc.value,
      () => s.obv.value,
      () => s.stoch.d,
      () => s.vwap.value,
    );
    check("sma", got[0], sma(close!, 20));
    check("ema", got[1], ema(close!, 12));
    check("wma", got[2], wma(close!, 10));
    check("rsi", got[3], rsi(close!, 14));
    check("macd signal", got[4], macd(close!).signal);
    check("bollinger lower", got[5], bollingerBands(close!, 20).lower);
    check("rollingStd", got[6], rollingStd(close!, 30));
    check("zScore", got[7], zScore(close!, 50));
    check("atr", got[8], atr(hlc, 14));
    check("adx", got[9], adx(hlc, 14).adx);
    check("roc", got[10], roc(close!, 10));
    check("obv", got[11], obv({ close: close!, volume: volume! }));
    check("stochastic d", got[12], stochastic(hlc, { smoothK: 3 }).d);
    check("vwap", got[13], vwap({ ...hlc, volume: volume! }, { window: 48 }));
  }
});
