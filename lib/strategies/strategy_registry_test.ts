import assert from "node:assert/strict";
import { StrategyRegistry } from "./strategy_registry.ts";
import { defineStrategy } from "./define_strategy.ts";
import { emaCross } from "./ema_cross.ts";
import { momentumRotation } from "./momentum_rotation.ts";
import { smaCross } from "./sma_cross.ts";

Deno.test("StrategyRegistry: register, get, has, list sorted by name", () => {
  const reg = new StrategyRegistry();
  assert.deepEqual(reg.list(), []);
  assert.throws(() => reg.get("sma_cross"), {
    name: "RangeError",
    message: 'unknown strategy "sma_cross"; known strategies are (none)',
  });
  reg.register(smaCross);
  reg.register(momentumRotation);
  reg.register(emaCross);
  assert.equal(reg.get("ema_cross"), emaCross);
  assert.equal(reg.has("momentum_rotation"), true);
  assert.equal(reg.has("nope"), false);
  assert.deepEqual(reg.list().map((s) => s.name), ["ema_cross", "momentum_rotation", "sma_cross"]);
  assert.throws(() => reg.get("smacross"), {
    message: 'unknown strategy "smacross"; known strategies are ema_cross, momentum_rotation, sma_cross',
  });
});

Deno.test("StrategyRegistry: duplicate names and malformed strategies are refused", () => {
  const reg = new StrategyRegistry([smaCross]);
  assert.throws(() => reg.register(smaCross), {
    name: "RangeError",
    message: 'strategy "sma_cross" is already registered; give the new one another name',
  });
  const impostor = defineStrategy({ ...smaCross, title: "Another SMA cross" });
  assert.throws(() => reg.register(impostor), /"sma_cross" is already registered by a different object/);
  assert.throws(() => reg.register({ ...smaCross, name: "SMA Cross" }), {
    name: "TypeError",
    message: 'strategy "SMA Cross": name must be snake_case (like "sma_cross"), got "SMA Cross"',
  });
});
