// A scripted webhook receiver on 127.0.0.1 for the notify tests.

/** What the server does with the k-th request: answer a status (with headers), or hang until the client leaves. */
export type Step = { status: number; headers?: Record<string, string>; delayMs?: number } | "hang";

export interface ScriptedServer extends AsyncDisposable {
  readonly url: string;
  /** Bodies received, in order, with the status answered (0 for a hung request). */
  readonly received: { body: string; status: number; key: string | null }[];
}

/** Answers `script[k]` to the k-th request and the last step to every later one. */
export function scriptedServer(script: readonly Step[], path = "/hook"): ScriptedServer {
  const received: { body: string; status: number; key: string | null }[] = [];
  const release = Promise.withResolvers<void>();
  let k = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const step = script[Math.min(k++, script.length - 1)] ?? { status: 200 };
    const body = await req.text();
    if (step === "hang") {
      received.push({ body, status: 0, key: req.headers.get("idempotency-key") });
      const left = new Promise<void>((r) => req.signal.addEventListener("abort", () => r(), { once: true }));
      await Promise.race([left, release.promise]);
      return new Response(null, { status: 200 });
    }
    if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs));
    received.push({ body, status: step.status, key: req.headers.get("idempotency-key") });
    return new Response(step.status === 204 ? null : "ok", { status: step.status, headers: step.headers });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}${path}`,
    received,
    async [Symbol.asyncDispose]() {
      release.resolve();
      await server.shutdown();
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (it was just closed). */
export async function closedPort(): Promise<number> {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => new Response());
  const port = server.addr.port;
  await server.shutdown();
  return port;
}
