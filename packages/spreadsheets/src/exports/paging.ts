import { dataOf, type Api } from '../api.ts';

/** The API's largest page. */
export const PAGE = 100;

interface Page<Node> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: Node }[];
}

/** Every node of a connection, page by page (at most 100 per request, the API's limit). */
export async function* paged<Node>(
  api: Api,
  query: string,
  field: string,
  variables: Record<string, unknown>,
  what: string,
): AsyncGenerator<Node> {
  let after: string | null = null;
  for (;;) {
    const data: Record<string, Page<Node>> = dataOf(await api.request<Record<string, Page<Node>>>(query, { ...variables, after }), what);
    const page = data[field]!;
    for (const edge of page.edges) yield edge.node;
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
    after = page.pageInfo.endCursor;
  }
}
