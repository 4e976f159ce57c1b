/**
 * The exchange refused the request for a reason that retrying will not fix (bad symbol,
 * bad credentials, unsupported timeframe). The caller should fix the request, not retry.
 */
export class ExchangeError extends Error {
  override name = "ExchangeError";
}

/**
 * The exchange failed transiently (network, rate limit, 5xx, timeout) and retries ran out.
 * The caller may run the same call again later; downloads resume where they stopped.
 */
export class TemporaryExchangeError extends Error {
  override name = "TemporaryExchangeError";
}

/** A configuration (file, flags, environment) is invalid. The message names the value and the fix. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** A strategy failed or broke its contract (non-causal, wrong length). Fix the strategy code. */
export class StrategyError extends Error {
  override name = "StrategyError";
}

/** Input data is unusable (bad CSV row, unknown series). The message names the file/line or series. */
export class DataError extends Error {
  override name = "DataError";
}
