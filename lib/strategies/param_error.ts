/** One problem with one parameter (`param` is null for a rule that spans several). */
export interface ParamIssue {
  param: string | null;
  message: string;
}

/**
 * Strategy parameters failed to parse or validate. The message lists every problem with the
 * value seen and what is allowed; `issues` carries them one by one (an HTTP API returns them
 * as a 400). Fix the parameters, not the strategy.
 */
export class ParamError extends RangeError {
  override name = "ParamError";
  /** The strategy whose parameters failed. */
  readonly strategy: string;
  /** Each problem, in parameter order. */
  readonly issues: readonly ParamIssue[];

  constructor(strategy: string, issues: readonly ParamIssue[]) {
    super(issues.map((i) => i.message).join("\n"));
    this.strategy = strategy;
    this.issues = issues;
  }
}
