import type { PromotionChecklist } from "./promotion_checklist.ts";

/**
 * A promotion was refused: at least one gate failed. `checklist` holds every gate with its evidence; the message
 * lists the failed gates and their evidence. Fix what it names (record the evidence, configure the limits, repair
 * the strategy) and promote again; nothing was written to the account.
 */
export class PromotionRefused extends Error {
  override name = "PromotionRefused";
  readonly checklist: PromotionChecklist;

  constructor(checklist: PromotionChecklist) {
    const failed = checklist.gates.filter((g) => !g.ok);
    super(
      `promotion of ${checklist.strategy} to ${checklist.account} refused: ${failed.length} gate(s) failed: ${
        failed.map((g) => `${g.name} (${g.evidence.replace(/\s*\n\s*/g, "; ")})`).join("; ")
      }`,
    );
    this.checklist = checklist;
  }
}
