import assert from "node:assert/strict";
import { parseDecimal, parseIsoMs } from "./_scan.ts";

const enc = new TextEncoder();
const dec = (s: string): number => {
  const b = enc.encode(`x${s}y`); // offsets inside a larger buffer, as in a CSV row
  return parseDecimal(b, 1, b.length - 1);
};
const isoMs = (s: string): number => {
  const b = enc.encode(s);
  return parseIsoMs(b, 0, b.length);
};

Deno.test("parseDecimal equals Number() bit for bit on hand-picked literals", () => {
  const cases = [
    "0",
    "-0",
    "1",
    "+1",
    "12345678901234",
    "1515560100000",
    "0.1",
    "0.2",
    "0.3",
    "5.33e-05",
    "5.288e-05",
    "1469.250000",
    "0.09828605",
    "1820.54447418",
    "931800000",
    "5792140000",
    ".5",
    "5.",
    "-.5",
    "1.e5",
    "1E+2",
    "1e-7",
    "123456789012345678",
    "0.30000000000000004",
    "9007199254740993",
    "1e22",
    "1e23",
    "1e-22",
    "1e-23",
    "2.2250738585072014e-308",
    "4.9e-324",
    "1.7976931348623157e308",
    "100.000000000000000",
    "0.0000000000000000001",
    "  42.5  ",
    "\t7\t",
    "1e400",
    "96515.0",
  ];
  for (const s of cases) assert.ok(Object.is(dec(s), Number(s)), `${s}: ${dec(s)} vs ${Number(s)}`);
});

Deno.test("parseDecimal equals Number() bit for bit on 200,000 random literals", () => {
  // mulberry32 for reproducibility
  let seed = 7;
  const rand = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(rand() * 10)).join("");
  for (let i = 0; i < 200_000; i++) {
    let s: string;
    const kind = i % 4;
    if (kind === 0) s = String(rand() * 10 ** Math.floor(rand() * 30 - 15)); // JS shortest round-trip form
    else if (kind === 1) s = (rand() * 1e6).toFixed(Math.floor(rand() * 12)); // fixed decimals, trailing zeros
    else if (kind === 2) s = `${digits(1 + Math.floor(rand() * 20))}.${digits(Math.floor(rand() * 20))}`; // long
    else s = `${digits(1 + Math.floor(rand() * 6))}e${rand() < 0.5 ? "-" : ""}${Math.floor(rand() * 40)}`;
    if (rand() < 0.3) s = `-${s}`;
    assert.ok(Object.is(dec(s), Number(s)), `${s}: ${dec(s)} vs ${Number(s)}`);
  }
});

Deno.test("parseDecimal rejects what is not a decimal literal (NaN)", () => {
  for (
    const s of [
      "",
      " ",
      "NaN",
      "nan",
      "Infinity",
      "-Infinity",
      "inf",
      "0x10",
      "1,5",
      "1.2.3",
      "e5",
      ".",
      "-",
      "1e",
      "1e+",
      "12a",
      "--1",
      "1 2",
    ]
  ) {
    assert.ok(Number.isNaN(dec(s)), JSON.stringify(s));
  }
});

Deno.test("parseIsoMs matches Date.UTC for the accepted forms; naive times are UTC", () => {
  assert.equal(isoMs("2004-08-19"), Date.UTC(2004, 7, 19));
  assert.equal(isoMs("2017-04-19 09:00:00"), Date.UTC(2017, 3, 19, 9));
  assert.equal(isoMs("2017-04-19T09:00:00"), Date.UTC(2017, 3, 19, 9));
  assert.equal(isoMs("2017-04-19T09:00:00Z"), Date.UTC(2017, 3, 19, 9));
  assert.equal(isoMs("2017-04-19T09:00"), Date.UTC(2017, 3, 19, 9));
  assert.equal(isoMs("2017-04-19T09:00:00.123456Z"), Date.UTC(2017, 3, 19, 9, 0, 0, 123));
  assert.equal(isoMs("2017-04-19T09:00:00.5"), Date.UTC(2017, 3, 19, 9, 0, 0, 500));
  assert.equal(isoMs("2017-04-19T11:00:00+02:00"), Date.UTC(2017, 3, 19, 9));
  assert.equal(isoMs("2017-04-19T04:00:00-0500"), Date.UTC(2017, 3, 19, 9));
  assert.equal(isoMs("2017-04-19T11:00:00+02"), Date.UTC(2017, 3, 19, 9));
  assert.equal(isoMs("2000-02-29"), Date.UTC(2000, 1, 29));
  assert.equal(isoMs("1969-12-31T23:59:59Z"), -1000);
  for (
    const s of [
      "2023-02-29",
      "1900-02-29",
      "2023-13-01",
      "2023-00-10",
      "2023-04-31",
      "2023-1-01",
      "2023-01-01T24:00",
      "2023-01-01T10:60",
      "2023-01-01X10:00",
      "2023-01-01T10:00:00+25:00",
      "20230101",
      "2023-01-01T10:00:00 Z",
    ]
  ) {
    assert.ok(Number.isNaN(isoMs(s)), s);
  }
});
