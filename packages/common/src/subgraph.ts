/**
 * What every subgraph shares: an Apollo Server built from the subgraph's SDL and resolvers, served
 * over plain node:http with /graphql, /healthz, /readyz and /metrics, one log line per request and a
 * graceful close.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { DocumentNode } from 'graphql';
import { errorCodes, logRequest, type Logger } from './logger.ts';
import { METRICS_REFUSED, metricsAllowed, type SubgraphMetrics } from './metrics.ts';
import type { OperationsConfig } from './config.ts';
import { gracefulServer, type ShutdownOptions } from './shutdown.ts';
import { REQUEST_ID_HEADER } from './viewer.ts';
import { languageOf, t, withLanguage } from './i18n/index.ts';

/** What the request log line learns from Apollo: keyed by the request's context object. */
interface OperationRecord {
  operationName: string | null;
  errorCodes: string[];
}
const operationRecords = new WeakMap<object, OperationRecord>();

/** Notes each operation's name and the codes of the errors the client gets (after masking). */
const operationRecordPlugin: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, operationName }) {
        const record = operationRecords.get(contextValue);
        if (record) record.operationName = operationName ?? null;
      },
      async willSendResponse({ contextValue, response }) {
        const record = operationRecords.get(contextValue);
        if (record && response.body.kind === 'single') record.errorCodes = errorCodes(response.body.singleResult.errors);
      },
    };
  },
};

export function createApolloSubgraph<Context extends BaseContext>(options: {
  typeDefs: DocumentNode;
  resolvers: unknown;
  development: boolean;
  logger?: Logger;
  /** The service's name and, once its database has failed for good, why (see embedded/pglite.ts). */
  databaseFailure?: { service: string; reason(): string | null };
}): ApolloServer<Context> {
  return new ApolloServer<Context>({
    schema: buildSubgraphSchema([{ typeDefs: options.typeDefs, resolvers: options.resolvers as GraphQLResolverMap<Context> }]),
    includeStacktraceInErrorResponses: options.development,
    // runMain owns SIGTERM/SIGINT: drain HTTP first, then stop Apollo, then close the database.
    stopOnTerminationSignals: false,
    // No landing page: Apollo's loads its sandbox from Apollo's CDN (nothing loads offline), and a browser
    // cannot use a subgraph anyway — every request needs the gateway's signed viewer. GraphiQL is the gateway's.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      operationRecordPlugin as ApolloServerPlugin<Context>,
    ],
    // Unexpected errors are masked outside development: no stack traces, no SQL.
    formatError: (formatted, error) => {
      const code = formatted.extensions?.code;
      // A failed database fails every statement: say so (without paths) instead of "Internal server error".
      const failed = options.databaseFailure?.reason();
      if (failed && (!code || code === 'INTERNAL_SERVER_ERROR')) {
        return {
          message: t('error.databaseUnavailable', { service: options.databaseFailure!.service, reason: failed }),
          path: formatted.path,
          extensions: { code: 'DATABASE_UNAVAILABLE' },
        };
      }
      if (options.development || (code && code !== 'INTERNAL_SERVER_ERROR')) return formatted;
      options.logger?.error({ err: error }, 'unexpected error');
      return { message: t('error.internal'), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    },
  });
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Discard the rest rather than destroy the socket, so the client gets the 413 (then the
        // connection closes: the error response says `connection: close`).
        req.removeAllListeners('data');
        req.resume();
        reject(Object.assign(new Error('Request body too large'), { status: 413 }));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Serves an Apollo Server on node:http. `context` builds the per-request context (loaders etc.). */
export async function listen<Context extends BaseContext>(
  server: ApolloServer<Context>,
  options: {
    host: string;
    port: number;
    context: (req: http.IncomingMessage) => Promise<Context>;
    ready?: () => Promise<void>;
    /** Benchmarks: the number of SQL statements sent so far, served at GET /debug/sql-statements. */
    sqlStatements?: () => number;
    /** One line per request (see logger.ts). */
    logger?: Logger;
    /** Served at GET /metrics when given, to those `metricsAllowed` lets in. */
    metrics?: SubgraphMetrics;
    metricsAccess?: Pick<OperationsConfig, 'metricsToken' | 'metricsClosedWithoutToken'>;
    /** close(): drain time and deadline; default: close at once, cut in-flight requests after 10 s. */
    shutdown?: ShutdownOptions;
    /** Maintenance routes (`/admin/*`, see admin.ts); true when it answered the request. */
    admin?: (req: http.IncomingMessage, res: http.ServerResponse, pathname: string) => Promise<boolean>;
  },
): Promise<RunningServer> {
  await server.start();
  // Every request runs in the language its Accept-Language prefers (the gateway sends the one it chose):
  // messages made anywhere while answering it come out in that language (i18n/index.ts).
  const httpServer = http.createServer((req, res) => withLanguage(languageOf(req.headers['accept-language']), () => handle(req, res)));
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Operations: the gateway's request id goes back in the response and into one log line and the metrics.
    const began = performance.now();
    const incomingId = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof incomingId === 'string' ? incomingId.slice(0, 100) : null;
    if (requestId) res.setHeader(REQUEST_ID_HEADER, requestId);
    const record: OperationRecord = { operationName: null, errorCodes: [] };
    res.once('finish', () => {
      const line = { requestId, method: req.method ?? 'GET', path: url.pathname, status: res.statusCode, ...record };
      const seconds = (performance.now() - began) / 1000;
      if (options.logger) logRequest(options.logger, { ...line, durationMs: Math.round(seconds * 1000) });
      options.metrics?.observeRequest({ ...line, seconds });
    });
    try {
      if (url.pathname === '/metrics' && options.metrics) {
        if (options.metricsAccess && !metricsAllowed(options.metricsAccess, req.headers.authorization)) {
          res.writeHead(403, { 'content-type': 'text/plain' }).end(METRICS_REFUSED);
          return;
        }
        const { contentType, body } = await options.metrics.render();
        res.writeHead(200, { 'content-type': contentType }).end(body);
        return;
      }
      if (url.pathname === '/healthz') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        return;
      }
      if (url.pathname === '/readyz') {
        try {
          // A load balancer stops sending as soon as shutdown begins.
          if (graceful.draining) throw new Error('shutting down');
          await options.ready?.();
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
        } catch (error) {
          res
            .writeHead(503, { 'content-type': 'application/json' })
            .end(JSON.stringify({ status: 'not ready', reason: String((error as Error).message) }));
        }
        return;
      }
      if (options.admin && (await options.admin(req, res, url.pathname))) return;
      if (url.pathname === '/debug/sql-statements' && options.sqlStatements) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ statements: options.sqlStatements() }));
        return;
      }
      if (url.pathname !== '/graphql' && url.pathname !== '/') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        return;
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const raw = req.method === 'POST' ? await readBody(req) : '';
      let body: unknown = raw;
      if (raw && (headers.get('content-type') ?? '').includes('json')) {
        try {
          body = JSON.parse(raw);
        } catch {
          res
            .writeHead(400, { 'content-type': 'application/json' })
            .end(JSON.stringify({ errors: [{ message: t('error.malformedJson'), extensions: { code: 'BAD_REQUEST' } }] }));
          return;
        }
      }
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: async () => {
          try {
            const context = await options.context(req);
            operationRecords.set(context, record);
            return context;
          } catch (error) {
            record.errorCodes = errorCodes([error as { extensions?: Record<string, unknown> }]);
            throw error;
          }
        },
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.end(response.body.string);
      } else {
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      if (status >= 500) options.logger?.error({ err: error, requestId }, 'request failed');
      if (!res.headersSent)
        res.writeHead(status, { 'content-type': 'application/json', ...(status === 413 ? { connection: 'close' } : {}) });
      const tooLarge = { message: t('error.bodyTooLarge'), extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } };
      res.end(JSON.stringify({ errors: [status === 413 ? tooLarge : { message: t('error.internal') }] }));
    }
  };
  const graceful = gracefulServer(httpServer, options.shutdown ?? { timeoutMs: 10_000, delayMs: 0 });
  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}/graphql`,
    port,
    close: async () => {
      await graceful.close();
      await server.stop();
    },
  };
}
