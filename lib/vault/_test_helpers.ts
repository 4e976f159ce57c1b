// Test helpers: a temp data dir per test and a cheap KDF cost (the default costs about a second per open).
export const TEST_KDF = { N: 2 ** 10 } as const;
export const PASS = "test passphrase 1";

export async function withDataDir(fn: (dataDir: string) => Promise<void> | void): Promise<void> {
  const dataDir = await Deno.makeTempDir({ prefix: "vault-" });
  try {
    await fn(dataDir);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
}

/** Every file under `dir` (recursively) as latin1 text, for substring scans of secrets. */
export function allBytes(dir: string): string {
  let out = "";
  for (const e of Deno.readDirSync(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) out += allBytes(p);
    else if (e.isFile) out += new TextDecoder("latin1").decode(Deno.readFileSync(p));
  }
  return out;
}
