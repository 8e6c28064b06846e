/**
 * The national synthetic dataset loaded into fresh databases of all four services (scale 0.02):
 * row counts equal what the generator yields, loading twice adds nothing, the services agree on the
 * ids they share without reading each other's tables, and the Ayutthaya case stays as it is.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inMemory, withMessage } from '@moral-registry/common/testing';
import {
  AGENCIES,
  MEETING,
  SYNTHETIC_DISTRICTS,
  syntheticDataset,
  type SyntheticSeedResult,
  type SyntheticTable,
} from '@moral-registry/common/demo';
import { createServer as createNetworks } from '@moral-registry/networks';
import { createServer as createAgencies } from '@moral-registry/agencies';
import { createServer as createActivities } from '@moral-registry/activities';
import { createServer as createAwards } from '@moral-registry/awards';
import { loadReferenceData } from '../services/networks/src/seed/reference-data.ts';
import { seedSynthetic as seedNetworks } from '../services/networks/src/seed/synthetic.ts';
import { seedSynthetic as seedAgencies } from '../services/agencies/src/seed/synthetic.ts';
import { seedSynthetic as seedActivities } from '../services/activities/src/seed/synthetic.ts';
import { seedSynthetic as seedAwards } from '../services/awards/src/seed/synthetic.ts';

const OPTIONS = { scale: 0.02, seed: 1 };
const dataset = syntheticDataset(OPTIONS);
const label = dataset.label;

let networks: Awaited<ReturnType<typeof createNetworks>>;
let agencies: Awaited<ReturnType<typeof createAgencies>>;
let activities: Awaited<ReturnType<typeof createActivities>>;
let awards: Awaited<ReturnType<typeof createAwards>>;

async function loadAll(): Promise<SyntheticSeedResult[]> {
  return [
    await seedNetworks(networks.db, OPTIONS),
    await seedAgencies(agencies.db, OPTIONS),
    await seedActivities(activities.db, OPTIONS),
    await seedAwards(awards.db, OPTIONS),
  ];
}

/** Rows of this dataset in each table, counted in the databases. */
async function counts(): Promise<Record<SyntheticTable, number>> {
  const ofDataset = { activity: { sourceLabel: label } };
  return {
    network: await networks.db.client.network.count({ where: { sourceLabel: label } }),
    agency: await agencies.db.client.agency.count({ where: { sourceLabel: label } }),
    person: await agencies.db.client.person.count({ where: { sourceLabel: label } }),
    activity: await activities.db.client.activity.count({ where: { sourceLabel: label } }),
    activityOrganizer: await activities.db.client.activityOrganizer.count({ where: ofDataset }),
    activityParticipant: await activities.db.client.activityParticipant.count({ where: ofDataset }),
    recognition: await awards.db.client.recognition.count({ where: { sourceLabel: label } }),
  };
}

const expected = () =>
  Object.fromEntries(
    (['network', 'agency', 'person', 'activity', 'activityOrganizer', 'activityParticipant', 'recognition'] as const).map((t) => [
      t,
      dataset.count(t),
    ]),
  );

let first: SyntheticSeedResult[];
let caseAgenciesBefore: unknown[];

beforeAll(async () => {
  [networks, agencies, activities, awards] = await Promise.all([
    createNetworks({ config: inMemory, seed: true }),
    createAgencies({ config: inMemory, seed: true }),
    createActivities({ config: inMemory, seed: true }),
    createAwards({ config: inMemory, seed: true }),
  ]);
  caseAgenciesBefore = await agencies.db.client.agency.findMany({ where: { sourceLabel: { not: label } }, orderBy: { id: 'asc' } });
  first = await loadAll();
}, 600_000);

afterAll(async () => {
  await Promise.all([networks, agencies, activities, awards].map((s) => s?.close()));
});

describe('npm run seed -- --synthetic (scale 0.02)', () => {
  it('loads exactly the rows the generator yields', async () => {
    expect(await counts()).toEqual(expected());
    const created = Object.fromEntries(first.flatMap((r) => Object.entries(r.tables).map(([t, v]) => [t, v.created])));
    expect(created).toEqual(expected());
    expect(first.every((r) => r.otherDataset === undefined)).toBe(true);
  });

  it('adds nothing when loaded twice', async () => {
    const again = await loadAll();
    expect(again.map((r) => r.created)).toEqual([0, 0, 0, 0]);
    for (const r of again)
      for (const [table, t] of Object.entries(r.tables))
        withMessage(table, () => expect(t.rows).toBe(dataset.count(table as SyntheticTable)));
    expect(await counts()).toEqual(expected());
  });

  it('places recognitions in their recipients’ districts, also those loaded before districts were kept', async () => {
    // id → district (Maps compare by entry, whatever the order).
    const placed = async () =>
      new Map(
        (await awards.db.client.recognition.findMany({ where: { sourceLabel: label }, select: { id: true, districtCode: true } })).map(
          (r) => [r.id, r.districtCode],
        ),
      );
    const generated = new Map([...dataset.recognitions()].map((r) => [r.id, r.districtCode]));
    expect(await placed()).toEqual(generated);
    expect([...generated.values()].filter(Boolean).length).toBeGreaterThan(0);
    // As a database migrated from before the district column holds them: without districts.
    await awards.db.client.recognition.updateMany({ where: { sourceLabel: label }, data: { districtCode: null } });
    const again = await seedAwards(awards.db, OPTIONS);
    expect(again.created).toBe(0);
    expect(await placed()).toEqual(generated);
  });

  it('agrees across services on the ids they share', async () => {
    const chapterIds = new Set((await networks.db.client.network.findMany({ select: { id: true } })).map((n) => n.id));
    const agencyRows = await agencies.db.client.agency.findMany({ where: { sourceLabel: label }, select: { id: true, networkId: true } });
    expect(agencyRows.filter((a) => !chapterIds.has(a.networkId!))).toEqual([]);
    const agencyIds = new Set(agencyRows.map((a) => a.id));
    const personIds = new Set(
      (await agencies.db.client.person.findMany({ where: { sourceLabel: label }, select: { id: true } })).map((p) => p.id),
    );
    const links = [
      ...(await activities.db.client.activityOrganizer.findMany({ where: { activity: { sourceLabel: label } } })),
      ...(await activities.db.client.activityParticipant.findMany({ where: { activity: { sourceLabel: label } } })),
    ];
    expect(links.filter((l) => !agencyIds.has(l.agencyId))).toEqual([]);
    const recipients = await awards.db.client.recognition.findMany({
      where: { sourceLabel: label },
      select: { recipientKind: true, recipientId: true },
    });
    expect(recipients.filter((r) => r.recipientKind === 'AGENCY' && !agencyIds.has(r.recipientId))).toEqual([]);
    expect(recipients.filter((r) => r.recipientKind === 'PERSON' && !personIds.has(r.recipientId))).toEqual([]);
  });

  it('leaves the Ayutthaya case as it was', async () => {
    expect(await agencies.db.client.agency.findMany({ where: { sourceLabel: { not: label } }, orderBy: { id: 'asc' } })).toEqual(
      caseAgenciesBefore,
    );
    expect(caseAgenciesBefore).toHaveLength(AGENCIES.length);
    expect(await activities.db.client.activityParticipant.count({ where: { activityId: MEETING.id } })).toBe(MEETING.participantIds.length);
    const caseIds = AGENCIES.map((a) => a.id);
    expect(
      await activities.db.client.activityParticipant.count({ where: { agencyId: { in: caseIds }, activity: { sourceLabel: label } } }),
    ).toBe(0);
    expect(await awards.db.client.recognition.count({ where: { recipientId: { in: caseIds }, sourceLabel: label } })).toBe(0);
  });

  it('uses the same districts as the networks reference data', () => {
    const { districts } = loadReferenceData();
    const byProvince = new Map<string, string[]>();
    for (const d of districts) byProvince.set(d.provinceCode, [...(byProvince.get(d.provinceCode) ?? []), d.code]);
    expect(new Map([...byProvince].map(([code, list]) => [code, [...list].sort()]))).toEqual(
      new Map([...SYNTHETIC_DISTRICTS].map(([code, list]) => [code, [...list].sort()])),
    );
  });
});

describe('npm run seed argument checks', () => {
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'seed.ts'), ...args], {
      cwd: path.join(import.meta.dirname, '..'),
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );

  it('exits 2 with a clear message on a bad scale or seed, before opening any database', async () => {
    const [zero, word, seed, alone] = await Promise.all([
      run('--synthetic', '--scale', '0'),
      run('--synthetic', '--scale', 'ten'),
      run('--synthetic', '--seed', '1.5'),
      run('--scale', '2'),
    ]);
    expect(zero).toMatchObject({ code: 2, stderr: expect.stringContaining('--scale must be a number greater than 0 and at most 100') });
    expect(word).toMatchObject({ code: 2, stderr: expect.stringContaining('--scale must be a number such as 1') });
    expect(seed).toMatchObject({ code: 2, stderr: expect.stringContaining('--seed must be a non-negative integer') });
    expect(alone).toMatchObject({ code: 2, stderr: expect.stringContaining('--scale and --seed need --synthetic') });
  });
});
