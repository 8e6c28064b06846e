import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { SUPERGRAPH_PATH } from '../gateway.ts';
import { costSchema, operationCost } from './cost.ts';

/** The list sizes of the arguments added for search and paging (docs/SEARCH.md) count in the estimate. */
describe('cost estimate of paging and ranking arguments', () => {
  const schema = costSchema(readFileSync(SUPERGRAPH_PATH, 'utf8'));
  const cost = (query: string) =>
    operationCost(schema, parse(query), {}, null, { defaultListSize: 10, defaultPageSize: 20, maxPageSize: 100 });

  it('counts `last` like `first`: 50 edges of agencies cost 50 × (edge + node) + the connection', () => {
    expect(cost('{ agencies(search: "วัด", last: 50) { edges { node { id } } } }')).toBe(1 + 50 * 2);
    expect(cost('{ agencies(search: "วัด") { edges { node { id } } } }')).toBe(1 + 20 * 2);
  });

  it('counts a ranking’s `first`: the top 5 provinces cost 5 rows, all of them 77', () => {
    expect(cost('{ agencyRanking(first: 5) { rank province { code } } }')).toBe(5 * 2);
    expect(cost('{ agencyRanking { rank province { code } } }')).toBe(77 * 2);
    expect(cost('{ activityRanking(fiscalYear: 2565, first: 3, order: ASC) { province { code } } }')).toBe(3 * 2);
  });

  it('multiplies a list under 77 provinces by its `last`', () => {
    expect(cost('{ provinces { agencies(search: "วัด", last: 100) { edges { node { id } } } } }')).toBe(77 * (1 + 1 + 100 * 2));
  });
});
