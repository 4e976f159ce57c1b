import {
  type AuditEvent,
  type AuditEventInput,
  AuditEventInputSchema,
  type AuditEventOf,
  GENESIS_HASH,
  hashEvent,
} from "../audit/mod.ts";

/** Options of {@link AgentJournal}. */
export interface AgentJournalOptions {
  /** The `account` field of the events (a backtest's pseudo-account, e.g. `backtest`). Default `backtest`. */
  account?: string;
  /**
   * Validate each event by the audit schema before chaining it. Default true. The agent runtime turns it off for
   * the events its desk builds (typed, from answers already validated): a replayed 5,000-bar debate appends 65,000
   * of them and the check was 15% of its time; the tests validate every event such a run writes, the lab validates
   * each line of `decisions.jsonl` it reads, and a runner's audit log validates on append.
   */
  validate?: boolean;
}

/**
 * The agent decisions of a backtest as a hash chain, built exactly as `lib/audit`'s log builds one (same schema, same
 * `hashEvent`), but in memory: a backtest has no account log, yet its decisions must be audit events whose head hash
 * proves that a replay decided the same. Event times are the decision times (never the wall clock), so the same
 * backtest gives the same head hash on any machine, recorded or replayed.
 *
 * Each append is validated by the audit schema first: an invalid event throws and nothing is appended.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AgentJournal } from "./agent_journal.ts";
 * const j = new AgentJournal();
 * const payload = { agent: "rule_trend", action: "buy" as const, confidence: 0.4, reasoning: "above SMA", factors: [], targetWeights: { X: 1 } };
 * j.append({ kind: "decision", runId: "r1", ts: 60_000, payload });
 * const again = new AgentJournal();
 * again.append({ kind: "decision", runId: "r1", ts: 60_000, payload });
 * assert.equal(j.head().hash, again.head().hash);
 * assert.equal(j.head().seq, 1);
 * ```
 */
export class AgentJournal {
  readonly account: string;
  readonly #events: AuditEvent[] = [];
  readonly #validate: boolean;

  constructor(options: AgentJournalOptions = {}) {
    this.account = options.account ?? "backtest";
    this.#validate = options.validate ?? true;
  }

  /**
   * Validates (unless the journal was made with `validate: false`) and chains one event; returns it. Needs `ts` (the
   * decision time): a journal never reads the clock.
   */
  append(input: AuditEventInput): AuditEvent {
    if (input.ts === undefined) {
      throw new TypeError(`AgentJournal.append: event ${input.kind} has no ts; pass the decision time (epoch ms)`);
    }
    let e = input;
    if (this.#validate) {
      const parsed = AuditEventInputSchema.safeParse(input);
      if (!parsed.success) {
        const i = parsed.error.issues[0]!;
        throw new TypeError(
          `AgentJournal.append: invalid ${input.kind} event at ${i.path.join(".") || "(root)"}: ${i.message}`,
        );
      }
      e = parsed.data as AuditEventInput;
    }
    const prev = this.#events.at(-1);
    const body = {
      seq: (prev?.seq ?? 0) + 1,
      ts: e.ts!,
      account: this.account,
      runId: e.runId,
      kind: e.kind,
      payload: e.payload,
      ...(e.correlationId === undefined ? {} : { correlationId: e.correlationId }),
      prevHash: prev?.hash ?? GENESIS_HASH,
    } as Omit<AuditEvent, "hash">;
    const event = { ...body, hash: hashEvent(body) } as AuditEvent;
    this.#events.push(event);
    return event;
  }

  /** Every event, in order. */
  get events(): readonly AuditEvent[] {
    return this.#events;
  }

  /** The `decision` events. */
  decisions(): AuditEventOf<"decision">[] {
    return this.#events.filter((e): e is AuditEventOf<"decision"> => e.kind === "decision");
  }

  /** The last event's seq and hash (0 and 64 zeros when empty). */
  head(): { seq: number; hash: string } {
    const last = this.#events.at(-1);
    return last === undefined ? { seq: 0, hash: GENESIS_HASH } : { seq: last.seq, hash: last.hash };
  }
}
