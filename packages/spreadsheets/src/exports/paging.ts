import { dataOf, type Api } from '../api.ts';
import type { TypedDocumentString } from '../generated/graphql.ts';

/** The API's largest page. */
export const PAGE = 100;

/** A connection as the export documents select it. */
interface Page<Node> {
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  edges: { node: Node }[];
}

/** Every node of a connection, page by page (at most 100 per request, the API's limit). */
export async function* paged<Data, Variables extends { after?: string | null }, Node>(
  api: Api,
  document: TypedDocumentString<Data, Variables>,
  connection: (data: Data) => Page<Node>,
  variables: Omit<Variables, 'after'>,
  what: string,
): AsyncGenerator<Node> {
  let after: string | null = null;
  for (;;) {
    const page = connection(dataOf(await api.request(document, { ...variables, after } as Variables), what));
    for (const edge of page.edges) yield edge.node;
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
    after = page.pageInfo.endCursor;
  }
}
