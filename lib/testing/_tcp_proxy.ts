// A byte relay from a port of its own to the fake's HTTP server. Deno's server-side WebSocket can only close with a
// close frame; the relay lets a test cut a connection dead (the client sees 1006), as a network failure would.

interface Pair {
  down: Deno.TcpConn;
  up: Deno.TcpConn;
  done: () => void;
}

export class TcpProxy {
  readonly #listener: Deno.TcpListener;
  /** By the relay's local port towards the server, which the server sees as the remote port. */
  readonly #pairs = new Map<number, Pair>();
  readonly #accepting: Promise<void>;

  constructor(serverPort: number) {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.#accepting = this.#accept(serverPort);
  }

  get port(): number {
    return this.#listener.addr.port;
  }

  /** Closes the connection that reached the server from `remotePort`, without a goodbye. */
  cut(remotePort: number): void {
    this.#pairs.get(remotePort)?.done();
  }

  async close(): Promise<void> {
    try {
      this.#listener.close();
    } catch {
      // already closed
    }
    for (const p of [...this.#pairs.values()]) p.done();
    await this.#accepting;
  }

  async #accept(serverPort: number): Promise<void> {
    try {
      for await (const down of this.#listener) {
        let up: Deno.TcpConn;
        try {
          up = await Deno.connect({ hostname: "127.0.0.1", port: serverPort });
        } catch {
          down.close();
          continue;
        }
        down.setNoDelay(true);
        up.setNoDelay(true);
        const key = up.localAddr.port;
        let closed = false;
        const done = (): void => {
          if (closed) return;
          closed = true;
          this.#pairs.delete(key);
          for (const c of [down, up]) {
            try {
              c.close();
            } catch {
              // already closed
            }
          }
        };
        this.#pairs.set(key, { down, up, done });
        const a = down.readable.pipeTo(up.writable).catch(done);
        const b = up.readable.pipeTo(down.writable).catch(done);
        Promise.all([a, b]).then(done);
      }
    } catch {
      // the listener was closed
    }
  }
}
