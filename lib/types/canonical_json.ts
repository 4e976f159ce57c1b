import canonicalizeModule from "canonicalize";

// canonicalize 2.1.0 is CommonJS (`module.exports = fn`) but its .d.ts declares an ES default export, so the
// types see a namespace where the runtime hands over the function.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/**
 * RFC 8785 canonical JSON (JCS: keys sorted by code unit, no whitespace, ECMAScript number text) through the npm
 * `canonicalize` package, so a hash over it does not depend on key order or on how a reader re-serialises a value.
 * Audit events and risk-config hashes use it. Throws a TypeError for a value with no JSON form (`undefined`, a
 * function).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalJson } from "./canonical_json.ts";
 * assert.equal(canonicalJson({ b: 1, a: [2, { d: 1e21, c: "x" }] }), '{"a":[2,{"c":"x","d":1e+21}],"b":1}');
 * ```
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError(`canonicalJson: ${typeof value} has no JSON form`);
  return text;
}
