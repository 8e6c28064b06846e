/**
 * Downloads over HTTP (docs/IMPORT.md, "Downloads over HTTP"): the open-data exports of
 * `npm run export` at
 *
 *   GET /exports/<what>.<csv|xlsx|json>?fiscalYear=2565&province=TH-14&region=NORTH&includeSynthetic=true
 *   GET /exports/<what>.metadata.json?…   (the data.go.th catalogue record, listing the three files)
 *
 * The same implementation as the command (@moral-registry/spreadsheets: prepareExport, startExport,
 * writeExport), reading through this gateway's own GraphQL endpoint in process with the caller's
 * headers (Authorization, X-API-Key, X-Forwarded-For, Accept-Language) and socket: every read is a
 * GraphQL request like any other, so authentication, roles, rate limits, cost limits, trusted
 * documents and the personal-data rules apply exactly as they do to the caller's own queries.
 *
 * The status is decided before the first byte: the request is checked and the first rows are read
 * (the API's refusals: 401, 403, 429 …); then the file streams to the client as it is written. An
 * error after that cuts the connection, so a client never mistakes half a file for a whole one.
 */
import { PassThrough, Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { create as contentDisposition } from 'content-disposition';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import { t } from '@moral-registry/common';
import {
  ApiUnavailable,
  CONTENT_TYPES,
  EXPORTS,
  EXPORT_FORMATS,
  HTTP_FIELDS,
  HttpApi,
  UsageError,
  exportFileNames,
  exportMetadata,
  prepareExport,
  resourceOf,
  startExport,
  writeExport,
  type ExportFormat,
} from '@moral-registry/spreadsheets';

export const EXPORTS_PREFIX = '/exports/';

const PATH = /^\/exports\/([A-Za-z]+)\.(csv|xlsx|json|metadata\.json)$/;
const PARAMETERS = ['fiscalYear', 'province', 'region', 'includeSynthetic'] as const;

/** The caller's headers that the reads through GraphQL carry. */
const FORWARDED = ['authorization', 'x-api-key', 'x-forwarded-for', 'x-request-id'];

/** HTTP status of an API refusal, by its code (GraphQL answers resolver errors with 200). */
const STATUS_OF: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
};

interface ErrorBody {
  error: { code: string; message: string; field?: string | null };
}

export interface ExportsOptions {
  graphqlPath: string;
  /**
   * The gateway's authentication: bad credentials are answered 401 before the parameters are looked
   * at, as a GraphQL request with them would be.
   */
  authenticate(headers: Headers): Promise<unknown>;
  /** Runs a GraphQL request through the gateway itself (with the caller's server context: its address). */
  graphql(request: Request, serverContext: Record<string, unknown>): Promise<Response>;
  /** Logs an unexpected failure. */
  onError?(error: unknown): void;
}

export function exportsPlugin(options: ExportsOptions): GatewayPlugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (!url.pathname.startsWith(EXPORTS_PREFIX)) return;
      const json = (status: number, body: ErrorBody, headers: Record<string, string> = {}) =>
        new fetchAPI.Response(JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
        });
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        const message = t('export.methodNotAllowed', { method: request.method.slice(0, 20) });
        endResponse(json(405, { error: { code: 'METHOD_NOT_ALLOWED', message } }, { allow: 'GET, HEAD' }));
        return;
      }
      const match = PATH.exec(url.pathname);
      if (!match || !(EXPORTS as readonly string[]).includes(match[1]!)) {
        const message = t('export.notFound', { path: url.pathname.slice(0, 100), whats: EXPORTS.join(', ') });
        endResponse(json(404, { error: { code: 'NOT_FOUND', message } }));
        return;
      }
      const what = match[1]!;
      const format = match[2] === 'metadata.json' ? null : (match[2] as ExportFormat);
      // The caller's request, as GraphQL requests of this gateway.
      const headers: Record<string, string> = {};
      for (const name of FORWARDED) {
        const value = request.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      // The caller's Node request: the reads count against the caller's address (rate limits).
      const nodeRequest = (serverContext as { req?: unknown }).req;
      const graphqlUrl = new URL(options.graphqlPath, url).toString();
      const api = new HttpApi(
        graphqlUrl,
        {},
        {
          headers,
          fetch: (input, init) => options.graphql(new fetchAPI.Request(input, init), nodeRequest ? { req: nodeRequest } : {}),
        },
      );
      try {
        try {
          await options.authenticate(request.headers);
        } catch (error) {
          if ((error as { extensions?: { code?: string } }).extensions?.code !== 'UNAUTHENTICATED') throw error;
          const message = (error as Error).message;
          endResponse(json(401, { error: { code: 'UNAUTHENTICATED', message, field: null } }, { 'www-authenticate': 'Bearer' }));
          return;
        }
        const parameters = readParameters(url.searchParams);
        const prepared = await prepareExport(api, { what, ...parameters }, HTTP_FIELDS);
        const started = await startExport(api, prepared);
        if (!format) {
          // The catalogue record: every row read (to count them), none written.
          for await (const _row of started.rows);
          const resources = EXPORT_FORMATS.map((f) =>
            resourceOf(f, exportFileNames(prepared, f).ascii, started.stats.rows, `${EXPORTS_PREFIX}${what}.${f}${url.search}`),
          );
          const metadata = exportMetadata(prepared, started.stats, resources);
          endResponse(
            new fetchAPI.Response(`${JSON.stringify(metadata, null, 2)}\n`, {
              headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'private, no-cache' },
            }),
          );
          return;
        }
        const names = exportFileNames(prepared, format);
        const responseHeaders = {
          'content-type': CONTENT_TYPES[format],
          // curl -OJ and old browsers take the ASCII name; browsers the Thai one (RFC 5987/8187 filename*).
          'content-disposition': contentDisposition(names.thai, { fallback: names.ascii }),
          // Data read with the caller's credentials: no shared cache may keep it.
          'cache-control': 'private, no-cache',
        };
        if (request.method === 'HEAD') {
          await started.cancel();
          endResponse(new fetchAPI.Response(null, { headers: responseHeaders }));
          return;
        }
        const body = new PassThrough();
        writeExport(prepared, started, format, body).catch((error: unknown) => {
          options.onError?.(error);
          body.destroy(error as Error);
        });
        const stream = Readable.toWeb(body) as NodeReadableStream<Uint8Array>;
        endResponse(new fetchAPI.Response(stream as unknown as ReadableStream<Uint8Array>, { headers: responseHeaders }));
      } catch (error) {
        endResponse(refusal(error, json, options.onError));
      }
    },
  };
}

/** The query parameters, checked: only the known ones, each once, includeSynthetic true or false. */
function readParameters(search: URLSearchParams) {
  for (const name of new Set(search.keys())) {
    if (!(PARAMETERS as readonly string[]).includes(name))
      throw new UsageError(t('export.unknownParameter', { field: name.slice(0, 40), known: PARAMETERS.join(', ') }), name.slice(0, 40));
    if (search.getAll(name).length > 1) throw new UsageError(t('export.repeated', { field: name }), name);
  }
  const includeSynthetic = search.get('includeSynthetic');
  if (includeSynthetic !== null && includeSynthetic !== 'true' && includeSynthetic !== 'false')
    throw new UsageError(t('export.notTrueFalse', { field: 'includeSynthetic', value: includeSynthetic.slice(0, 40) }), 'includeSynthetic');
  return {
    fiscalYear: search.get('fiscalYear'),
    province: search.get('province'),
    region: search.get('region'),
    includeSynthetic: includeSynthetic === 'true',
  };
}

/** A refused export as JSON `{ error: { code, message, field } }` with the status it deserves. */
function refusal(
  error: unknown,
  json: (status: number, body: ErrorBody, headers?: Record<string, string>) => Response,
  onError?: (error: unknown) => void,
) {
  if (error instanceof UsageError) return json(400, { error: { code: 'BAD_USER_INPUT', message: error.message, field: error.field } });
  if (error instanceof ApiUnavailable && error.refusal) {
    const { code, reason, field, status, retryAfter } = error.refusal;
    const answer = STATUS_OF[code] ?? (status && status >= 400 ? status : 502);
    const headers: Record<string, string> = {};
    if (answer === 401) headers['www-authenticate'] = 'Bearer';
    if (retryAfter) headers['retry-after'] = retryAfter;
    return json(answer, { error: { code, message: reason, field: field ?? null } }, headers);
  }
  onError?.(error);
  return json(500, { error: { code: 'INTERNAL_SERVER_ERROR', message: t('error.internal') } });
}
