/** An AbortSignal tied to Ctrl-C, from {@link interruptSignal}. */
export interface InterruptSignal extends Disposable {
  /** Aborts on the first SIGINT (reason: a DOMException named AbortError). */
  readonly signal: AbortSignal;
  /** Removes the SIGINT listener (also done by `using`). */
  dispose(): void;
}

/**
 * Turns Ctrl-C into an AbortSignal for long jobs such as {@link downloadOhlcv}: the first SIGINT
 * aborts the signal (the download stops between pages with the sink consistent); while the
 * listener is installed, a second Ctrl-C does nothing more, so call `dispose()` when done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { interruptSignal } from "./interrupt_signal.ts";
 * using ctrlC = interruptSignal();
 * assert.equal(ctrlC.signal.aborted, false);
 * ```
 */
export function interruptSignal(): InterruptSignal {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort(new DOMException("Interrupted (Ctrl-C)", "AbortError"));
  Deno.addSignalListener("SIGINT", onSigint);
  let active = true;
  const dispose = (): void => {
    if (!active) return;
    active = false;
    Deno.removeSignalListener("SIGINT", onSigint);
  };
  return { signal: controller.signal, dispose, [Symbol.dispose]: dispose };
}
