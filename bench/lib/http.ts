/**
 * A minimal HTTP client for sequential measurements: node:http with one keep-alive connection, so a
 * sample is one request on a warm connection and the client adds as little as possible.
 */
import http from 'node:http';

export interface HttpResponse {
  status: number;
  body: string;
  /** Milliseconds from sending the request to the last byte of the response. */
  ms: number;
}

export class HttpClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  /**
   * One request. A kept-alive connection the server closed while idle (its keep-alive timeout) fails
   * as ECONNRESET when reused; such a request is sent once more on a new connection.
   */
  async request(url: string, method: 'GET' | 'POST', body?: string, timeoutMs = 60_000): Promise<HttpResponse> {
    try {
      return await this.send(url, method, body, timeoutMs);
    } catch (error) {
      if ((error as { reusedSocket?: boolean }).reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
        return this.send(url, method, body, timeoutMs);
      }
      throw error;
    }
  }

  private send(url: string, method: 'GET' | 'POST', body: string | undefined, timeoutMs: number): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = http.request(url, { method, headers, agent: this.agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
      req.on('error', (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
      req.end(body);
    });
  }

  post(url: string, body: string): Promise<HttpResponse> {
    return this.request(url, 'POST', body);
  }

  async getJson<T>(url: string): Promise<T> {
    const res = await this.request(url, 'GET', undefined, 10_000);
    if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status}`);
    return JSON.parse(res.body) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A GraphQL request body. */
export const graphqlBody = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });

/**
 * Whether a GraphQL response is a success: HTTP 200, data present, no errors. Cheap enough for the
 * load generator (no JSON parse): the key `"errors":` never occurs in the data of these operations.
 */
export function isGraphQLSuccess(body: string): boolean {
  return body.includes('"data":{') && !body.includes('"errors":');
}

/** The errors of a GraphQL response as one line, or undefined when it succeeded. */
export function describeFailure(res: HttpResponse): string | undefined {
  if (res.status === 200 && isGraphQLSuccess(res.body)) return undefined;
  try {
    const parsed = JSON.parse(res.body) as { errors?: { message: string; extensions?: { code?: string } }[] };
    const errors = parsed.errors?.map((e) => `${e.message}${e.extensions?.code ? ` (${e.extensions.code})` : ''}`);
    return `HTTP ${res.status}: ${errors?.join('; ') ?? res.body.slice(0, 300)}`;
  } catch {
    return `HTTP ${res.status}: ${res.body.slice(0, 300)}`;
  }
}
