/**
 * The GraphQL API as the importer and the exporter see it: POST to the gateway with the caller's
 * staff token (`authorization: Bearer …`) or partner key (`x-api-key`). A gateway that cannot be
 * reached, refused credentials and a missing mutation are `ApiUnavailable` (exit code 2); other
 * errors are returned to the caller, which decides what they mean for the rows.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FETCH_BAD_PORTS, readEnv } from '@moral-registry/common';
import { UnknownLanguage, currentLanguage, languageOfCommand, setProcessLanguage, t } from '@moral-registry/common';
import type { TypedDocumentString } from './generated/graphql.ts';

export interface Credentials {
  token?: string | null;
  apiKey?: string | null;
}

export interface GraphQLError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphQLResponse<Data> {
  data?: Data | null;
  errors?: GraphQLError[];
  /** The HTTP status the API answered with (HttpApi sets it; a fake API may not). */
  status?: number;
  /** The API's Retry-After header (rate limits). */
  retryAfter?: string | null;
}

/**
 * A document to send: a typed one from `graphql()` (./generated, made by graphql-codegen from the
 * composed supergraph), or text built at run time (the import mutation of a type), typed by the caller.
 */
export type GraphQLDocument<Data, Variables> = TypedDocumentString<Data, Variables> | string;

/** What the importer and exporter need of the API (tests may pass their own). */
export interface Api {
  readonly url: string;
  request<Data, Variables extends Record<string, unknown> = Record<string, unknown>>(
    document: GraphQLDocument<Data, Variables>,
    variables?: Variables,
  ): Promise<GraphQLResponse<Data>>;
}

/** What the API said when it refused: its code, field, HTTP status and message (for callers that answer over HTTP). */
export interface ApiRefusal {
  code: string;
  reason: string;
  field?: string | null;
  status?: number;
  retryAfter?: string | null;
}

/** The gateway can't be used at all: not reachable, credentials refused, or it lacks the operation. */
export class ApiUnavailable extends Error {
  constructor(
    message: string,
    /** Set when the API answered with an error (rather than not answering at all). */
    readonly refusal: ApiRefusal | null = null,
  ) {
    super(message);
    this.name = 'ApiUnavailable';
  }
}

/** Wrong options or an unreadable file: exit code 2. `field` names the option or parameter at fault. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The options of every spreadsheet command besides its own: the language it speaks, and its usage. */
const COMMAND_OPTIONS = {
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** A command line parsed with a command's own options and COMMAND_OPTIONS. */
export type CommandLine<Config extends ParseArgsConfig> = ReturnType<typeof parseArgs<Config & { options: typeof COMMAND_OPTIONS }>>;

/**
 * Runs a spreadsheet command (`npm run import`, `npm run export`): parses its command line (`config`,
 * with --lang and --help), speaks the language of --lang from then on, prints the usage for --help,
 * else sets the exit code from `main`; or 2 with the message, prefixed by the command's name, when the
 * command line, the API or the language is at fault (the usage follows a wrong command line); anything
 * else is printed whole.
 */
export async function runCommand<Config extends ParseArgsConfig>(
  name: string,
  usage: () => string,
  config: Config,
  main: (commandLine: CommandLine<Config>) => Promise<number>,
): Promise<void> {
  try {
    const commandLine = parseArgs({ ...config, options: { ...config.options, ...COMMAND_OPTIONS } }) as CommandLine<Config>;
    const { lang, help } = commandLine.values as { lang?: string; help: boolean };
    // What the command says (messages, the import's summary and error file) and the API's answers (it
    // answers in the caller's language) in Thai or English.
    setProcessLanguage(languageOfCommand(lang));
    if (help) {
      console.log(usage());
      process.exitCode = 0;
      return;
    }
    process.exitCode = await main(commandLine);
  } catch (error) {
    const known = error instanceof UsageError || error instanceof ApiUnavailable || error instanceof UnknownLanguage;
    if (known || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${name}: ${(error as Error).message}`);
      if (!known || error instanceof UsageError) console.error(usage());
    } else {
      console.error(error);
    }
    process.exitCode = 2;
  }
}

/** The gateway of this machine's configuration: http://HOST:GATEWAY_PORT/graphql. */
export function defaultGatewayUrl(): string {
  const env = readEnv();
  return `http://${env.HOST}:${env.GATEWAY_PORT}/graphql`;
}

/** Credentials from the options, else REGISTRY_TOKEN / REGISTRY_API_KEY. */
export function credentialsFrom(options: Credentials, env: NodeJS.ProcessEnv = process.env): Credentials {
  return {
    token: options.token ?? env.REGISTRY_TOKEN ?? null,
    apiKey: options.apiKey ?? env.REGISTRY_API_KEY ?? null,
  };
}

/** How HttpApi reaches the gateway: global fetch, or (inside the gateway) the gateway's own handler. */
export interface HttpApiOptions {
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** More request headers (the gateway forwards its caller's address and language). */
  headers?: Record<string, string>;
}

export class HttpApi implements Api {
  private readonly headers: Record<string, string>;
  private readonly signedIn: boolean;
  private readonly fetch: (url: string, init: RequestInit) => Promise<Response>;

  constructor(
    readonly url: string,
    credentials: Credentials = {},
    options: HttpApiOptions = {},
  ) {
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
    const parsed = URL.canParse(url) ? new URL(url) : null;
    const port = parsed ? Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)) : null;
    // Node's fetch refuses these outright ("bad port"); say so instead of "cannot reach the API".
    if (port !== null && FETCH_BAD_PORTS.has(port)) {
      throw new ApiUnavailable(t('cli.api.badPort', { url, port }));
    }
    this.headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    // The API's messages (row reasons, refusals) in the language of the command (--lang).
    this.headers['accept-language'] = currentLanguage();
    Object.assign(this.headers, options.headers);
    if (credentials.token) this.headers.authorization = `Bearer ${credentials.token}`;
    else if (credentials.apiKey) this.headers['x-api-key'] = credentials.apiKey;
    this.signedIn = !!(credentials.token || credentials.apiKey);
  }

  async request<Data, Variables extends Record<string, unknown> = Record<string, unknown>>(
    document: GraphQLDocument<Data, Variables>,
    variables?: Variables,
  ): Promise<GraphQLResponse<Data>> {
    let response: Response;
    try {
      const body = JSON.stringify({ query: String(document), variables: variables ?? {} });
      response = await this.fetch(this.url, { method: 'POST', headers: this.headers, body });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiUnavailable(
        t('cli.api.unreachable', { url: this.url, reason: cause?.code ?? cause?.message ?? (error as Error).message }),
      );
    }
    let body: GraphQLResponse<Data>;
    try {
      body = (await response.json()) as GraphQLResponse<Data>;
    } catch {
      throw new ApiUnavailable(t('cli.api.notGraphQL', { url: this.url, status: response.status }));
    }
    const code = body.errors?.[0]?.extensions?.code;
    if (response.status === 401 || code === 'UNAUTHENTICATED') {
      const reason = body.errors?.[0]?.message ?? `HTTP ${response.status}`;
      throw new ApiUnavailable(this.signedIn ? t('cli.api.refusedCredentials', { reason }) : t('cli.api.signIn', { reason }), {
        code: 'UNAUTHENTICATED',
        reason,
        status: 401,
      });
    }
    return { ...body, status: response.status, retryAfter: response.headers.get('retry-after') };
  }
}

/** The data of a response, or an error naming the first GraphQL error. */
export function dataOf<Data>(response: GraphQLResponse<Data>, what: string): Data {
  if (response.errors?.length || !response.data) {
    const first = response.errors?.[0];
    throw new ApiUnavailable(
      t('cli.api.failed', { what, reason: first ? `${first.extensions?.code ?? 'ERROR'}: ${first.message}` : t('cli.api.noData') }),
      {
        code: first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR',
        reason: first?.message ?? t('cli.api.noData'),
        field: typeof first?.extensions?.field === 'string' ? first.extensions.field : null,
        status: response.status,
        retryAfter: response.retryAfter ?? null,
      },
    );
  }
  return response.data;
}
