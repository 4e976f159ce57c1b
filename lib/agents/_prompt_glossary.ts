// The shared part of every persona's system prompt: how to read the facts and how to answer. It is part of the
// stable prefix the API caches, and it has to be: Anthropic caches a prefix only from 1,024 tokens (2,048 on Haiku
// models), and a persona's own text and factor list are about 500, so without it no call would ever hit the cache.

/** How to read each fact family and how to answer; appended to every persona's system prompt. */
export const PROMPT_GLOSSARY = `How to read the facts
Every fact is one line: "- id = value unit | meaning | when it became known". Only the facts listed exist; a fact
that is missing (not enough history yet) must not be guessed. Times are counted in bars before the decision, which
is taken at the close of the latest bar; nothing after that close is known to anyone.
- close: the close of the latest bar. close_lag_k: the close k bars before it. When prices are rebased, 100 is the
  base price named in the header and every price-like fact (close, moving averages, bands, ATR) is on that scale, so
  levels say nothing about the real asset; compare them with each other only.
- sma_close_N, ema_close_N, wma_close_N: simple, exponential and weighted moving averages of the close over N bars.
  close_vs_<average>: the close's distance from that average in percent (positive: above it).
- rsi_close_N: the relative strength index over N bars, 0 to 100; above 70 is usually called overbought, below 30
  oversold; 50 is neutral.
- macd_close_F_S_G_line, _signal, _hist: the MACD line (fast EMA minus slow EMA), its signal line (an EMA of the
  line) and the histogram (line minus signal); a positive, rising histogram is upward momentum.
- bollinger_close_N_K_upper, _lower: the bands K standard deviations around the N-bar average; _pct_b is where the
  close sits between them (0 at the lower band, 1 at the upper, outside 0..1 beyond them).
- atr_N: the average true range over N bars, a price distance (rebased like prices); it measures how far price
  usually moves in one bar.
- adx_N: the average directional index, 0 to 100; above 25 a trend is strong, below 20 the market is ranging.
- z_score_close_N: how many standard deviations the close is from its N-bar mean.
- roc_close_N: the rate of change over N bars in percent.
- ret_N: the simple return over the last N bars in percent.
- vol_N: the annualised volatility of bar returns over N bars in percent.
- regime: uptrend, downtrend or range, from the 50-bar average and its slope. high_vol: 1 when recent volatility is
  well above its longer-run level, else 0.
- position: what the account holds now: 1 long, 0 flat, -1 short.

How to answer
- Answer with one JSON object that follows the schema exactly: no text before or after it, no comments.
- action: buy means be long after this bar, sell means be short (the desk may only allow flat), close means be flat,
  hold means keep whatever is held. Sizing, limits and execution are not yours: deterministic rules and a risk
  engine decide them after you, and can refuse.
- confidence: your probability that the view is right, from 0 to 1. 0.5 is a coin flip; say so when the facts
  disagree. Overconfidence is scored: every decision is later compared with what the market did.
- factors: each factor you used, by id from your list only, with its direction (bullish, bearish or neutral) and
  its weight in your decision; the weights add up to 1.
- citations: every number your reasoning relies on, as the fact id and the value exactly as printed in the message.
  A number that is not in the message must not be cited or used.
- invalidationLevel: the price, on the scale shown, at which the view is wrong; null when no level makes sense.
- reasoning and the step fields: short and factual; refer to facts by id.`;
