/**
 * Writes to network chapters and programme years (docs/WRITES.md): validation here, then the common
 * write lifecycle (common/lifecycle.ts: the province scope, the version guard and the audit entry, one
 * transaction per mutation). This subgraph owns every table it checks (provinces, sectors), so no
 * peer is asked.
 */
import {
  assertCanEdit,
  badUserInput,
  distinct,
  echo,
  existingProvince,
  fiscalYear,
  givenFields,
  inProvince,
  lifecycle,
  optionalText,
  prismaEntity,
  sourceFromInput,
  thaiName,
  t,
} from '@moral-registry/common';
import type { Context } from './context.ts';
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';
import type {
  ArchiveInput,
  CreateNetworkInput,
  CreateProgrammeYearInput,
  RestoreInput,
  UpdateNetworkInput,
  UpdateProgrammeYearInput,
  Virtue,
} from './generated/graphql.ts';
import type { Network, ProgrammeYear } from './models.ts';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
type Db = Pick<PrismaClient, 'network' | 'programmeYear'>;
type NetworkData = Prisma.NetworkUncheckedCreateInput;
type ProgrammeYearData = Prisma.ProgrammeYearUncheckedCreateInput;

// ---- validation -------------------------------------------------------------------------------

/** A required field sent as null in an update. */
function required<T>(field: string, value: T | null | undefined): T {
  if (value === null || value === undefined) throw badUserInput(field, t('input.requiredNotCleared', { field }));
  return value;
}

/** A code of the sector list (this subgraph's own NetworkSector table), case-insensitive. */
async function existingSector(prisma: PrismaClient, value: string): Promise<string> {
  const code = value.normalize('NFC').trim().toUpperCase();
  if (!code) throw badUserInput('sectorCode', t('input.required', { field: 'sectorCode' }));
  if (await prisma.networkSector.findUnique({ where: { code }, select: { code: true } })) return code;
  const known = await prisma.networkSector.findMany({ select: { code: true }, orderBy: { sortOrder: 'asc' } });
  throw badUserInput('sectorCode', t('input.sectorUnknown', { value: echo(code), known: known.map((s) => s.code).join(', ') }));
}

function programmeYearNumber(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 50) {
    throw badUserInput('programmeYear', t('programmeYear.numberRange', { field: 'programmeYear', value: echo(value) }));
  }
  return value;
}

function virtues(values: readonly Virtue[]): Virtue[] {
  const list = distinct(values);
  if (list.length === 0) throw badUserInput('targetVirtues', t('input.virtuesRequired', { field: 'targetVirtues' }));
  return list;
}

const targetBehaviour = (value: string | null | undefined) => thaiName('targetBehaviourTh', value, 500);

// ---- uniqueness ---------------------------------------------------------------------------------

/** For select messages: whether the record in the way is archived (then it is restored, not added again). */
const archived = (row: { archivedAt: Date | null }) => (row.archivedAt ? 'yes' : 'no');

/** One chapter per province and sector, archived ones included. */
async function assertNoOtherChapter(db: Db, provinceCode: string, sectorCode: string): Promise<void> {
  const other = await db.network.findUnique({ where: { provinceCode_sectorCode: { provinceCode, sectorCode } } });
  if (other) {
    throw badUserInput('sectorCode', t('network.chapterTaken', { provinceCode, sectorCode, id: other.id, archived: archived(other) }));
  }
}

/** Programme year and fiscal year are each unique per province, archived years included. */
async function assertNoOtherYear(
  db: Db,
  row: { id?: string; provinceCode: string; programmeYear: number; fiscalYear: number },
): Promise<void> {
  const others = await db.programmeYear.findMany({
    where: {
      provinceCode: row.provinceCode,
      OR: [{ programmeYear: row.programmeYear }, { fiscalYear: row.fiscalYear }],
      ...(row.id ? { id: { not: row.id } } : {}),
    },
  });
  for (const field of ['programmeYear', 'fiscalYear'] as const) {
    const other = others.find((o) => o[field] === row[field]);
    if (other) {
      throw badUserInput(
        field,
        t('programmeYear.taken', { provinceCode: row.provinceCode, field, value: row[field], id: other.id, archived: archived(other) }),
      );
    }
  }
}

/**
 * A unique index refused the row (another write got there between the check and the insert): the
 * check again, outside the failed transaction, explains which value is taken.
 */
async function explainUniqueViolation(error: unknown, check: () => Promise<void>): Promise<never> {
  if ((error as { code?: unknown })?.code === 'P2002') await check();
  throw error;
}

// ---- entities and caches -----------------------------------------------------------------------

const NETWORK = lifecycle(prismaEntity<Tx, Network, NetworkData>('Network', (tx) => tx.network));
const PROGRAMME_YEAR = lifecycle(prismaEntity<Tx, ProgrammeYear, ProgrammeYearData>('ProgrammeYear', (tx) => tx.programmeYear));

/** Later fields of the same request (the payload, other mutations) see the write, not cached rows. */
function forgetNetwork(context: Context, network: Network): Network {
  const { loaders } = context;
  loaders.network.clear(network.id).prime(network.id, network);
  loaders.networksByProvince.clear(network.provinceCode);
  loaders.stats.province.clearAll();
  loaders.stats.group.clearAll();
  loaders.auditTrail.clear('Network', network.id);
  return network;
}

function forgetProgrammeYear(context: Context, year: ProgrammeYear): ProgrammeYear {
  const { loaders } = context;
  loaders.programmeYear.clear(year.id).prime(year.id, year);
  loaders.programmeYearsByProvince.clear(year.provinceCode);
  loaders.auditTrail.clear('ProgrammeYear', year.id);
  return year;
}

// ---- network chapters ---------------------------------------------------------------------------

export async function createNetwork(context: Context, input: CreateNetworkInput): Promise<Network> {
  const provinceCode = existingProvince('provinceCode', input.provinceCode);
  assertCanEdit(context.viewer, provinceCode, t('action.addNetworkChapters'));
  const nameTh = thaiName('nameTh', input.nameTh);
  const nameEn = optionalText('nameEn', input.nameEn, 300);
  const sectorCode = await existingSector(context.prisma, input.sectorCode);
  const source = sourceFromInput(input.source, context.viewer);
  const created = await NETWORK.create(
    context,
    { provinceCode, sectorCode, nameTh, nameEn, ...source },
    { check: (tx) => assertNoOtherChapter(tx, provinceCode, sectorCode) },
  ).catch((error) => explainUniqueViolation(error, () => assertNoOtherChapter(context.prisma, provinceCode, sectorCode)));
  forgetNetwork(context, created);
  return created;
}

export async function updateNetwork(context: Context, input: UpdateNetworkInput): Promise<Network> {
  const { id: _id, version: _version, ...rest } = input;
  const changes = givenFields(rest);
  const fields = {
    ...('nameTh' in changes ? { nameTh: thaiName('nameTh', changes.nameTh) } : {}),
    ...('nameEn' in changes ? { nameEn: optionalText('nameEn', changes.nameEn, 300) } : {}),
  };
  const after = await NETWORK.update(context, input, {
    authorize: inProvince(context.viewer, t('action.changeNetworkChapters')),
    data: () => fields,
  });
  forgetNetwork(context, after);
  return after;
}

export const archiveNetwork = async (context: Context, input: ArchiveInput) =>
  forgetNetwork(context, await NETWORK.setArchived(context, input, true, inProvince(context.viewer, t('action.archiveNetworkChapters'))));
export const restoreNetwork = async (context: Context, input: RestoreInput) =>
  forgetNetwork(context, await NETWORK.setArchived(context, input, false, inProvince(context.viewer, t('action.restoreNetworkChapters'))));

// ---- programme years ----------------------------------------------------------------------------

export async function createProgrammeYear(context: Context, input: CreateProgrammeYearInput): Promise<ProgrammeYear> {
  const provinceCode = existingProvince('provinceCode', input.provinceCode);
  assertCanEdit(context.viewer, provinceCode, t('action.addProgrammeYears'));
  const fields = {
    provinceCode,
    programmeYear: programmeYearNumber(input.programmeYear),
    fiscalYear: fiscalYear('fiscalYear', input.fiscalYear),
    targetBehaviourTh: targetBehaviour(input.targetBehaviourTh),
    targetBehaviourEn: optionalText('targetBehaviourEn', input.targetBehaviourEn, 500),
    targetVirtues: virtues(input.targetVirtues),
  };
  const source = sourceFromInput(input.source, context.viewer);
  const created = await PROGRAMME_YEAR.create(context, { ...fields, ...source }, { check: (tx) => assertNoOtherYear(tx, fields) }).catch(
    (error) => explainUniqueViolation(error, () => assertNoOtherYear(context.prisma, fields)),
  );
  forgetProgrammeYear(context, created);
  return created;
}

export async function updateProgrammeYear(context: Context, input: UpdateProgrammeYearInput): Promise<ProgrammeYear> {
  const { id: _id, version: _version, ...rest } = input;
  const changes = givenFields(rest);
  const fields = {
    ...('programmeYear' in changes ? { programmeYear: programmeYearNumber(required('programmeYear', changes.programmeYear)) } : {}),
    ...('fiscalYear' in changes ? { fiscalYear: fiscalYear('fiscalYear', required('fiscalYear', changes.fiscalYear)) } : {}),
    ...('targetBehaviourTh' in changes ? { targetBehaviourTh: targetBehaviour(changes.targetBehaviourTh) } : {}),
    ...('targetBehaviourEn' in changes ? { targetBehaviourEn: optionalText('targetBehaviourEn', changes.targetBehaviourEn, 500) } : {}),
    ...('targetVirtues' in changes ? { targetVirtues: virtues(required('targetVirtues', changes.targetVirtues)) } : {}),
  };
  let planned: { id: string; provinceCode: string; programmeYear: number; fiscalYear: number } | undefined;
  const after = await PROGRAMME_YEAR.update(context, input, {
    authorize: inProvince(context.viewer, t('action.changeProgrammeYears')),
    data: async (before, tx) => {
      const { id, provinceCode, programmeYear, fiscalYear } = before;
      planned = { id, provinceCode, programmeYear, fiscalYear, ...fields };
      await assertNoOtherYear(tx, planned);
      return fields;
    },
  }).catch((error) => explainUniqueViolation(error, async () => planned && assertNoOtherYear(context.prisma, planned)));
  forgetProgrammeYear(context, after);
  return after;
}

export const archiveProgrammeYear = async (context: Context, input: ArchiveInput) =>
  forgetProgrammeYear(
    context,
    await PROGRAMME_YEAR.setArchived(context, input, true, inProvince(context.viewer, t('action.archiveProgrammeYears'))),
  );
export const restoreProgrammeYear = async (context: Context, input: RestoreInput) =>
  forgetProgrammeYear(
    context,
    await PROGRAMME_YEAR.setArchived(context, input, false, inProvince(context.viewer, t('action.restoreProgrammeYears'))),
  );
