/**
 * The engine's signal rule for one bar, shared by the vectorized simulation and the paper runner: given the signed
 * position and the bar's long entry/exit and short entry/exit bits (already mapped for the direction), what to do.
 * Returns `exit | ((enter + 1) << 2)`: `exit` 0 none, 1 signal, 2 reversal; `enter` +1 long, -1 short, 0 none.
 *
 * No pyramiding (an entry on the side already held is ignored); when flat, an entry with an exit of the same side on
 * the same bar, or long and short entries together, do nothing; an opposite entry while in a position reverses it.
 */
export function signalAction(pos: number, le: number, lx: number, se: number, sx: number): number {
  let exit = 0, enter = 0;
  if (pos > 0) {
    if (se !== 0) (exit = 2), (enter = -1);
    else if (lx !== 0) exit = 1;
  } else if (pos < 0) {
    if (le !== 0) (exit = 2), (enter = 1);
    else if (sx !== 0) exit = 1;
  } else if (le !== 0) {
    if (se === 0 && lx === 0) enter = 1;
  } else if (se !== 0 && sx === 0) enter = -1;
  return exit | ((enter + 1) << 2);
}

/** The exit part of a {@link signalAction} code: 0 none, 1 signal, 2 reversal. */
export const actionExit = (code: number): number => code & 3;
/** The entry part of a {@link signalAction} code: +1 long, -1 short, 0 none. */
export const actionEnter = (code: number): number => (code >> 2) - 1;
