/**
 * What every subgraph shares: an Apollo Server built from the subgraph's SDL and resolvers, served
 * over plain node:http with /graphql, /healthz and /readyz.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { ApolloServer, HeaderMap, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';

export function readTypeDefs(schemaPath: string) {
  return parse(readFileSync(schemaPath, 'utf8'));
}

export function createApolloSubgraph<Context extends BaseContext>(options: {
  schemaPath: string;
  resolvers: unknown;
  development: boolean;
}): ApolloServer<Context> {
  return new ApolloServer<Context>({
    schema: buildSubgraphSchema([
      { typeDefs: readTypeDefs(options.schemaPath), resolvers: options.resolvers as GraphQLResolverMap<Context> },
    ]),
    includeStacktraceInErrorResponses: options.development,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    // Unexpected errors are masked outside development: no stack traces, no SQL.
    formatError: (formatted, error) => {
      const code = formatted.extensions?.code;
      if (options.development || (code && code !== 'INTERNAL_SERVER_ERROR')) return formatted;
      console.error('[subgraph] unexpected error', error);
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
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
        reject(Object.assign(new Error('Request body too large'), { status: 413 }));
        req.destroy();
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
  },
): Promise<RunningServer> {
  await server.start();
  const httpServer = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/healthz') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        return;
      }
      if (url.pathname === '/readyz') {
        try {
          await options.ready?.();
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
        } catch (error) {
          res
            .writeHead(503, { 'content-type': 'application/json' })
            .end(JSON.stringify({ status: 'not ready', reason: String((error as Error).message) }));
        }
        return;
      }
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
            .end('{"errors":[{"message":"Malformed JSON body","extensions":{"code":"BAD_REQUEST"}}]}');
          return;
        }
      }
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: () => options.context(req),
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
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: status === 413 ? 'Request body too large' : 'Internal server error' }] }));
    }
  });
  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}/graphql`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeIdleConnections();
      });
      await server.stop();
    },
  };
}
