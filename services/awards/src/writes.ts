/**
 * Writes to recognitions and award criteria (docs/WRITES.md): validation, the recipient check with
 * the agencies subgraph (before the transaction), then one transaction per mutation that loads the
 * record, checks the province scope, the version and the workflow status, updates it guarded by
 * the version and adds the audit entry.
 *
 * The recognition workflow mirrors the real process: the unit assesses itself and is nominated
 * (NOMINATED), the provincial subcommittee certifies (PROVINCE_CERTIFIED), the national
 * subcommittee confirms (NATIONALLY_CONFIRMED); it may be rejected (national admins) or withdrawn
 * (the province) before that. Once certified, a recognition is the national subcommittee's to
 * decide on: only national admins change it.
 */
import { GraphQLError } from 'graphql';
import {
  assertCanEdit,
  assertLive,
  assertRole,
  assertUpdated,
  assertVersion,
  auditData,
  badUserInput,
  currentLanguage,
  distinct,
  echo,
  EDITOR_ROLES,
  entityName,
  existingProvince,
  fiscalYear,
  forbidden,
  NATIONAL_ONLY,
  notFound,
  optionalText,
  sourceFromInput,
  t,
  thaiName,
  type AuditOperation,
  type MessageKey,
  type Role,
  type Viewer,
} from '@moral-registry/common';
import { Prisma } from './generated/prisma/client.ts';
import type { Context } from './context.ts';
import type { AwardCriteriaRow as AwardCriteria, Recognition } from './models.ts';
import type {
  ArchiveInput,
  CreateAwardCriteriaInput,
  NominateRecognitionInput,
  RecognitionTransitionInput,
  RestoreInput,
  UpdateAwardCriteriaInput,
  UpdateRecognitionInput,
} from './generated/graphql.ts';

type Tx = Prisma.TransactionClient;
type Status = Recognition['status'];

/** The input's fields that were given (absent = unchanged; null = cleared or refused). */
function given<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** An update that changes no value is not a write: no new version, no audit entry (re-imports stay quiet). */
function unchanged(before: object, fields: object): boolean {
  const stored = before as Record<string, unknown>;
  return Object.entries(fields).every(([key, value]) => JSON.stringify(stored[key]) === JSON.stringify(value));
}

/** Refuses null for fields an update may change but not clear. */
function notCleared(changes: Record<string, unknown>, fields: readonly string[]): void {
  for (const field of fields) {
    if (field in changes && changes[field] === null) throw badUserInput(field, t('input.requiredNotCleared', { field }));
  }
}

function audit(
  context: Context,
  entityType: 'Recognition' | 'AwardCriteria',
  operation: AuditOperation,
  before: object | null,
  after: { id: string },
  reason?: string | null,
) {
  return auditData(context, {
    entityType,
    entityId: after.id,
    operation,
    before: before as Record<string, unknown> | null,
    after: after as unknown as Record<string, unknown>,
    reason: reason ?? null,
  });
}

const reasonOf = (value: string | null | undefined) => optionalText('reason', value, 1000);

// ---- recognitions ----

export type Details = Pick<Recognition, 'programme' | 'level' | 'virtue' | 'scope' | 'fiscalYear' | 'titleTh'>;

/** An optional Thai title: blank clears it; otherwise it must be Thai text. */
function titleOf(value: string | null | undefined): string | null {
  return optionalText('titleTh', value, 300) === null ? null : thaiName('titleTh', value, 300);
}

/**
 * A recognition's details as they will be stored: a BE fiscal year, and what its programme needs
 * (an assessment has a level, a virtue honour a virtue), so the stats can count it.
 */
export function checkDetails(details: Details): Details {
  const year = fiscalYear('fiscalYear', details.fiscalYear);
  if (details.programme === 'MORAL_UNIT_ASSESSMENT' && !details.level) {
    throw badUserInput('level', t('recognition.levelRequired', { field: 'level' }));
  }
  if (details.programme === 'VIRTUE_HONOUR' && !details.virtue) {
    throw badUserInput('virtue', t('recognition.virtueRequired', { field: 'virtue' }));
  }
  return { ...details, fiscalYear: year, titleTh: titleOf(details.titleTh) };
}

/** What the agencies subgraph answers about a recipient agency or person: enough to place it. */
export interface RecipientRef {
  id: string;
  archivedAt?: string | null;
  province: { code: string } | null;
  /** An agency's district. */
  district?: { code: string } | null;
  /** A person's agency, whose district is the person's when it is in the person's province. */
  affiliation?: { province: { code: string } | null; district: { code: string } | null } | null;
}

/** The fields of a recipient (`RecipientRef`) to ask the agencies subgraph for, by entity type. */
export const RECIPIENT_PLACE: Record<'Agency' | 'Person', string> = {
  Agency: 'province { code } district { code }',
  Person: 'province { code } affiliation { province { code } district { code } }',
};

/**
 * A recipient's district as recognitions store it: an agency's own; a person's agency's, when that
 * agency is in the person's province; none otherwise (provinces, national agencies, people without an agency).
 */
export function recipientDistrict(ref: RecipientRef): string | null {
  if (ref.district !== undefined) return ref.district?.code ?? null;
  const affiliation = ref.affiliation;
  if (!affiliation?.district || !ref.province || affiliation.province?.code !== ref.province.code) return null;
  return affiliation.district.code;
}

/**
 * The recipient as stored (its key) and the recognition's province and district, which are always
 * the recipient's: an agency's or a person's are asked of the agencies subgraph (unknown or
 * archived ones are refused), a province recipient is its own province, with no district.
 */
async function recipientOf(
  context: Context,
  kind: NominateRecognitionInput['recipientKind'],
  value: string,
): Promise<{ recipientId: string; provinceCode: string | null; districtCode: string | null }> {
  const id = value.trim();
  if (!id) throw badUserInput('recipientId', t('input.required', { field: 'recipientId' }));
  if (kind === 'PROVINCE') {
    const code = existingProvince('recipientId', id);
    return { recipientId: code, provinceCode: code, districtCode: null };
  }
  const typename = kind === 'AGENCY' ? 'Agency' : 'Person';
  const [entity] = await context.peers.entities<RecipientRef>('agencies', typename, [{ id }], `id archivedAt ${RECIPIENT_PLACE[typename]}`);
  if (!entity)
    throw badUserInput('recipientId', t('input.referenceNotFound', { field: 'recipientId', entity: entityName(typename), id: echo(id) }));
  if (entity.archivedAt) throw badUserInput('recipientId', t('recognition.recipientArchived', { entity: entityName(typename), id }));
  return { recipientId: entity.id, provinceCode: entity.province?.code ?? null, districtCode: recipientDistrict(entity) };
}

async function loadRecognition(tx: Tx, id: string): Promise<Recognition> {
  const row = await tx.recognition.findUnique({ where: { id } });
  if (!row) throw notFound('Recognition', id);
  return row;
}

const FINAL: readonly Status[] = ['NATIONALLY_CONFIRMED', 'REJECTED', 'WITHDRAWN'];
/** Decided beyond the province: certified for the national subcommittee, or decided by it. */
const NATIONAL_STAGE: readonly Status[] = ['PROVINCE_CERTIFIED', 'NATIONALLY_CONFIRMED', 'REJECTED'];

/** Details change while the recognition is open: NOMINATED (the province), PROVINCE_CERTIFIED (national admins). */
function assertEditable(viewer: Viewer, row: Recognition): void {
  if (FINAL.includes(row.status)) {
    throw badUserInput('status', t('recognition.final', { entity: entityName('Recognition'), id: row.id, status: row.status }));
  }
  if (row.status === 'PROVINCE_CERTIFIED' && viewer.role !== 'NATIONAL_ADMIN') {
    throw forbidden(
      t('recognition.onlyNationalAdmins', {
        entity: entityName('Recognition'),
        id: row.id,
        status: row.status,
        action: t('action.changeRecognitions'),
      }),
    );
  }
}

/**
 * Archiving takes a recognition out of the statistics: a provincial editor may archive or restore
 * only what is still the province's own (NOMINATED or WITHDRAWN), not what was certified for or
 * decided by the national subcommittee.
 */
function assertMayArchive(viewer: Viewer, row: Recognition, what: string): void {
  if (viewer.role !== 'NATIONAL_ADMIN' && NATIONAL_STAGE.includes(row.status)) {
    throw forbidden(
      t('recognition.onlyNationalAdmins', { entity: entityName('Recognition'), id: row.id, status: row.status, action: what }),
    );
  }
}

export async function nominateRecognition(context: Context, input: NominateRecognitionInput): Promise<Recognition> {
  const details = checkDetails({
    programme: input.programme,
    level: input.level ?? null,
    virtue: input.virtue ?? null,
    scope: input.scope ?? 'PROVINCIAL',
    fiscalYear: input.fiscalYear,
    titleTh: input.titleTh ?? null,
  });
  const source = sourceFromInput(input.source, context.viewer);
  const reason = reasonOf(input.reason);
  const recipient = await recipientOf(context, input.recipientKind, input.recipientId);
  assertCanEdit(context.viewer, recipient.provinceCode, t('action.nominateRecognitions'));
  return context.prisma.$transaction(async (tx) => {
    const created = await tx.recognition.create({
      data: { ...details, status: 'NOMINATED', recipientKind: input.recipientKind, ...recipient, ...source },
    });
    await tx.auditEntry.create({ data: audit(context, 'Recognition', 'CREATE', null, created, reason) });
    return created;
  });
}

export async function updateRecognition(context: Context, input: UpdateRecognitionInput): Promise<Recognition> {
  const { id: _id, version: _version, ...changes } = given(input);
  notCleared(changes, ['programme', 'scope', 'fiscalYear']);
  if (changes.fiscalYear != null) fiscalYear('fiscalYear', changes.fiscalYear);
  if (changes.titleTh != null) titleOf(changes.titleTh);
  return context.prisma.$transaction(async (tx) => {
    const before = await loadRecognition(tx, input.id);
    assertCanEdit(context.viewer, before.provinceCode, t('action.changeRecognitions'));
    assertVersion('Recognition', before, input.version);
    assertLive('Recognition', before);
    assertEditable(context.viewer, before);
    const details = checkDetails({ ...before, ...changes } as Details);
    if (unchanged(before, details)) return before;
    const { count } = await tx.recognition.updateMany({
      where: { id: before.id, version: before.version, archivedAt: null, status: before.status },
      data: { ...details, version: { increment: 1 } },
    });
    assertUpdated(count, 'Recognition', before.id, input.version);
    const after = await tx.recognition.findUniqueOrThrow({ where: { id: before.id } });
    await tx.auditEntry.create({ data: audit(context, 'Recognition', 'UPDATE', before, after) });
    return after;
  });
}

interface Step {
  /** The mutation, for messages. */
  name: string;
  /** The action, for refusals (a key: the message is made in the language of the request). */
  what: MessageKey;
  roles: readonly Role[];
  from: readonly Status[];
  to: Status;
}

/** The workflow: which step leads from which statuses to which, and who may take it. */
export const STEPS = {
  certify: {
    name: 'certifyRecognition',
    what: 'action.certifyRecognitions',
    roles: EDITOR_ROLES,
    from: ['NOMINATED'],
    to: 'PROVINCE_CERTIFIED',
  },
  confirm: {
    name: 'confirmRecognition',
    what: 'action.confirmRecognitions',
    roles: NATIONAL_ONLY,
    from: ['PROVINCE_CERTIFIED'],
    to: 'NATIONALLY_CONFIRMED',
  },
  reject: {
    name: 'rejectRecognition',
    what: 'action.rejectRecognitions',
    roles: NATIONAL_ONLY,
    from: ['NOMINATED', 'PROVINCE_CERTIFIED'],
    to: 'REJECTED',
  },
  withdraw: {
    name: 'withdrawRecognition',
    what: 'action.withdrawRecognitions',
    roles: EDITOR_ROLES,
    from: ['NOMINATED', 'PROVINCE_CERTIFIED'],
    to: 'WITHDRAWN',
  },
} as const satisfies Record<string, Step>;

/** An illegal step: says the current status and what the step needs (BAD_USER_INPUT, field `status`, `from`, `to`). */
function illegalTransition(row: Recognition, step: Step): GraphQLError {
  const from = new Intl.ListFormat(currentLanguage(), { type: 'disjunction' }).format(step.from);
  const message = t('recognition.illegalStep', {
    entity: entityName('Recognition'),
    id: row.id,
    status: row.status,
    final: FINAL.includes(row.status) ? 'yes' : 'no',
    step: step.name,
    to: step.to,
    from,
  });
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', field: 'status', from: row.status, to: step.to, id: row.id },
  });
}

async function transition(context: Context, input: RecognitionTransitionInput, step: Step): Promise<Recognition> {
  assertRole(context.viewer, step.roles, t(step.what));
  const reason = reasonOf(input.reason);
  if (!reason) throw badUserInput('reason', t('recognition.reasonRequired', { field: 'reason', step: step.name }));
  return context.prisma.$transaction(async (tx) => {
    const before = await loadRecognition(tx, input.id);
    assertCanEdit(context.viewer, before.provinceCode, t(step.what));
    assertVersion('Recognition', before, input.version);
    assertLive('Recognition', before);
    if (!step.from.includes(before.status)) throw illegalTransition(before, step);
    const { count } = await tx.recognition.updateMany({
      where: { id: before.id, version: before.version, archivedAt: null, status: before.status },
      data: { status: step.to, version: { increment: 1 } },
    });
    assertUpdated(count, 'Recognition', before.id, input.version);
    const after = await tx.recognition.findUniqueOrThrow({ where: { id: before.id } });
    await tx.auditEntry.create({ data: audit(context, 'Recognition', 'TRANSITION', before, after, reason) });
    return after;
  });
}

export const certifyRecognition = (context: Context, input: RecognitionTransitionInput) => transition(context, input, STEPS.certify);
export const confirmRecognition = (context: Context, input: RecognitionTransitionInput) => transition(context, input, STEPS.confirm);
export const rejectRecognition = (context: Context, input: RecognitionTransitionInput) => transition(context, input, STEPS.reject);
export const withdrawRecognition = (context: Context, input: RecognitionTransitionInput) => transition(context, input, STEPS.withdraw);

async function setRecognitionArchived(context: Context, input: ArchiveInput | RestoreInput, archive: boolean): Promise<Recognition> {
  const what = t(archive ? 'action.archiveRecognitions' : 'action.restoreRecognitions');
  const reason = reasonOf(input.reason);
  return context.prisma.$transaction(async (tx) => {
    const before = await loadRecognition(tx, input.id);
    assertCanEdit(context.viewer, before.provinceCode, what);
    assertMayArchive(context.viewer, before, what);
    assertVersion('Recognition', before, input.version);
    if (archive === Boolean(before.archivedAt)) {
      throw badUserInput(
        'id',
        t(archive ? 'error.alreadyArchived' : 'error.notArchived', { entity: entityName('Recognition'), id: before.id }),
      );
    }
    const { count } = await tx.recognition.updateMany({
      where: { id: before.id, version: before.version },
      data: { archivedAt: archive ? new Date() : null, version: { increment: 1 } },
    });
    assertUpdated(count, 'Recognition', before.id, input.version);
    const after = await tx.recognition.findUniqueOrThrow({ where: { id: before.id } });
    await tx.auditEntry.create({ data: audit(context, 'Recognition', archive ? 'ARCHIVE' : 'RESTORE', before, after, reason) });
    return after;
  });
}

export const archiveRecognition = (context: Context, input: ArchiveInput) => setRecognitionArchived(context, input, true);
export const restoreRecognition = (context: Context, input: RestoreInput) => setRecognitionArchived(context, input, false);

// ---- award criteria ----

/** At least one virtue; repeats dropped, the order given kept. */
function virtuesOf(values: readonly AwardCriteria['virtues'][number][]): AwardCriteria['virtues'] {
  const virtues = distinct(values);
  if (virtues.length === 0) throw badUserInput('virtues', t('input.virtuesRequired', { field: 'virtues' }));
  return virtues;
}

const textOf = (value: string | null | undefined) => thaiName('textTh', value, 5000);

async function loadCriteria(tx: Tx, id: string): Promise<AwardCriteria> {
  const row = await tx.awardCriteria.findUnique({ where: { id } });
  if (!row) throw notFound('AwardCriteria', id);
  return row;
}

function duplicateCriteria(provinceCode: string, year: number, archived: boolean): GraphQLError {
  return badUserInput('fiscalYear', t('awardCriteria.exists', { provinceCode, year, archived: archived ? 'yes' : 'no' }));
}

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

export async function createAwardCriteria(context: Context, input: CreateAwardCriteriaInput): Promise<AwardCriteria> {
  const provinceCode = existingProvince('provinceCode', input.provinceCode);
  const year = fiscalYear('fiscalYear', input.fiscalYear);
  const fields = { provinceCode, fiscalYear: year, textTh: textOf(input.textTh), virtues: virtuesOf(input.virtues) };
  const source = sourceFromInput(input.source, context.viewer);
  assertCanEdit(context.viewer, provinceCode, t('action.setAwardCriteria'));
  try {
    return await context.prisma.$transaction(async (tx) => {
      const existing = await tx.awardCriteria.findUnique({ where: { provinceCode_fiscalYear: { provinceCode, fiscalYear: year } } });
      if (existing) throw duplicateCriteria(provinceCode, year, Boolean(existing.archivedAt));
      const created = await tx.awardCriteria.create({ data: { ...fields, ...source } });
      await tx.auditEntry.create({ data: audit(context, 'AwardCriteria', 'CREATE', null, created) });
      return created;
    });
  } catch (error) {
    // Two editors creating the same province's criteria at once: the unique index lets one win.
    if (isUniqueViolation(error)) throw duplicateCriteria(provinceCode, year, false);
    throw error;
  }
}

export async function updateAwardCriteria(context: Context, input: UpdateAwardCriteriaInput): Promise<AwardCriteria> {
  const { id: _id, version: _version, ...changes } = given(input);
  notCleared(changes, ['textTh', 'virtues']);
  const data = {
    ...(changes.textTh != null ? { textTh: textOf(changes.textTh) } : {}),
    ...(changes.virtues != null ? { virtues: virtuesOf(changes.virtues) } : {}),
  };
  return context.prisma.$transaction(async (tx) => {
    const before = await loadCriteria(tx, input.id);
    assertCanEdit(context.viewer, before.provinceCode, t('action.changeAwardCriteria'));
    assertVersion('AwardCriteria', before, input.version);
    assertLive('AwardCriteria', before);
    if (unchanged(before, data)) return before;
    const { count } = await tx.awardCriteria.updateMany({
      where: { id: before.id, version: before.version, archivedAt: null },
      data: { ...data, version: { increment: 1 } },
    });
    assertUpdated(count, 'AwardCriteria', before.id, input.version);
    const after = await tx.awardCriteria.findUniqueOrThrow({ where: { id: before.id } });
    await tx.auditEntry.create({ data: audit(context, 'AwardCriteria', 'UPDATE', before, after) });
    return after;
  });
}

async function setCriteriaArchived(context: Context, input: ArchiveInput | RestoreInput, archive: boolean): Promise<AwardCriteria> {
  const reason = reasonOf(input.reason);
  return context.prisma.$transaction(async (tx) => {
    const before = await loadCriteria(tx, input.id);
    assertCanEdit(context.viewer, before.provinceCode, t(archive ? 'action.archiveAwardCriteria' : 'action.restoreAwardCriteria'));
    assertVersion('AwardCriteria', before, input.version);
    if (archive === Boolean(before.archivedAt)) {
      throw badUserInput(
        'id',
        t(archive ? 'error.alreadyArchived' : 'error.notArchived', { entity: entityName('AwardCriteria'), id: before.id }),
      );
    }
    const { count } = await tx.awardCriteria.updateMany({
      where: { id: before.id, version: before.version },
      data: { archivedAt: archive ? new Date() : null, version: { increment: 1 } },
    });
    assertUpdated(count, 'AwardCriteria', before.id, input.version);
    const after = await tx.awardCriteria.findUniqueOrThrow({ where: { id: before.id } });
    await tx.auditEntry.create({ data: audit(context, 'AwardCriteria', archive ? 'ARCHIVE' : 'RESTORE', before, after, reason) });
    return after;
  });
}

export const archiveAwardCriteria = (context: Context, input: ArchiveInput) => setCriteriaArchived(context, input, true);
export const restoreAwardCriteria = (context: Context, input: RestoreInput) => setCriteriaArchived(context, input, false);
