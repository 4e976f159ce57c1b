import assert from "node:assert/strict";
import { newRunId } from "./new_run_id.ts";
import { parseRunId } from "./parse_run_id.ts";

Deno.test("run ids sort by creation time and carry the manifest hash prefix", () => {
  const times = [Date.UTC(2023, 11, 31, 23, 59, 59, 999), Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1, 0, 0, 0, 1)];
  const ids = times.map((t) => newRunId("FFEEDDCCBBAA", new Date(t)));
  assert.deepEqual([...ids].sort(), ids);
  for (const id of ids) {
    assert.equal(parseRunId(id), id);
    assert.equal(id.split("-")[1], "ffeeddcc");
  }
});

Deno.test("newRunId and parseRunId reject what cannot be a safe folder name", () => {
  assert.throws(() => newRunId("xyz"), /at least 8 hex digits, got "xyz"/);
  assert.throws(() => newRunId("abcdef0123", new Date(NaN)), /invalid date/);
  for (const bad of ["..", "a/b", "20240101T000000000Z-abcdef01-123g", "20240101T000000000Z-abcdef01-1234/.."]) {
    assert.throws(() => parseRunId(bad), RangeError);
  }
});
