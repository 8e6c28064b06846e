/**
 * Structured logs: one JSON object per line (pino), so a log shipper can index them without parsing
 * text. Every line names its service; request lines carry the request id the gateway assigned.
 */
import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import type { OperationsConfig } from './config.ts';

export type { Logger };

/** What the one line per request says. Never variables (personal data) and never headers. */
export interface RequestLogLine {
  requestId: string | null;
  method: string;
  path: string;
  operationName: string | null;
  status: number;
  durationMs: number;
  /** `extensions.code` of every error in the response, in order, without duplicates. */
  errorCodes: string[];
}

export function createLogger(service: string, operations: Pick<OperationsConfig, 'logLevel' | 'logPretty'>): Logger {
  return pino({
    level: operations.logLevel,
    // pid and host tell replicas apart.
    base: { service, pid: process.pid, hostname: hostname() },
    // ISO times read better than epoch milliseconds and sort the same.
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Belt and braces: request lines never carry these, but an error object might.
    redact: { paths: ['variables', '*.variables', 'headers.authorization', 'headers["x-api-key"]'], remove: true },
    transport: operations.logPretty ? { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } : undefined,
  });
}

/**
 * Logs one finished request: server errors at `error`, client errors at `warn`, the rest at `info`.
 * Probes and scrapes come every few seconds: `debug` when they succeed, `warn` when not ready.
 */
export function logRequest(logger: Logger, line: RequestLogLine): void {
  const probe = line.path === '/healthz' || line.path === '/readyz' || line.path === '/metrics';
  const level = probe ? (line.status >= 400 ? 'warn' : 'debug') : line.status >= 500 ? 'error' : line.status >= 400 ? 'warn' : 'info';
  logger[level](line, 'request');
}

/** The distinct `extensions.code` values of GraphQL errors (`INTERNAL_SERVER_ERROR` when one has none). */
export function errorCodes(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string[] {
  const codes = new Set<string>();
  for (const error of errors ?? []) {
    const code = error.extensions?.code;
    codes.add(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR');
  }
  return [...codes];
}
