/**
 * The passphrase KDF of a vault, recorded in its file so the cost can be raised later (`vault rotate --passphrase`
 * re-derives with {@link DEFAULT_KDF_PARAMS} and a fresh salt). scrypt from `@noble/hashes`; memory is `128 * r * N`
 * bytes.
 */
export interface KdfParams {
  name: "scrypt";
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
  /** The salt, base64 (16 random bytes for a new vault). */
  salt: string;
}

/**
 * The cost a new vault gets: scrypt N=2^17, r=8, p=1 (128 MiB), about 0.7-1.1 s on the lab's 2-core machine under
 * load (see the module doc for the figures and the command that measured them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_KDF_PARAMS } from "./kdf_params.ts";
 * assert.equal(128 * DEFAULT_KDF_PARAMS.r * DEFAULT_KDF_PARAMS.N, 128 * 1024 * 1024);
 * ```
 */
export const DEFAULT_KDF_PARAMS: Readonly<Omit<KdfParams, "salt">> = Object.freeze({
  name: "scrypt" as const,
  N: 2 ** 17,
  r: 8,
  p: 1,
});
