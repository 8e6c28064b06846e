/**
 * Loads the awards subgraph's part of the Ayutthaya case: the criteria the meeting of 16 December
 * 2564 set for FY2565's honours (real, from the source), and a handful of made-up recognitions so
 * the demo is not empty. The source names no recognised unit, so every recognition here is marked
 * synthetic and goes to a synthetic participating agency, never to a real agency or person.
 * Idempotent: existing rows are left as they are.
 */
import { stableId } from '@moral-registry/common';
import { AWARD_CRITERIA, AYUTTHAYA, PARTICIPANTS, SYNTHETIC, type SectorCode } from '@moral-registry/common/demo';
import type { Prisma } from '../generated/prisma/client.ts';
import type { AwardsDatabase } from '../context.ts';

/** The n-th synthetic participating agency of a sector; throws rather than fall back to a real one. */
function syntheticAgency(sector: SectorCode, n: number): (typeof PARTICIPANTS)[number] {
  const agency = PARTICIPANTS.filter((a) => a.sectorCode === sector && a.sourceKind === 'SYNTHETIC')[n - 1];
  if (!agency) throw new Error(`awards seed: no synthetic agency ${n} in sector ${sector}`);
  return agency;
}

type Demo = Pick<Prisma.RecognitionCreateManyInput, 'programme' | 'level' | 'virtue' | 'fiscalYear' | 'status' | 'titleTh'> & {
  key: string;
  sector: SectorCode;
  n: number;
};

const assessment = (fiscalYear: number, level: Demo['level'], status: Demo['status'], sector: SectorCode, n: number): Demo => ({
  key: `${AYUTTHAYA}:${fiscalYear}:assessment:${sector}:${n}`,
  programme: 'MORAL_UNIT_ASSESSMENT',
  level,
  fiscalYear,
  status,
  titleTh: 'ประเมินหน่วยงานคุณธรรม (ข้อมูลสังเคราะห์)',
  sector,
  n,
});

const honour = (fiscalYear: number, virtue: Demo['virtue'], status: Demo['status'], sector: SectorCode, n: number): Demo => ({
  key: `${AYUTTHAYA}:${fiscalYear}:honour:${virtue}:${sector}:${n}`,
  programme: 'VIRTUE_HONOUR',
  virtue,
  fiscalYear,
  status,
  titleTh: 'ยกย่องเชิดชูหน่วยงานต้นแบบด้านคุณธรรม (ข้อมูลสังเคราะห์)',
  sector,
  n,
});

/** Two FY2564 assessments, and FY2565 under the new criteria: one unit moving up a level, a new nomination, two honours. */
export const DEMO_RECOGNITIONS = [
  assessment(2564, 'MORAL', 'NATIONALLY_CONFIRMED', 'COMMUNITY', 1),
  assessment(2564, 'PROMOTING', 'PROVINCE_CERTIFIED', 'RELIGION', 1),
  assessment(2565, 'MODEL', 'PROVINCE_CERTIFIED', 'COMMUNITY', 1),
  assessment(2565, 'PROMOTING', 'NOMINATED', 'EDUCATION', 1),
  honour(2565, 'DISCIPLINE', 'PROVINCE_CERTIFIED', 'COMMUNITY_ORGANIZATION', 1),
  honour(2565, 'VOLUNTEERISM', 'NOMINATED', 'AGRICULTURE', 1),
].map(({ key, sector, n, ...r }) => ({
  id: stableId('recognition', key),
  ...r,
  scope: 'PROVINCIAL' as const,
  provinceCode: AYUTTHAYA,
  // The recipient agency's district, as every write path stores it.
  districtCode: syntheticAgency(sector, n).districtCode,
  recipientKind: 'AGENCY' as const,
  recipientId: syntheticAgency(sector, n).id,
  ...SYNTHETIC,
}));

export async function seed(db: AwardsDatabase): Promise<{ created: number }> {
  const criteria = await db.client.awardCriteria.createMany({
    data: [
      {
        ...AWARD_CRITERIA,
        id: stableId('award-criteria', `${AWARD_CRITERIA.provinceCode}:${AWARD_CRITERIA.fiscalYear}`),
        virtues: [...AWARD_CRITERIA.virtues],
      },
    ],
    skipDuplicates: true,
  });
  const recognitions = await db.client.recognition.createMany({ data: DEMO_RECOGNITIONS, skipDuplicates: true });
  // Demo rows loaded before recognitions kept a district get their recipient's now (one statement;
  // nothing to do on later starts). Synthetic demo data only: no audit entry, as for its creation.
  await db.client.$executeRaw`
    UPDATE "Recognition" r SET "districtCode" = d.code
    FROM unnest(${DEMO_RECOGNITIONS.map((r) => r.id)}::text[], ${DEMO_RECOGNITIONS.map((r) => r.districtCode)}::text[]) AS d(id, code)
    WHERE r.id = d.id AND r."districtCode" IS NULL AND d.code IS NOT NULL`;
  return { created: criteria.count + recognitions.count };
}
