/** Annualization shared by every metric over a returns series. */
export interface AnnualizationOptions {
  /** Bars per year, e.g. 365 for daily crypto bars; see `periodsPerYear(timeframe, { calendar })`. */
  periodsPerYear: number;
}

/** Annualization plus a risk-free rate. */
export interface RiskFreeOptions extends AnnualizationOptions {
  /**
   * Yearly risk-free rate as a fraction (0.04 for 4 %), default 0. It is de-annualized by
   * compounding, `(1 + riskFree) ** (1 / periodsPerYear) - 1`, and subtracted from every return
   * (quantstats' convention; empyrical takes a per-period rate instead).
   */
  riskFree?: number;
}
