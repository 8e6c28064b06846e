import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { withMessage } from '../testing.ts';
import { fiscalYearOf, fiscalYearRange } from '../fiscal-year.ts';
import { PROVINCE_CODES } from '../reference/index.ts';
import { AGENCIES, AYUTTHAYA, MEETING, PEOPLE, SECTORS, networkId } from './ayutthaya.ts';
import {
  SYNTHETIC_DISTRICTS,
  SYNTHETIC_FISCAL_YEARS,
  SYNTHETIC_SECTOR_MIX,
  SYNTHETIC_TABLES,
  assertSyntheticOptions,
  batchSizeFor,
  insertInBatches,
  syntheticDataset,
  type SyntheticTable,
} from './synthetic.ts';

const TABLES = Object.keys(SYNTHETIC_TABLES) as SyntheticTable[];
const first = <T>(rows: Iterable<T>, n: number): T[] => {
  const out: T[] = [];
  for (const row of rows) {
    if (out.length >= n) break;
    out.push(row);
  }
  return out;
};
const digest = (rows: Iterable<unknown>) => {
  const hash = createHash('sha256');
  let n = 0;
  for (const row of rows) {
    hash.update(JSON.stringify(row));
    n++;
  }
  return { n, hash: hash.digest('hex') };
};
const share = <T>(rows: readonly T[], key: (row: T) => string) => {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
  return (value: string) => (counts.get(value) ?? 0) / rows.length;
};

// One small dataset for most checks (generation only, no database).
const ds = syntheticDataset({ scale: 0.05, seed: 1 });
const agencies = [...ds.agencies()];
const people = [...ds.people()];
const networks = [...ds.networks()];
const activities = [...ds.activities()];
const organizers = [...ds.activityOrganizers()];
const participants = [...ds.activityParticipants()];
const recognitions = [...ds.recognitions()];
const all = { network: networks, agency: agencies, person: people, activity: activities, recognition: recognitions };

describe('synthetic dataset: determinism', () => {
  it('gives the same records, in the same order, for the same scale and seed', () => {
    const again = syntheticDataset({ scale: 0.05, seed: 1 });
    for (const table of TABLES) {
      withMessage(table, () => expect(JSON.stringify(first(again.rows(table), 50))).toBe(JSON.stringify(first(ds.rows(table), 50))));
      withMessage(table, () => expect(digest(again.rows(table))).toEqual(digest(ds.rows(table))));
      withMessage(table, () => expect(again.count(table)).toBe(ds.count(table)));
      withMessage(table, () => expect(ds.count(table)).toBe(digest(ds.rows(table)).n));
    }
  });

  it('gives different records for another seed, with no id in common', () => {
    const other = syntheticDataset({ scale: 0.05, seed: 2 });
    expect(first(other.agencies(), 20)).not.toEqual(first(ds.agencies(), 20));
    expect(first(other.activities(), 20)).not.toEqual(first(ds.activities(), 20));
    const ids = new Set(agencies.map((a) => a.id));
    expect([...other.agencies()].some((a) => ids.has(a.id))).toBe(false);
    expect(other.label).toBe('synthetic demo data (scale 0.05, seed 2)');
  });

  it('regenerates a province roster with the same agency and person ids', () => {
    const fresh = syntheticDataset({ scale: 0.05, seed: 1 });
    for (const code of ['TH-10', AYUTTHAYA, 'TH-96']) {
      const roster = fresh.roster(code);
      expect(roster.map((r) => r.agency)).toEqual(agencies.filter((a) => a.provinceCode === code));
      expect(roster.flatMap((r) => r.people.map((p) => p.id))).toEqual(people.filter((p) => p.provinceCode === code).map((p) => p.id));
    }
  });

  it('has unique ids in every table and unique links', () => {
    for (const [table, rows] of Object.entries(all))
      withMessage(table, () => expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length));
    expect(new Set(organizers.map((o) => `${o.activityId}|${o.agencyId}`)).size).toBe(organizers.length);
    expect(new Set(participants.map((p) => `${p.activityId}|${p.agencyId}`)).size).toBe(participants.length);
  });
});

describe('synthetic dataset: provenance', () => {
  it('marks every record synthetic with the dataset label', () => {
    for (const [table, rows] of Object.entries(all)) {
      for (const row of rows) {
        withMessage(table, () =>
          expect(row).toMatchObject({
            sourceKind: 'SYNTHETIC',
            sourceLabel: 'synthetic demo data (scale 0.05, seed 1)',
            sourceUrl: null,
          }),
        );
      }
    }
  });

  it('marks every Thai name as made up', () => {
    const marked = (text: string | null) => text === null || text.includes('(ข้อมูลสังเคราะห์)') || text.includes('สมมติ');
    const texts = [
      ...networks.map((n) => n.nameTh),
      ...agencies.map((a) => a.nameTh),
      ...people.map((p) => p.fullNameTh),
      ...activities.flatMap((a) => [a.titleTh, a.venue]),
      ...recognitions.map((r) => r.titleTh),
    ];
    expect(texts.filter((t) => !marked(t))).toEqual([]);
  });

  it('stores no contact details for people', () => {
    for (const person of people) for (const field of ['phone', 'email', 'address']) expect(person).not.toHaveProperty(field);
  });

  it('never refers to a record of the Ayutthaya case', () => {
    const caseIds = new Set([...AGENCIES.map((a) => a.id), ...PEOPLE.map((p) => p.id), MEETING.id]);
    const referenced = [
      ...agencies.map((a) => a.id),
      ...people.flatMap((p) => [p.id, p.agencyId]),
      ...activities.map((a) => a.id),
      ...organizers.flatMap((o) => [o.activityId, o.agencyId]),
      ...participants.flatMap((p) => [p.activityId, p.agencyId]),
      ...recognitions.flatMap((r) => [r.id, r.recipientId]),
    ];
    expect(referenced.filter((id) => caseIds.has(id))).toEqual([]);
    // Ayutthaya's chapters are the real ones: none is created here.
    expect(networks.filter((n) => n.provinceCode === AYUTTHAYA)).toEqual([]);
  });
});

describe('synthetic dataset: structure', () => {
  const agencyById = new Map(agencies.map((a) => [a.id, a]));
  const personIds = new Set(people.map((p) => p.id));
  const activityById = new Map(activities.map((a) => [a.id, a]));

  it('gives every province but Ayutthaya chapters for 5–9 sectors, and agencies only in those', () => {
    const chapters = new Set(networks.map((n) => n.id));
    for (const code of PROVINCE_CODES) {
      const own = networks.filter((n) => n.provinceCode === code);
      if (code === AYUTTHAYA) continue;
      withMessage(code, () => expect(own.length).toBeGreaterThanOrEqual(5));
      withMessage(code, () => expect(own.length).toBeLessThanOrEqual(9));
      for (const n of own) expect(n.id).toBe(networkId(code, n.sectorCode));
    }
    const realAyutthaya = new Set(SECTORS.map((s) => networkId(AYUTTHAYA, s.code)));
    for (const a of agencies) {
      expect(a.networkId).toBe(networkId(a.provinceCode, a.sectorCode));
      withMessage(a.id, () => expect(chapters.has(a.networkId) || realAyutthaya.has(a.networkId)).toBe(true));
      expect(SYNTHETIC_DISTRICTS.get(a.provinceCode)).toContain(a.districtCode);
    }
  });

  it('links organizers and participants to agencies of the activity province only', () => {
    for (const link of [...organizers, ...participants]) {
      const activity = activityById.get(link.activityId)!;
      const agency = agencyById.get(link.agencyId);
      withMessage(link.agencyId, () => expect(agency).toBeDefined());
      expect(agency!.provinceCode).toBe(activity.provinceCode);
    }
    const per = (links: { activityId: string }[]) => {
      const m = new Map<string, number>();
      for (const l of links) m.set(l.activityId, (m.get(l.activityId) ?? 0) + 1);
      return m;
    };
    const organizerCount = per(organizers);
    const participantCount = per(participants);
    for (const a of activities) {
      expect(organizerCount.get(a.id)).toBeGreaterThanOrEqual(1);
      expect(organizerCount.get(a.id)).toBeLessThanOrEqual(2);
      expect(participantCount.get(a.id)).toBeGreaterThanOrEqual(2);
      expect(participantCount.get(a.id)).toBeLessThanOrEqual(15);
      expect(a.participantCount).toBeGreaterThanOrEqual(10);
      expect(a.participantCount).toBeLessThanOrEqual(300);
    }
  });

  it('dates activities within their fiscal year, FY2563–FY2569', () => {
    for (const a of activities) {
      const start = a.startDate.toISOString().slice(0, 10);
      expect(SYNTHETIC_FISCAL_YEARS).toContain(a.fiscalYear);
      expect(a.fiscalYear).toBe(fiscalYearOf(start));
      expect(start >= fiscalYearRange(a.fiscalYear).start && start <= fiscalYearRange(a.fiscalYear).end).toBe(true);
      expect(a.endDate.getTime()).toBeGreaterThanOrEqual(a.startDate.getTime());
      expect(a.virtues.length).toBeGreaterThanOrEqual(1);
      expect(a.virtues.length).toBeLessThanOrEqual(3);
      expect(new Set(a.virtues).size).toBe(a.virtues.length);
    }
  });

  it('promotes only the first four virtues before FY2566 and all five from FY2566', () => {
    const before = [
      ...activities.filter((a) => a.fiscalYear < 2566).flatMap((a) => a.virtues),
      ...recognitions.filter((r) => r.fiscalYear < 2566).map((r) => r.virtue),
    ];
    expect(before).not.toContain('GRATITUDE');
    expect(activities.filter((a) => a.fiscalYear >= 2566).flatMap((a) => a.virtues)).toContain('GRATITUDE');
  });

  it('gives recognitions to synthetic agencies and people of the same province, and assesses every province every year', () => {
    for (const r of recognitions) {
      if (r.recipientKind === 'AGENCY') expect(agencyById.get(r.recipientId)?.provinceCode).toBe(r.provinceCode);
      else if (r.recipientKind === 'PERSON') expect(personIds.has(r.recipientId)).toBe(true);
      else expect(r.recipientId).toBe(r.provinceCode);
      expect(r.programme === 'MORAL_UNIT_ASSESSMENT' ? r.level !== null : r.level === null).toBe(true);
      expect(r.programme === 'VIRTUE_HONOUR' ? r.virtue !== null : r.virtue === null).toBe(true);
    }
    const provinceAssessments = recognitions.filter((r) => r.recipientKind === 'PROVINCE');
    expect(provinceAssessments).toHaveLength(PROVINCE_CODES.length * SYNTHETIC_FISCAL_YEARS.length);
    expect(new Set(provinceAssessments.map((r) => `${r.provinceCode}:${r.fiscalYear}`)).size).toBe(provinceAssessments.length);
    expect(recognitions.some((r) => r.recipientKind === 'PERSON' && r.programme === 'VIRTUE_HONOUR')).toBe(true);
  });

  it('places a recognition in its recipient agency’s district (a person’s agency’s), a province’s own in none', () => {
    const personById = new Map(people.map((p) => [p.id, p]));
    for (const r of recognitions) {
      const agencyId =
        r.recipientKind === 'AGENCY' ? r.recipientId : r.recipientKind === 'PERSON' ? personById.get(r.recipientId)!.agencyId : null;
      expect({ id: r.id, district: r.districtCode }).toEqual({
        id: r.id,
        district: agencyId ? agencyById.get(agencyId)!.districtCode : null,
      });
      if (r.districtCode) expect(SYNTHETIC_DISTRICTS.get(r.provinceCode)).toContain(r.districtCode);
    }
    // Spread over the districts: more districts hold recognitions than there are provinces.
    expect(new Set(recognitions.map((r) => r.districtCode).filter(Boolean)).size).toBeGreaterThan(PROVINCE_CODES.length);
  });
});

describe('synthetic dataset: proportions', () => {
  it('plans ≈ 5,000 × scale agencies and 20,000 × scale activities, by province size', () => {
    const big = syntheticDataset({ scale: 1, seed: 1 });
    expect(big.count('agency')).toBe(5_000);
    expect(big.count('activity')).toBe(20_000);
    expect(ds.count('activity')).toBe(1_000);
    // The floor of 2 agencies per province adds a few at this tiny scale.
    expect(ds.count('agency')).toBeGreaterThanOrEqual(250);
    expect(ds.count('agency')).toBeLessThan(300);
    const bangkok = big.provinces.find((p) => p.code === 'TH-10')!; // 50 districts of 928
    const samutPrakan = big.provinces.find((p) => p.code === 'TH-11')!; // 6
    expect(bangkok.agencies).toBe(Math.round((5_000 * 50) / 928));
    expect(samutPrakan.agencies).toBe(Math.round((5_000 * 6) / 928));
    expect(bangkok.activities).toBeGreaterThan(samutPrakan.activities * 7);
  });

  it('has about one person per agency', () => {
    expect(people.length / agencies.length).toBeGreaterThan(0.85);
    expect(people.length / agencies.length).toBeLessThan(1.15);
  });

  it('follows the documented sector mix', () => {
    // Scale 0.5 (2,500 agencies) for shares that are not drowned in noise; generation only.
    const rows = [...syntheticDataset({ scale: 0.5, seed: 1 }).agencies()];
    const sectorShare = share(rows, (a) => a.sectorCode);
    for (const [sector, percent] of Object.entries(SYNTHETIC_SECTOR_MIX)) {
      withMessage(sector, () => expect(Math.abs(sectorShare(sector) * 100 - percent)).toBeLessThan(Math.max(1.5, percent * 0.2)));
    }
    const kindShare = share(rows, (a) => a.kind);
    expect(kindShare('RELIGIOUS_ORGANIZATION')).toBe(sectorShare('RELIGION'));
    expect(kindShare('SCHOOL') + kindShare('UNIVERSITY')).toBe(sectorShare('EDUCATION'));
    expect(kindShare('SCHOOL')).toBeGreaterThan(kindShare('UNIVERSITY') * 4);
  });

  it('makes consultation meetings the most common activity and moral assemblies rare', () => {
    const kindShare = share(activities, (a) => a.kind);
    expect(kindShare('CONSULTATION_MEETING')).toBeGreaterThan(0.25);
    expect(kindShare('CONSULTATION_MEETING')).toBeLessThan(0.35);
    expect(kindShare('MORAL_ASSEMBLY')).toBeGreaterThan(0);
    expect(kindShare('MORAL_ASSEMBLY')).toBeLessThan(0.06);
    for (const year of SYNTHETIC_FISCAL_YEARS)
      withMessage(String(year), () => expect(activities.some((a) => a.fiscalYear === year)).toBe(true));
  });

  it('assesses about 15% of agencies a year, mostly at the promoting level, and confirms past years', () => {
    const assessments = recognitions.filter((r) => r.programme === 'MORAL_UNIT_ASSESSMENT' && r.recipientKind === 'AGENCY');
    const perYear = assessments.length / SYNTHETIC_FISCAL_YEARS.length / agencies.length;
    expect(perYear).toBeGreaterThan(0.11);
    expect(perYear).toBeLessThan(0.19);
    const levelShare = share(assessments, (r) => r.level!);
    expect(levelShare('PROMOTING')).toBeGreaterThan(levelShare('MORAL'));
    expect(levelShare('MORAL')).toBeGreaterThan(levelShare('MODEL'));
    expect(levelShare('MODEL')).toBeGreaterThan(levelShare('OUTSTANDING_MODEL'));
    const past = share(
      recognitions.filter((r) => r.fiscalYear < 2569),
      (r) => r.status,
    );
    const latest = share(
      recognitions.filter((r) => r.fiscalYear === 2569),
      (r) => r.status,
    );
    expect(past('NATIONALLY_CONFIRMED')).toBeGreaterThan(0.75);
    expect(latest('NOMINATED') + latest('PROVINCE_CERTIFIED')).toBeGreaterThan(0.6);
    expect(past('REJECTED') + past('WITHDRAWN')).toBeGreaterThan(0);
    expect(past('REJECTED') + past('WITHDRAWN')).toBeLessThan(0.12);
  });
});

describe('synthetic dataset: options and loading', () => {
  it('rejects a scale outside (0, 100] and a seed that is not a non-negative integer', () => {
    for (const scale of [0, -1, 100.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      withMessage(String(scale), () =>
        expect(() => assertSyntheticOptions({ scale })).toThrow(/scale must be a number greater than 0 and at most 100/),
      );
    }
    for (const seed of [1.5, -1, Number.NaN]) {
      withMessage(String(seed), () =>
        expect(() => assertSyntheticOptions({ scale: 1, seed })).toThrow(/seed must be a non-negative integer/),
      );
    }
    expect(assertSyntheticOptions({ scale: 0.02 })).toEqual({ scale: 0.02, seed: 1 });
  });

  it('keeps batches far under PostgreSQL’s bind-parameter limit', () => {
    for (const columns of [2, 3, 8, 11, 15, 20]) {
      expect(batchSizeFor(columns) * (columns + 2)).toBeLessThan(65_535);
      expect(batchSizeFor(columns) * columns).toBeLessThanOrEqual(8_000);
      expect(batchSizeFor(columns)).toBeGreaterThanOrEqual(400);
    }
    expect(batchSizeFor(2)).toBe(4_000);
  });

  it('sends rows in batches and reports progress', async () => {
    const batches: number[] = [];
    const advanced: number[] = [];
    let done: unknown;
    const result = await insertInBatches(
      Array.from({ length: 10 }, (_, i) => i),
      4,
      async (batch) => {
        batches.push(batch.length);
        return { count: batch.length - 1 };
      },
      { advance: (n) => advanced.push(n), done: (r) => (done = r) },
    );
    expect(batches).toEqual([4, 4, 2]);
    expect(advanced).toEqual([4, 4, 2]);
    expect(result).toMatchObject({ rows: 10, created: 7 });
    expect(done).toEqual(result);
  });
});
