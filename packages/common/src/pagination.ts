import { badUserInput } from './errors.ts';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page {
  limit: number;
  offset: number;
}

/** Cursors are opaque to clients; inside they are offsets into a stable ordering. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): number {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  // An offset the database can take (a 64-bit one is not a safe JavaScript number): larger ones were never handed out.
  const match = /^o:(\d{1,15})$/.exec(decoded);
  if (!match) throw badUserInput(field, `${field} is not a cursor returned by this API`);
  return Number(match[1]);
}

export function pageOf(args: PageArgs): Page {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput('first', `first must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  const offset = args.after ? decodeCursor(args.after) + 1 : 0;
  return { limit: first, offset };
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** Builds a connection from one page of rows fetched at `page.offset` and the total count. */
export function connection<T>(rows: T[], page: Page, totalCount: number): Connection<T> {
  const edges = rows.map((node, i) => ({ cursor: encodeCursor(page.offset + i), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.offset + rows.length < totalCount,
      hasPreviousPage: page.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}
