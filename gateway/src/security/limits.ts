/**
 * Abuse limits on the shape of a request (docs/SECURITY.md, "Limits"): body size, tokens, depth,
 * aliases and directives, each refused with its own error code before anything reaches a subgraph.
 * The checks are GraphQL Armor's; this module gives their errors codes a client can act on.
 */
import { GraphQLError, type ValidationContext } from 'graphql';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { Callers } from './caller.ts';
import { t, type MessageKey } from '@moral-registry/common';

export interface ShapeLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxBodyBytes: number;
}

export const LIMIT_CODES = {
  depth: 'QUERY_TOO_DEEP',
  aliases: 'TOO_MANY_ALIASES',
  tokens: 'TOO_MANY_TOKENS',
  directives: 'TOO_MANY_DIRECTIVES',
  body: 'REQUEST_ENTITY_TOO_LARGE',
  mediaType: 'UNSUPPORTED_MEDIA_TYPE',
} as const;

/**
 * Armor reports a rejection as a plain "Syntax Error: …" without a code; this reports it again with
 * the limit's code instead (as a validation error, or thrown from the parser for the token limit).
 */
function coded(code: (typeof LIMIT_CODES)[keyof typeof LIMIT_CODES], max: number) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null) => {
        const message = t(LIMIT_MESSAGES[code]!, { max });
        if (context) context.reportError(new GraphQLError(message, { extensions: { code } }));
        else throw new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
      },
    ],
  };
}

/** Armor's own texts are English only; ours say the same in the caller's language. */
const LIMIT_MESSAGES = {
  [LIMIT_CODES.tokens]: 'limits.tokens',
  [LIMIT_CODES.depth]: 'limits.depth',
  [LIMIT_CODES.aliases]: 'limits.aliases',
  [LIMIT_CODES.directives]: 'limits.directives',
} as Record<string, MessageKey>;

function bodyTooLarge(limit: number): GraphQLError {
  return new GraphQLError(t('limits.body', { max: limit }), {
    extensions: { code: LIMIT_CODES.body, http: { status: 413 } },
  });
}

/**
 * Refuses bodies over the limit: at once when Content-Length says so, otherwise (chunked uploads) as
 * soon as the bytes read pass it. Yoga has the same check, but the gateway runtime does not expose
 * its setting and its default is 25 MB.
 */
function useMaxBodySize(limit: number): GatewayPlugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const declared = request.headers.get('content-length');
      if (declared && /^\d+$/.test(declared) && Number(declared) > limit) throw bodyTooLarge(limit);
      if (!requestParser || !request.body) return;
      // The body may be Node's own stream or whatwg-node's: the transform must be of the same kind.
      const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
      setRequestParser((original) => {
        let read = 0;
        const counted = original.body!.pipeThrough(
          new Transform<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              read += chunk.byteLength;
              if (read > limit) controller.error(bodyTooLarge(limit));
              else controller.enqueue(chunk);
            },
          }),
        );
        const init = { method: original.method, headers: original.headers, signal: original.signal, body: counted, duplex: 'half' };
        // The parser reports a broken stream as invalid JSON (it does not recognize a GraphQLError
        // from another copy of graphql): say what happened instead.
        return Promise.resolve(requestParser(new fetchAPI.Request(original.url, init as RequestInit))).catch((error: unknown) => {
          throw read > limit ? bodyTooLarge(limit) : error;
        });
      });
    },
  };
}

const JSON_BODY = /^application\/(graphql\+)?json\s*(;|$)/i;

/**
 * POST bodies must be JSON. Yoga also reads form-urlencoded bodies, which a page on any site can make
 * a browser send without asking (no CORS preflight): refused, like text/plain and multipart, with 415.
 */
function useJsonBodiesOnly(): GatewayPlugin {
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST' || JSON_BODY.test(request.headers.get('content-type') ?? '')) return;
      throw new GraphQLError(t('limits.json'), {
        extensions: { code: LIMIT_CODES.mediaType, http: { status: 415, headers: { accept: 'application/json' } } },
      });
    },
  };
}

/**
 * "Did you mean …?" in graphql-js messages, in each of its forms: fields, arguments and types
 * (`Did you mean "province"?`), enum values (`Did you mean the enum value "TOTAL"?`) and input fields,
 * from validation and from coercing variables alike.
 */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '').trim();
}

/** Longest error message sent; a subgraph's message quoting a caller's value is cut here at the latest. */
export const MAX_MESSAGE_LENGTH = 1000;

/**
 * Error messages as callers get them: never longer than MAX_MESSAGE_LENGTH (a message quoting a
 * megabyte-long value does not send it back), and — in production, for anonymous and partner callers —
 * without suggestions, which tell a stranger the schema's names (staff keep them, as they keep
 * introspection). Applied to every answer, not only to validation: a variable's enum value or input
 * field is checked while coercing, not validating.
 */
function useSafeErrorMessages(callers: Callers, hideSuggestions: boolean, limits: ShapeLimits): GatewayPlugin {
  const maxOf: Record<string, number> = {
    [LIMIT_CODES.tokens]: limits.maxTokens,
    [LIMIT_CODES.depth]: limits.maxDepth,
    [LIMIT_CODES.aliases]: limits.maxAliases,
    [LIMIT_CODES.directives]: limits.maxDirectives,
  };
  const scrub = (result: unknown, suggestions: boolean) => {
    for (const error of (result as { errors?: { message: string; extensions?: { code?: unknown } }[] } | null)?.errors ?? []) {
      // Validation results are cached per document, messages and all: a limit's message is said again
      // here in the language of this request.
      const code = error.extensions?.code;
      if (typeof code === 'string' && LIMIT_MESSAGES[code]) error.message = t(LIMIT_MESSAGES[code], { max: maxOf[code]! });
      let message = suggestions ? error.message : withoutSuggestions(error.message);
      if (message.length > MAX_MESSAGE_LENGTH) message = `${message.slice(0, MAX_MESSAGE_LENGTH)}…`;
      if (message !== error.message) error.message = message;
    }
  };
  return {
    onResultProcess({ request, result }) {
      const suggestions = !hideSuggestions || callers.get(request).kind === 'staff';
      for (const one of Array.isArray(result) ? result : [result]) scrub(one, suggestions);
    },
  };
}

export function shapeLimitPlugins(limits: ShapeLimits, callers: Callers, production: boolean): GatewayPlugin[] {
  const plugins = [
    useJsonBodiesOnly(),
    useMaxBodySize(limits.maxBodyBytes),
    maxTokensPlugin({ n: limits.maxTokens, ...coded(LIMIT_CODES.tokens, limits.maxTokens) }),
    // Fragments count for the fields they hold, not as a level of their own: clients generated by
    // graphql-codegen spread fragments everywhere.
    maxDepthPlugin({ n: limits.maxDepth, flattenFragments: true, ...coded(LIMIT_CODES.depth, limits.maxDepth) }),
    maxAliasesPlugin({ n: limits.maxAliases, ...coded(LIMIT_CODES.aliases, limits.maxAliases) }),
    maxDirectivesPlugin({ n: limits.maxDirectives, ...coded(LIMIT_CODES.directives, limits.maxDirectives) }),
  ] as GatewayPlugin[];
  return [...plugins, useSafeErrorMessages(callers, production, limits)];
}
