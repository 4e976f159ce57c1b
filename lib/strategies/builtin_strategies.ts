import type { AnyStrategy } from "./strategy.ts";
import { bollingerBreakout } from "./bollinger_breakout.ts";
import { buyAndHold } from "./buy_and_hold.ts";
import { emaCross } from "./ema_cross.ts";
import { macdCross } from "./macd_cross.ts";
import { momentumRotation } from "./momentum_rotation.ts";
import { rsiReversion } from "./rsi_reversion.ts";
import { smaCross } from "./sma_cross.ts";

/**
 * The strategies Sentinel ships, in the order forms list them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { builtinStrategies } from "./builtin_strategies.ts";
 * assert.ok(builtinStrategies.some((s) => s.name === "buy_and_hold"));
 * ```
 */
export const builtinStrategies: readonly AnyStrategy[] = Object.freeze([
  buyAndHold,
  smaCross,
  emaCross,
  macdCross,
  rsiReversion,
  bollingerBreakout,
  momentumRotation,
]);
