/**
 * The whole supergraph: four subgraphs and the gateway, queried over HTTP the way a user does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { post, postRaw } from '@moral-registry/common/testing';
import { composeSupergraph, SUPERGRAPH_PATH } from '../schema/composition.ts';
import { graphql } from './generated/gql.ts';
import { startStack, type Stack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

function query<R, V extends Record<string, unknown>>(doc: TypedDocumentNode<R, V>, variables?: V): Promise<R> {
  return post<R>(stack.gatewayUrl, print(doc), variables);
}

const Acceptance = graphql(`
  query Acceptance {
    provinces {
      code
    }
    province(code: "TH-14") {
      nameTh
      nameEn
      region {
        code
      }
      networks {
        sector {
          code
        }
        agencyCount
      }
      agencyStats {
        total
      }
      programmeYears {
        programmeYear
        fiscalYear
        targetBehaviourTh
      }
      activities(fiscalYear: 2565, first: 20) {
        totalCount
        edges {
          node {
            titleTh
            kind
            startDate
            fiscalYear
            venue
            participantCount
            participatingAgencyCount
            organizers {
              nameTh
            }
          }
        }
      }
    }
  }
`);

// What the comparison asks of each province: one figure from each subgraph that contributes stats (the generated
// documents below carry this fragment).
graphql(`
  fragment ProvinceFigures on Province {
    code
    nameTh
    agencyStats {
      total
    }
    activityStats(fiscalYear: 2565) {
      count
      participantCount
    }
    recognitionStats(fiscalYear: 2565) {
      total
    }
  }
`);

const Comparison = graphql(`
  query Comparison {
    provinces {
      ...ProvinceFigures
    }
  }
`);

const OneProvince = graphql(`
  query OneProvince($code: ID!) {
    province(code: $code) {
      ...ProvinceFigures
    }
  }
`);

describe('the supergraph through the gateway', () => {
  it('answers the acceptance query: Ayutthaya, its 9 networks, 59 agencies and the meeting of 16 December 2021', async () => {
    const data = await query(Acceptance);
    expect(data.provinces).toHaveLength(77);
    const p = data.province!;
    expect(p.nameTh).toBe('พระนครศรีอยุธยา');
    expect(p.nameEn).toBe('Phra Nakhon Si Ayutthaya');
    expect(p.region.code).toBe('CENTRAL');
    expect(p.networks).toHaveLength(9);
    expect(p.networks.reduce((sum, n) => sum + n.agencyCount!, 0)).toBe(59);
    expect(p.agencyStats!.total).toBe(59);
    expect(p.programmeYears.find((y) => y.programmeYear === 3)).toEqual({
      programmeYear: 3,
      fiscalYear: 2565,
      targetBehaviourTh: 'ชาวอยุธยา มีวินัย ใส่ใจส่วนรวม',
    });
    const meeting = p.activities!.edges.map((e) => e.node).find((a) => a.startDate === '2021-12-16');
    expect(meeting).toMatchObject({
      kind: 'CONSULTATION_MEETING',
      fiscalYear: 2565,
      participantCount: 85,
      participatingAgencyCount: 59,
      organizers: [{ nameTh: 'ศูนย์คุณธรรม (องค์การมหาชน)' }, { nameTh: 'สำนักงานวัฒนธรรมจังหวัดพระนครศรีอยุธยา' }],
    });
    expect(meeting!.venue).toContain('โรงแรมอยุธยาแกรนด์');
  });

  it('lines up all 77 provinces in one query, with zeros where there is no data', async () => {
    const data = await query(Comparison);
    expect(data.provinces).toHaveLength(77);
    const ayutthaya = data.provinces.find((p) => p.code === 'TH-14')!;
    expect(ayutthaya.agencyStats!.total).toBe(59);
    expect(ayutthaya.activityStats).toEqual({ count: 1, participantCount: 85 });
    const bangkok = data.provinces.find((p) => p.code === 'TH-10')!;
    expect(bangkok).toMatchObject({
      agencyStats: { total: 0 },
      activityStats: { count: 0, participantCount: 0 },
      recognitionStats: { total: 0 },
    });
  });

  it('costs the same number of SQL statements for 77 provinces as for 1', async () => {
    await query(OneProvince, { code: 'TH-14' }); // warm-up: first requests may prepare connections
    let before = stack.statementsBy();
    await query(OneProvince, { code: 'TH-14' });
    const one = Object.fromEntries(Object.entries(stack.statementsBy()).map(([s, n]) => [s, n - before[s as keyof typeof before]]));
    before = stack.statementsBy();
    await query(Comparison);
    const all = Object.fromEntries(Object.entries(stack.statementsBy()).map(([s, n]) => [s, n - before[s as keyof typeof before]]));
    expect(all).toEqual(one);
    // One statement per stats field per subgraph, and one for the provinces themselves.
    expect(all).toEqual({ networks: 1, agencies: 1, activities: 1, awards: 1 });
  });

  it('passes a subgraph’s input errors through with their code', async () => {
    const result = await postRaw(stack.gatewayUrl, `{ province(code: "TH-14") { activityStats(fiscalYear: 2021) { count } } }`);
    expect(result.errors?.[0]?.message).toContain('2564');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('the committed supergraph equals a fresh composition of the four subgraph schemas', () => {
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(composeSupergraph());
  });
});

describe('subgraph requests and their abort signals', () => {
  it('leaves no abort listener behind per subgraph request (no MaxListenersExceededWarning after many requests)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => {
      if (warning.name === 'MaxListenersExceededWarning') warnings.push(warning.message);
    };
    process.on('warning', onWarning);
    try {
      // Each answer needs the networks and the agencies subgraph: 30 requests are 60 subgraph requests,
      // far more than the 10 listeners after which Node warns about one signal.
      for (let i = 0; i < 30; i++) {
        const data = await post<{ province: { nameTh: string; agencyStats: { total: number } } }>(
          stack.gatewayUrl,
          '{ province(code: "TH-14") { nameTh agencyStats { total } } }',
        );
        expect(data.province.agencyStats.total).toBeGreaterThan(0);
      }
      // Warnings are emitted on the next tick.
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});
