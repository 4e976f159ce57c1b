/** A terminal to read keystrokes from: `Deno.stdin`, or `/dev/tty` opened as a `Deno.FsFile`. */
export interface SecretLineInput {
  read(p: Uint8Array): Promise<number | null>;
  setRaw(mode: boolean): void;
}

/** Options of {@link readSecretLine}. */
export interface ReadSecretLineOptions {
  /** Shown before the input, e.g. `"API secret: "`. */
  prompt: string;
  /** Where the keystrokes come from. Default `Deno.stdin` (which must be a terminal). */
  input?: SecretLineInput;
  /** Where the prompt and the final newline go. Default `Deno.stderr` (stdout stays for machine output). */
  output?: { writeSync(p: Uint8Array): number };
}

const CR = 0x0d, LF = 0x0a, CTRL_C = 0x03, CTRL_D = 0x04, CTRL_U = 0x15, BS = 0x08, DEL = 0x7f, ESC = 0x1b;

/**
 * Reads one line from a terminal without echo: the terminal is put in raw mode, so the typed or pasted characters
 * are never drawn and never reach the scrollback. Enter ends the line; Backspace deletes a character, Ctrl-U the
 * whole line; Ctrl-D on an empty line gives ""; Ctrl-C throws an `AbortError`; cursor keys are ignored. Raw mode is
 * left on every path out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSecretLine } from "./read_secret_line.ts";
 * const keys = new TextEncoder().encode("s3crx\x7ft\r");
 * let raw = false, shown = "";
 * const input = {
 *   setRaw: (on: boolean) => void (raw = on),
 *   read: (p: Uint8Array) => Promise.resolve((p.set(keys), keys.length)),
 * };
 * const output = { writeSync: (p: Uint8Array) => (shown += new TextDecoder().decode(p), p.length) };
 * assert.equal(await readSecretLine({ prompt: "secret: ", input, output }), "s3crt");
 * assert.equal(shown, "secret: \n");
 * assert.equal(raw, false);
 * ```
 */
export async function readSecretLine(options: ReadSecretLineOptions): Promise<string> {
  const input = options.input ?? Deno.stdin;
  const output = options.output ?? Deno.stderr;
  const enc = new TextEncoder();
  output.writeSync(enc.encode(options.prompt));
  const bytes: number[] = [];
  const chunk = new Uint8Array(1024);
  let escape = 0; // 1: after ESC, 2: inside a CSI sequence
  input.setRaw(true);
  try {
    for (;;) {
      const n = await input.read(chunk);
      if (n === null) return finish(bytes);
      for (let i = 0; i < n; i++) {
        const b = chunk[i]!;
        if (escape === 1) {
          escape = b === 0x5b || b === 0x4f ? 2 : 0;
          continue;
        }
        if (escape === 2) {
          if (b < 0x40 || b > 0x7e) continue;
          escape = 0;
          continue;
        }
        if (b === CR || b === LF) return finish(bytes);
        if (b === CTRL_D) {
          if (bytes.length === 0) return "";
          return finish(bytes);
        }
        if (b === CTRL_C) throw new DOMException("cancelled at the prompt (Ctrl-C); nothing was changed", "AbortError");
        if (b === CTRL_U) bytes.length = 0;
        else if (b === BS || b === DEL) {
          // Drop one whole UTF-8 character: its continuation bytes (10xxxxxx), then its lead byte.
          while (bytes.length > 0 && (bytes[bytes.length - 1]! & 0xc0) === 0x80) bytes.pop();
          bytes.pop();
        } else if (b === ESC) escape = 1;
        else if (b >= 0x20 || b === 0x09) bytes.push(b);
      }
    }
  } finally {
    chunk.fill(0);
    input.setRaw(false);
    output.writeSync(enc.encode("\n"));
  }
}

function finish(bytes: number[]): string {
  const s = new TextDecoder().decode(new Uint8Array(bytes));
  bytes.fill(0);
  return s;
}
