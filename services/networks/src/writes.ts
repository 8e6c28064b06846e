/**
 * Writes to network chapters and programme years (docs/WRITES.md): validation, the province scope,
 * the version guard and the audit entry, one transaction per mutation. This subgraph owns every
 * table it checks (provinces, sectors), so no peer is asked.
 */
import {
  assertCanEdit,
  assertLive,
  assertUpdated,
  assertVersion,
  auditData,
  badUserInput,
  distinct,
  echo,
  entityName,
  existingProvince,
  fiscalYear,
  notFound,
  optionalText,
  sourceFromInput,
  thaiName,
  t,
  type AuditOperation,
} from '@moral-registry/common';
import type { Context } from './context.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
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

// ---- validation -------------------------------------------------------------------------------

/** The input's fields that were given (absent = unchanged; null = cleared or refused). */
function given<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}

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

// ---- audit and caches -------------------------------------------------------------------------

async function audit(
  context: Context,
  tx: Tx,
  entityType: 'Network' | 'ProgrammeYear',
  operation: AuditOperation,
  before: Network | ProgrammeYear | null,
  after: Network | ProgrammeYear,
  reason: string | null = null,
): Promise<void> {
  await tx.auditEntry.create({ data: auditData(context, { entityType, entityId: after.id, operation, before, after, reason }) });
}

/** Later fields of the same request (the payload, other mutations) see the write, not cached rows. */
function forgetNetwork(context: Context, network: Network): void {
  const { loaders } = context;
  loaders.network.clear(network.id).prime(network.id, network);
  loaders.networksByProvince.clear(network.provinceCode);
  loaders.networkStats.clearAll();
  loaders.areaNetworkStats.clearAll();
  loaders.networkAuditTrail.clear(network.id);
}

function forgetProgrammeYear(context: Context, year: ProgrammeYear): void {
  const { loaders } = context;
  loaders.programmeYear.clear(year.id).prime(year.id, year);
  loaders.programmeYearsByProvince.clear(year.provinceCode);
  loaders.programmeYearAuditTrail.clear(year.id);
}

// ---- network chapters ---------------------------------------------------------------------------

async function loadNetwork(tx: Tx, id: string): Promise<Network> {
  const row = await tx.network.findUnique({ where: { id } });
  if (!row) throw notFound('Network', id);
  return row;
}

export async function createNetwork(context: Context, input: CreateNetworkInput): Promise<Network> {
  const provinceCode = existingProvince('provinceCode', input.provinceCode);
  assertCanEdit(context.viewer, provinceCode, t('action.addNetworkChapters'));
  const nameTh = thaiName('nameTh', input.nameTh);
  const nameEn = optionalText('nameEn', input.nameEn, 300);
  const sectorCode = await existingSector(context.prisma, input.sectorCode);
  const source = sourceFromInput(input.source, context.viewer);
  const created = await context.prisma
    .$transaction(async (tx) => {
      await assertNoOtherChapter(tx, provinceCode, sectorCode);
      const row = await tx.network.create({ data: { provinceCode, sectorCode, nameTh, nameEn, ...source } });
      await audit(context, tx, 'Network', 'CREATE', null, row);
      return row;
    })
    .catch((error) => explainUniqueViolation(error, () => assertNoOtherChapter(context.prisma, provinceCode, sectorCode)));
  forgetNetwork(context, created);
  return created;
}

export async function updateNetwork(context: Context, input: UpdateNetworkInput): Promise<Network> {
  const { id, version, ...rest } = input;
  const changes = given(rest);
  const fields = {
    ...('nameTh' in changes ? { nameTh: thaiName('nameTh', changes.nameTh) } : {}),
    ...('nameEn' in changes ? { nameEn: optionalText('nameEn', changes.nameEn, 300) } : {}),
  };
  const after = await context.prisma.$transaction(async (tx) => {
    const before = await loadNetwork(tx, id);
    assertCanEdit(context.viewer, before.provinceCode, t('action.changeNetworkChapters'));
    assertVersion('Network', before, version);
    assertLive('Network', before);
    const { count } = await tx.network.updateMany({
      where: { id: before.id, version, archivedAt: null },
      data: { ...fields, version: { increment: 1 } },
    });
    assertUpdated(count, 'Network', before.id, version);
    const row = await tx.network.findUniqueOrThrow({ where: { id: before.id } });
    await audit(context, tx, 'Network', 'UPDATE', before, row);
    return row;
  });
  forgetNetwork(context, after);
  return after;
}

async function setNetworkArchived(context: Context, input: ArchiveInput | RestoreInput, archive: boolean): Promise<Network> {
  const reason = optionalText('reason', input.reason, 1000);
  const after = await context.prisma.$transaction(async (tx) => {
    const before = await loadNetwork(tx, input.id);
    assertCanEdit(context.viewer, before.provinceCode, t(archive ? 'action.archiveNetworkChapters' : 'action.restoreNetworkChapters'));
    assertVersion('Network', before, input.version);
    if (archive === Boolean(before.archivedAt)) {
      throw badUserInput(
        'id',
        t(archive ? 'error.alreadyArchived' : 'error.notArchived', { entity: entityName('Network'), id: before.id }),
      );
    }
    const { count } = await tx.network.updateMany({
      where: { id: before.id, version: input.version },
      data: { archivedAt: archive ? new Date() : null, version: { increment: 1 } },
    });
    assertUpdated(count, 'Network', before.id, input.version);
    const row = await tx.network.findUniqueOrThrow({ where: { id: before.id } });
    await audit(context, tx, 'Network', archive ? 'ARCHIVE' : 'RESTORE', before, row, reason);
    return row;
  });
  forgetNetwork(context, after);
  return after;
}

export const archiveNetwork = (context: Context, input: ArchiveInput) => setNetworkArchived(context, input, true);
export const restoreNetwork = (context: Context, input: RestoreInput) => setNetworkArchived(context, input, false);

// ---- programme years ----------------------------------------------------------------------------

async function loadProgrammeYear(tx: Tx, id: string): Promise<ProgrammeYear> {
  const row = await tx.programmeYear.findUnique({ where: { id } });
  if (!row) throw notFound('ProgrammeYear', id);
  return row;
}

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
  const created = await context.prisma
    .$transaction(async (tx) => {
      await assertNoOtherYear(tx, fields);
      const row = await tx.programmeYear.create({ data: { ...fields, ...source } });
      await audit(context, tx, 'ProgrammeYear', 'CREATE', null, row);
      return row;
    })
    .catch((error) => explainUniqueViolation(error, () => assertNoOtherYear(context.prisma, fields)));
  forgetProgrammeYear(context, created);
  return created;
}

export async function updateProgrammeYear(context: Context, input: UpdateProgrammeYearInput): Promise<ProgrammeYear> {
  const { id, version, ...rest } = input;
  const changes = given(rest);
  const fields = {
    ...('programmeYear' in changes ? { programmeYear: programmeYearNumber(required('programmeYear', changes.programmeYear)) } : {}),
    ...('fiscalYear' in changes ? { fiscalYear: fiscalYear('fiscalYear', required('fiscalYear', changes.fiscalYear)) } : {}),
    ...('targetBehaviourTh' in changes ? { targetBehaviourTh: targetBehaviour(changes.targetBehaviourTh) } : {}),
    ...('targetBehaviourEn' in changes ? { targetBehaviourEn: optionalText('targetBehaviourEn', changes.targetBehaviourEn, 500) } : {}),
    ...('targetVirtues' in changes ? { targetVirtues: virtues(required('targetVirtues', changes.targetVirtues)) } : {}),
  };
  let planned: { id: string; provinceCode: string; programmeYear: number; fiscalYear: number } | undefined;
  const after = await context.prisma
    .$transaction(async (tx) => {
      const before = await loadProgrammeYear(tx, id);
      assertCanEdit(context.viewer, before.provinceCode, t('action.changeProgrammeYears'));
      assertVersion('ProgrammeYear', before, version);
      assertLive('ProgrammeYear', before);
      planned = {
        id: before.id,
        provinceCode: before.provinceCode,
        programmeYear: before.programmeYear,
        fiscalYear: before.fiscalYear,
        ...fields,
      };
      await assertNoOtherYear(tx, planned);
      const { count } = await tx.programmeYear.updateMany({
        where: { id: before.id, version, archivedAt: null },
        data: { ...fields, version: { increment: 1 } },
      });
      assertUpdated(count, 'ProgrammeYear', before.id, version);
      const row = await tx.programmeYear.findUniqueOrThrow({ where: { id: before.id } });
      await audit(context, tx, 'ProgrammeYear', 'UPDATE', before, row);
      return row;
    })
    .catch((error) => explainUniqueViolation(error, async () => planned && assertNoOtherYear(context.prisma, planned)));
  forgetProgrammeYear(context, after);
  return after;
}

async function setProgrammeYearArchived(context: Context, input: ArchiveInput | RestoreInput, archive: boolean): Promise<ProgrammeYear> {
  const reason = optionalText('reason', input.reason, 1000);
  const after = await context.prisma.$transaction(async (tx) => {
    const before = await loadProgrammeYear(tx, input.id);
    assertCanEdit(context.viewer, before.provinceCode, t(archive ? 'action.archiveProgrammeYears' : 'action.restoreProgrammeYears'));
    assertVersion('ProgrammeYear', before, input.version);
    if (archive === Boolean(before.archivedAt)) {
      throw badUserInput(
        'id',
        t(archive ? 'error.alreadyArchived' : 'error.notArchived', { entity: entityName('ProgrammeYear'), id: before.id }),
      );
    }
    const { count } = await tx.programmeYear.updateMany({
      where: { id: before.id, version: input.version },
      data: { archivedAt: archive ? new Date() : null, version: { increment: 1 } },
    });
    assertUpdated(count, 'ProgrammeYear', before.id, input.version);
    const row = await tx.programmeYear.findUniqueOrThrow({ where: { id: before.id } });
    await audit(context, tx, 'ProgrammeYear', archive ? 'ARCHIVE' : 'RESTORE', before, row, reason);
    return row;
  });
  forgetProgrammeYear(context, after);
  return after;
}

export const archiveProgrammeYear = (context: Context, input: ArchiveInput) => setProgrammeYearArchived(context, input, true);
export const restoreProgrammeYear = (context: Context, input: RestoreInput) => setProgrammeYearArchived(context, input, false);
