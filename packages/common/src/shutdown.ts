/**
 * Graceful shutdown of a node:http server, shared by the gateway and the subgraphs: readiness fails
 * first (so a load balancer stops sending), then the server stops accepting connections, lets the
 * requests in flight finish, and cuts what is left at the deadline. Node 20's own
 * closeIdleConnections/closeAllConnections do the work; no library needed.
 */
import type http from 'node:http';

export interface ShutdownOptions {
  /** How long in-flight requests may take before their connections are cut. */
  timeoutMs: number;
  /** How long readiness fails while new connections are still accepted (load balancer drain time). */
  delayMs: number;
}

export interface GracefulServer {
  /** True from the moment shutdown begins: /readyz answers 503. */
  readonly draining: boolean;
  /** Drains and closes the server; resolves when the last connection is gone. Idempotent. */
  close(): Promise<void>;
}

export function gracefulServer(server: http.Server, options: ShutdownOptions): GracefulServer {
  let draining = false;
  let closed: Promise<void> | undefined;
  // While draining, each answer tells a keep-alive client to reconnect (elsewhere), and the connection
  // it leaves idle is closed at once instead of lingering for the keep-alive timeout.
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (draining) res.setHeader('connection', 'close');
    res.once('finish', () => {
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
  });
  const close = async () => {
    draining = true;
    if (options.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (!server.listening) return;
    await new Promise<void>((resolve) => {
      const deadline = setTimeout(() => server.closeAllConnections(), options.timeoutMs);
      server.close(() => {
        clearTimeout(deadline);
        resolve();
      });
      server.closeIdleConnections();
    });
  };
  return {
    get draining() {
      return draining;
    },
    close: () => (closed ??= close()),
  };
}
