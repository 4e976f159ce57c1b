/**
 * The runner cannot start on an account as it is: another runner holds it, or the log holds orders the current code
 * no longer decides (the strategy, its params or the risk config changed). The message says which and what to do;
 * CLIs print it as one line.
 */
export class RunnerStateError extends Error {
  override name = "RunnerStateError";
}
