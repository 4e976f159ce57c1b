// A strategy with every parameter type, for the contract tests.
import { z } from "zod";
import { defineStrategy } from "./define_strategy.ts";

export const kitchenSink = defineStrategy({
  name: "kitchen_sink",
  title: "Kitchen sink",
  description: "Exercises every parameter type; never trades.",
  params: z.object({
    period: z.number().int().min(2).default(5).describe("Bars"),
    ratio: z.number().positive().lt(1).default(0.5).meta({ description: "A fraction", step: 0.05 }),
    scale: z.number().default(1),
    invert: z.boolean().default(false),
    side: z.enum(["long", "short"]).default("long"),
  }),
  warmup: (p) => p.period,
  signals(frame) {
    const n = frame.length;
    return { kind: "signals", entries: new Uint8Array(n), exits: new Uint8Array(n) };
  },
});
