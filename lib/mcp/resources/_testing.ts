// Test helpers of the resources and prompts: a client connected in memory to a full server over a data dir, and a
// snapshot of a folder to show reads leave it byte-identical.

import { join } from "node:path";
import { Client, InMemoryTransport } from "../_sdk.ts";
import { createMcpServer } from "../create_mcp_server.ts";

/** A client connected to `createMcpServer({ dataDir })` in memory; `close` closes both ends. */
export async function connectedClient(dataDir: string): Promise<Client & AsyncDisposable> {
  const server = createMcpServer({ dataDir });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "resources-test", version: "1.0.0" });
  await client.connect(clientSide);
  return Object.assign(client, {
    async [Symbol.asyncDispose]() {
      await client.close();
      await server.close();
    },
  });
}

/** Path -> sha256 of every file, and every folder (as "dir"), under `root`. */
export async function snapshot(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for await (const e of Deno.readDir(dir)) {
      const path = join(dir, e.name);
      if (e.isDirectory) {
        out.set(path, "dir");
        await walk(path);
      } else if (e.isFile) {
        const bytes = await Deno.readFile(path);
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
        out.set(path, Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""));
      } else out.set(path, "other");
    }
  };
  await walk(root);
  return out;
}

/** The text of the one content of a `resources/read` answer. */
export function textOf(res: { contents: readonly { uri: string; text?: unknown; mimeType?: string }[] }): string {
  const c = res.contents[0];
  if (c === undefined || typeof c.text !== "string") throw new Error("the answer has no text content");
  return c.text;
}
