// The vault's cryptography: scrypt (@noble/hashes) for the key-encryption key, AES-256-GCM (WebCrypto) for sealing.
import { scryptAsync } from "@noble/hashes/scrypt.js";
import type { KdfParams } from "./kdf_params.ts";

const enc = new TextEncoder();

/** The plaintext of the verifier block; its value is public, only the key that seals it is not. */
const VERIFIER_TEXT = "sentinel-vault verifier v1";

export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function randomSalt(): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(16)));
}

/**
 * The AES-256-GCM key of a passphrase, non-extractable. The passphrase is NFC-normalised first (the same words typed
 * on another keyboard or OS give the same bytes); the derived bytes are zeroed once imported.
 */
export async function deriveKey(passphrase: string, kdf: KdfParams): Promise<CryptoKey> {
  const pass = enc.encode(passphrase.normalize("NFC"));
  const dk = await scryptAsync(pass, fromBase64(kdf.salt), {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    dkLen: 32,
    maxmem: 128 * kdf.r * kdf.N + 1024 * 1024,
  });
  pass.fill(0);
  try {
    return await crypto.subtle.importKey("raw", new Uint8Array(dk), "AES-GCM", false, ["encrypt", "decrypt"]);
  } finally {
    dk.fill(0);
  }
}

/** Seals `plain` under a fresh random 96-bit IV with `aad` bound in; zeroes `plain` afterwards. */
export async function seal(key: CryptoKey, plain: Uint8Array<ArrayBuffer>, aad: string): Promise<{
  iv: string;
  data: string;
}> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  try {
    const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: enc.encode(aad) }, key, plain);
    return { iv: toBase64(iv), data: toBase64(new Uint8Array(ct)) };
  } finally {
    plain.fill(0);
  }
}

/** The plaintext of a sealed block, or null when the tag does not verify (wrong key, damaged bytes, other `aad`). */
export async function open(
  key: CryptoKey,
  sealed: { iv: string; data: string },
  aad: string,
): Promise<Uint8Array<ArrayBuffer> | null> {
  try {
    const pt = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(sealed.iv), additionalData: enc.encode(aad) },
      key,
      fromBase64(sealed.data),
    );
    return new Uint8Array(pt);
  } catch {
    return null;
  }
}

/** Associated data of the verifier: the KDF parameters, so a file edited to other parameters fails as a whole. */
export function verifierAad(kdf: KdfParams): string {
  return `sentinel-vault:1:verifier:${JSON.stringify([kdf.name, kdf.N, kdf.r, kdf.p, kdf.salt])}`;
}

/** Associated data of an entry: its name and exchange, so a sealed entry moved to another name fails to open. */
export function entryAad(name: string, exchange: string): string {
  return `sentinel-vault:1:entry:${JSON.stringify([name, exchange])}`;
}

export function sealVerifier(key: CryptoKey, kdf: KdfParams): Promise<{ iv: string; data: string }> {
  return seal(key, enc.encode(VERIFIER_TEXT), verifierAad(kdf));
}

export async function checkVerifier(key: CryptoKey, kdf: KdfParams, sealed: { iv: string; data: string }): Promise<
  boolean
> {
  const pt = await open(key, sealed, verifierAad(kdf));
  return pt !== null && new TextDecoder().decode(pt) === VERIFIER_TEXT;
}
