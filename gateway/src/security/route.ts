/**
 * Which requests are GraphQL requests. Yoga (inside Hive Gateway) answers as GraphQL every request
 * whose URL *ends with* the endpoint (or the endpoint and a slash) or whose path matches it, so
 * `/graphql/`, `//graphql`, `/x/graphql` and even `/?next=/graphql` reach the GraphQL handler. A
 * defence that compared `url.pathname` with `/graphql` let all of them through unchecked.
 *
 * Two rules close that, each enough on its own:
 * - every defence asks `isGraphQLRoute`, the same rule Yoga routes by, so nothing it answers escapes;
 * - `canonicalPathOnly` answers 404 to every variant, so the only GraphQL path is the canonical one
 *   (caches, logs and metrics see one path).
 */
import type { GatewayPlugin } from '@graphql-hive/gateway';
import { t } from '@moral-registry/common';

/**
 * Yoga's routing rule (graphql-yoga's useUnhandledRoute), for one endpoint. Yoga also tests a
 * URLPattern of the endpoint; for a literal path that matches exactly that path (case-sensitive, no
 * percent-decoding), which the comparisons here already cover.
 */
export function graphqlRoute(endpoint: string): (request: Request, url: URL) => boolean {
  return (request, url) =>
    request.url.endsWith(endpoint) || request.url.endsWith(`${endpoint}/`) || url.pathname === endpoint || url.pathname === `${endpoint}/`;
}

/** 404 for every URL that Yoga would answer as GraphQL on another path than `endpoint` itself. */
export function canonicalPathOnly(endpoint: string, isGraphQLRoute: (request: Request, url: URL) => boolean): GatewayPlugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname === endpoint || !isGraphQLRoute(request, url)) return;
      const body = { errors: [{ message: t('error.endpoint', { endpoint }), extensions: { code: 'NOT_FOUND' } }] };
      endResponse(
        new fetchAPI.Response(JSON.stringify(body), { status: 404, headers: { 'content-type': 'application/json; charset=utf-8' } }),
      );
    },
  };
}
