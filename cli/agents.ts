/**
 * `deno task agents <command>`: the LLM decision agents from the terminal. `list` the personas, `decide` once with
 * one persona at one bar (facts, prompt, answer, validation, cost), `report` the learning report of a decision
 * history (an account's audit log or a backtest run), and `memory`, the masked-vs-unmasked comparison that shows how
 * much of an agent backtest may be the model's memory. Run `deno task agents --help`.
 *
 * Exit codes: 0 done; 2 bad input (one line naming the value and the fix; a replay miss says to record); 1 a bug;
 * 130 interrupted.
 *
 * @module
 */
import { loadPersonas, type Persona } from "../lib/agents/mod.ts";
import { commandFlags, parseDateFlag, printJson, runSubcommands, textTable, UsageError } from "./_cli.ts";
import { DATA_FLAGS, dataOptionsFromFlags, optionsFromFlags, SIMULATION_FLAGS } from "./_backtest_flags.ts";
import { parseParamFlags } from "./_backtest_args.ts";
import { loadData } from "./_backtest_data.ts";
import { LLM_FLAGS, LLM_HELP } from "./_llm_flags.ts";
import { agentsRuntime, personaDirsOf } from "./_agents_runtime.ts";
import { decideAt, decideText } from "./_agents_decide.ts";
import { accountHistory, historyReport, runHistory, writeReport } from "./_agents_report.ts";
import { runMemoryComparison, writeComparison } from "./_agents_memory.ts";

const USAGE = `Usage: deno task agents <command> [options]

LLM decision agents: personas, one decision, the learning report and the memory comparison.

Commands:
  list     the personas (built-in and personas/*.json): kind, title, role, risk appetite, factors, what each sees
  decide   one persona's decision at one bar: facts with their availability, the prompt, the answer or the
           abstention, the validation, the cost and the request/response hashes
  report   the learning report of a decision history (--account NAME or --run ID): per persona and factor hit
           rate, IC, calibration, P&L contribution, and learned vs equal vote weights walked forward
  memory   the masked-vs-unmasked comparison: the same agent backtest with masked prompts and with dates, the
           symbol and raw prices; how much of the result may be the model's memory

Every command takes --help. Answers come from the LLM store (--llm-cache replay) unless told otherwise, so nothing
spends by accident; record once with --llm-cache record.`;

const PERSONAS_HELP =
  `  --personas DIR          a folder of persona files (repeatable; default personas/ of the working directory)`;

const HELP: Record<string, string> = {
  list: `Usage: deno task agents list [--personas DIR] [--json]

Lists every persona: name, kind (llm or rule), title, role, risk appetite, factors, what it sees (indicators,
returns, volatility, regime, position, recent closes), template version and model. A bad persona file is an
error naming the file, the field and the fix (exit 2).

${PERSONAS_HELP}
  --json                  the personas as JSON`,
  decide: `Usage: deno task agents decide --persona NAME --data SERIES|FILE [--at DATE] [options]

One decision at the last bar that opened at or before --at (default the last bar). Prints the facts (each with the
time it became available), the prompt (system and user), the answer (or the abstention and why), the validation,
the cost (tokens, USD) and the request and response hashes. A rule persona (rule_trend) needs no key.

  --persona NAME          the persona (deno task agents list)
  --data SERIES|FILE      a stored series (samples:GOOG:1d) or a CSV file
  --timeframe TF          timeframe of a CSV file (default: guessed from the bar spacing)
  --from DATE, --to DATE  the bars loaded (the facts read bars up to the decision bar only)
  --at DATE               decide at the last bar at or before DATE (2024-01-01, 2024-01-01T12:00 UTC, epoch ms)
  --position P            the position held: -1, 0 or 1 [0]
${PERSONAS_HELP}
  --json                  the decision as JSON

${LLM_HELP}`,
  report: `Usage: deno task agents report (--account NAME | --run ID) [--horizon N] [--out DIR] [--json]

The learning report of a decision history: decision rows from an account's audit log (its decision events, and the
closes of its bar events) or from a backtest run's decisions.jsonl (the closes of the run's series); per persona and
factor the hit rate, the IC of confidence x direction against forward returns, the Brier score and reliability, the
P&L contribution, and a walk-forward of learned vs equal vote weights with PSR and DSR.

  --account NAME          a paper or live account (<data dir>/_accounts/NAME/audit.sqlite, opened read-only)
  --data-dir DIR          the data dir of --account (default: $SENTINEL_DATA_DIR or data/store)
  --run ID                a backtest run of llm_persona or llm_debate in the runs registry
  --data SERIES|FILE      the bars of the run's decisions (default: the run's series; a CSV run uses its
                          buy-and-hold benchmark, the close scaled by a constant)
  --horizon N             bars from a decision to its outcome [1]
  --out DIR               write report.md, report.json and reliability.svg
  --json                  the report as JSON`,
  memory:
    `Usage: deno task agents memory --data SERIES|FILE --strategy llm_persona|llm_debate [--param k=v ...] [options]

Runs the same agent backtest twice: masked (times relative to the decision, a pseudonym, prices rebased to 100) and
unmasked (dates, the real symbol, raw prices). Reports the window's overlap with the model's training data, the
agreement rate of the two runs' actions per decision bar, total return, Sharpe and max drawdown of each, and the
difference (unmasked - masked). Unmasked prompts are different requests: record both runs once (--llm-cache record),
then replay. --llm-budget caps both runs together.

  --data SERIES|FILE      a stored series (samples:GOOG:1d) or a CSV file
  --timeframe TF, --calendar CAL, --from DATE, --to DATE, --periods-per-year N, --risk-free R  as in deno task backtest
  --strategy NAME         llm_persona or llm_debate
  --param k=v             a strategy parameter (repeatable): persona=NAME, personas=a,b,c, rounds=N, every=N
  --fee, --spread, --slippage, --cash, --size, --direction, ...  simulation options as in deno task backtest
${PERSONAS_HELP}
  --out DIR               write comparison.md, comparison.json and equity.svg
  --json                  the comparison as JSON

${LLM_HELP}`,
};

const COMMON = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
} as const;
const PERSONAS = { personas: { type: "string", multiple: true } } as const;

type Command = (args: string[], signal: AbortSignal) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  async list(args) {
    const values = commandFlags(args, { ...COMMON, ...PERSONAS }, "deno task agents list", HELP.list!);
    if (values === null) return 0;
    const dirs = personaDirsOf(values);
    const personas = await loadPersonas(dirs === undefined ? {} : { dirs });
    if (values.json) printJson(personas.map(personaRow));
    else {
      console.log(textTable(
        ["name", "kind", "title", "risk", "factors", "sees", "template", "model"],
        personas.map((p) => {
          const r = personaRow(p);
          return [r.name, r.kind, r.title, r.riskAppetite, r.factors.join(","), r.sees, r.templateVersion, r.model];
        }),
      ));
      for (const p of personas) console.log(`\n${p.name}: ${p.role}`);
    }
    return 0;
  },

  async decide(args, signal) {
    const values = commandFlags(
      args,
      {
        ...COMMON,
        ...PERSONAS,
        ...LLM_FLAGS,
        persona: { type: "string" },
        data: { type: "string" },
        timeframe: DATA_FLAGS.timeframe,
        from: DATA_FLAGS.from,
        to: DATA_FLAGS.to,
        at: { type: "string" },
        position: { type: "string" },
      },
      "deno task agents decide",
      HELP.decide!,
    );
    if (values === null) return 0;
    const persona = values.persona as string | undefined;
    const data = values.data as string | undefined;
    if (!persona) throw new UsageError("decide needs --persona NAME (see `deno task agents list`)");
    if (!data) {
      throw new UsageError("decide needs --data SERIES|FILE (a stored series such as samples:GOOG:1d, or a CSV)");
    }
    const position = positionOf(values.position as string | undefined);
    const at = values.at === undefined ? undefined : parseDateFlag("at", values.at as string);
    const loaded = await loadData(data, dataOptionsFromFlags(values));
    const runtime = await agentsRuntime(values);
    try {
      const r = await decideAt({
        runtime,
        persona,
        data: loaded,
        position,
        signal,
        ...(at === undefined ? {} : { at }),
      });
      if (values.json) printJson(r);
      else console.log(decideText(r));
    } finally {
      runtime.close();
    }
    return 0;
  },

  async report(args) {
    const values = commandFlags(
      args,
      {
        ...COMMON,
        account: { type: "string" },
        "data-dir": { type: "string" },
        run: { type: "string" },
        data: { type: "string" },
        horizon: { type: "string" },
        out: { type: "string" },
      },
      "deno task agents report",
      HELP.report!,
    );
    if (values === null) return 0;
    const account = values.account as string | undefined;
    const run = values.run as string | undefined;
    if ((account === undefined) === (run === undefined)) {
      throw new UsageError(
        "report needs exactly one of --account NAME or --run ID (see `deno task agents report --help`)",
      );
    }
    const h = values.horizon as string | undefined;
    const horizon = h === undefined ? 1 : Number(h);
    if (h !== undefined && (!/^\d+$/.test(h) || horizon < 1 || horizon > 100_000)) {
      throw new UsageError(`--horizon ${JSON.stringify(h)} is not valid: use a whole number of bars from 1 to 100000`);
    }
    const history = account !== undefined
      ? accountHistory(account, values["data-dir"] as string | undefined)
      : await runHistory(run!, values.data as string | undefined);
    const report = historyReport(history, horizon);
    const out = values.out as string | undefined;
    const written = out === undefined ? [] : await writeReport(report, out);
    if (values.json) printJson({ source: history.source, closesFrom: history.closesFrom, report, files: written });
    else {
      console.log(
        `# Learning report: ${history.source} (closes from ${history.closesFrom}, horizon ${horizon} bar${
          horizon === 1 ? "" : "s"
        })\n`,
      );
      console.log(report.toMarkdown());
      for (const f of written) console.log(`wrote ${f}`);
    }
    return 0;
  },

  async memory(args, signal) {
    const values = commandFlags(
      args,
      {
        ...COMMON,
        ...PERSONAS,
        ...LLM_FLAGS,
        ...DATA_FLAGS,
        ...SIMULATION_FLAGS,
        data: { type: "string" },
        strategy: { type: "string" },
        param: { type: "string", multiple: true },
        out: { type: "string" },
      },
      "deno task agents memory",
      HELP.memory!,
    );
    if (values === null) return 0;
    const data = values.data as string | undefined;
    const strategy = values.strategy as string | undefined;
    if (!data) {
      throw new UsageError("memory needs --data SERIES|FILE (a stored series such as samples:GOOG:1d, or a CSV)");
    }
    if (!strategy) throw new UsageError("memory needs --strategy llm_persona or llm_debate");
    const dataOptions = dataOptionsFromFlags(values);
    const loaded = await loadData(data, dataOptions);
    const c = await runMemoryComparison({
      values,
      data: loaded,
      strategy,
      params: parseParamFlags((values.param as string[] | undefined) ?? []),
      options: optionsFromFlags(values),
      signal,
    });
    const out = values.out as string | undefined;
    const written = out === undefined ? [] : await writeComparison(c, out);
    if (values.json) printJson({ ...c.toJSON(), files: written });
    else {
      console.log(c.toMarkdown());
      for (const f of written) console.log(`wrote ${f}`);
    }
    return 0;
  },
};

/** A persona as `list` shows it. */
function personaRow(p: Persona): {
  name: string;
  kind: string;
  title: string;
  role: string;
  riskAppetite: string;
  factors: string[];
  sees: string;
  templateVersion: string;
  model: string;
} {
  const s = p.sees;
  const sees = [
    ...s.indicators,
    ...s.returns.map((r) => `ret_${r}`),
    ...(s.volatility === undefined ? [] : [`vol_${s.volatility}`]),
    ...(s.regime ? ["regime"] : []),
    ...(s.position ? ["position"] : []),
    ...(s.recentCloses > 0 ? [`closes_${s.recentCloses}`] : []),
  ].join(",");
  return {
    name: p.name,
    kind: p.kind,
    title: p.title,
    role: p.role,
    riskAppetite: p.riskAppetite,
    factors: p.factors.map((f) => f.id),
    sees,
    templateVersion: p.template.version,
    model: p.kind === "rule" ? "-" : p.model?.id ?? "default",
  };
}

function positionOf(v: string | undefined): -1 | 0 | 1 {
  if (v === undefined) return 0;
  if (v === "-1" || v === "0" || v === "1") return Number(v) as -1 | 0 | 1;
  throw new UsageError(`--position ${JSON.stringify(v)} is not valid: use -1 (short), 0 (flat) or 1 (long)`);
}

if (import.meta.main) {
  await runSubcommands({ usage: USAGE, commands: COMMANDS, help: HELP });
}
