import { t } from '@moral-registry/common';
import { dataOf, type Api } from '../api.ts';
import type { TypedDocumentString } from '../generated/graphql.ts';
import type { ExportContext } from './types.ts';

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

/**
 * Every record of an export's list in its scope: of the scope's province (or all), with `variables`
 * (the fiscal year), a full page at a time; `what` names the list in the progress and error messages.
 */
export function pagedInScope<Data, Variables extends { after?: string | null; provinceCode?: string | null; first?: number | null }, Node>(
  context: ExportContext,
  document: TypedDocumentString<Data, Variables>,
  connection: (data: Data) => Page<Node>,
  what: string,
  variables: Omit<Variables, 'after' | 'provinceCode' | 'first'>,
): AsyncGenerator<Node> {
  const all = { provinceCode: context.province?.code ?? null, ...variables, first: PAGE } as unknown as Omit<Variables, 'after'>;
  return paged(context.api, document, connection, all, t('cli.export.reading', { what }));
}
