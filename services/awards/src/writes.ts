/**
 * Writes to recognitions and award criteria (docs/WRITES.md): validation and the recipient check with
 * the agencies subgraph here, before the transaction; then the common write lifecycle
 * (common/lifecycle.ts), one transaction per mutation that loads the record, checks the province
 * scope, the version and (here) the workflow status, updates it guarded by the version and adds the
 * audit entry.
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
  assertRole,
  badUserInput,
  currentLanguage,
  distinct,
  echo,
  EDITOR_ROLES,
  entityName,
  existingProvince,
  fiscalYear,
  forbidden,
  givenFields,
  inProvince,
  lifecycle,
  NATIONAL_ONLY,
  optionalText,
  prismaEntity,
  reasonOf,
  sourceFromInput,
  t,
  thaiName,
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

const RECOGNITION = lifecycle(prismaEntity<Tx, Recognition, Prisma.RecognitionUncheckedCreateInput>('Recognition', (tx) => tx.recognition));
const CRITERIA = lifecycle(
  prismaEntity<Tx, AwardCriteria, Prisma.AwardCriteriaUncheckedCreateInput>('AwardCriteria', (tx) => tx.awardCriteria),
);

/** Refuses null for fields an update may change but not clear. */
function notCleared(changes: Record<string, unknown>, fields: readonly string[]): void {
  for (const field of fields) {
    if (field in changes && changes[field] === null) throw badUserInput(field, t('input.requiredNotCleared', { field }));
  }
}

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

/** The checked details of a new recognition, as a nomination or an import row gives them (scope PROVINCIAL unless given). */
export function nominationDetails(given: {
  programme: Details['programme'];
  level?: Details['level'] | null;
  virtue?: Details['virtue'] | null;
  scope?: Details['scope'] | null;
  fiscalYear: number;
  titleTh?: string | null;
}): Details {
  return checkDetails({
    programme: given.programme,
    level: given.level ?? null,
    virtue: given.virtue ?? null,
    scope: given.scope ?? 'PROVINCIAL',
    fiscalYear: given.fiscalYear,
    titleTh: given.titleTh ?? null,
  });
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
  const details = nominationDetails(input);
  const source = sourceFromInput(input.source, context.viewer);
  const reason = reasonOf(input.reason);
  const recipient = await recipientOf(context, input.recipientKind, input.recipientId);
  assertCanEdit(context.viewer, recipient.provinceCode, t('action.nominateRecognitions'));
  return RECOGNITION.create(
    context,
    { ...details, status: 'NOMINATED', recipientKind: input.recipientKind, ...recipient, ...source },
    { reason },
  );
}

export function updateRecognition(context: Context, input: UpdateRecognitionInput): Promise<Recognition> {
  const { id: _id, version: _version, ...changes } = givenFields(input);
  notCleared(changes, ['programme', 'scope', 'fiscalYear']);
  if (changes.fiscalYear != null) fiscalYear('fiscalYear', changes.fiscalYear);
  if (changes.titleTh != null) titleOf(changes.titleTh);
  return RECOGNITION.update(context, input, {
    authorize: inProvince(context.viewer, t('action.changeRecognitions')),
    quietWhenUnchanged: true,
    data: (before) => {
      assertEditable(context.viewer, before);
      return checkDetails({ ...before, ...changes } as Details);
    },
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

function transition(context: Context, input: RecognitionTransitionInput, step: Step): Promise<Recognition> {
  assertRole(context.viewer, step.roles, t(step.what));
  if (!reasonOf(input.reason)) throw badUserInput('reason', t('recognition.reasonRequired', { field: 'reason', step: step.name }));
  return RECOGNITION.update(context, input, {
    operation: 'TRANSITION',
    authorize: inProvince(context.viewer, t(step.what)),
    data: (before) => {
      if (!step.from.includes(before.status)) throw illegalTransition(before, step);
      return { status: step.to };
    },
  });
}

export const certifyRecognition = (context: Context, input: RecognitionTransitionInput) => transition(context, input, STEPS.certify);
export const confirmRecognition = (context: Context, input: RecognitionTransitionInput) => transition(context, input, STEPS.confirm);
export const rejectRecognition = (context: Context, input: RecognitionTransitionInput) => transition(context, input, STEPS.reject);
export const withdrawRecognition = (context: Context, input: RecognitionTransitionInput) => transition(context, input, STEPS.withdraw);

function setRecognitionArchived(context: Context, input: ArchiveInput | RestoreInput, archive: boolean): Promise<Recognition> {
  const what = t(archive ? 'action.archiveRecognitions' : 'action.restoreRecognitions');
  return RECOGNITION.setArchived(context, input, archive, (before) => {
    assertCanEdit(context.viewer, before.provinceCode, what);
    assertMayArchive(context.viewer, before, what);
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
    return await CRITERIA.create(
      context,
      { ...fields, ...source },
      {
        check: async (tx) => {
          const existing = await tx.awardCriteria.findUnique({ where: { provinceCode_fiscalYear: { provinceCode, fiscalYear: year } } });
          if (existing) throw duplicateCriteria(provinceCode, year, Boolean(existing.archivedAt));
        },
      },
    );
  } catch (error) {
    // Two editors creating the same province's criteria at once: the unique index lets one win.
    if (isUniqueViolation(error)) throw duplicateCriteria(provinceCode, year, false);
    throw error;
  }
}

export function updateAwardCriteria(context: Context, input: UpdateAwardCriteriaInput): Promise<AwardCriteria> {
  const { id: _id, version: _version, ...changes } = givenFields(input);
  notCleared(changes, ['textTh', 'virtues']);
  const data = {
    ...(changes.textTh != null ? { textTh: textOf(changes.textTh) } : {}),
    ...(changes.virtues != null ? { virtues: virtuesOf(changes.virtues) } : {}),
  };
  return CRITERIA.update(context, input, {
    authorize: inProvince(context.viewer, t('action.changeAwardCriteria')),
    quietWhenUnchanged: true,
    data: () => data,
  });
}

export const archiveAwardCriteria = (context: Context, input: ArchiveInput) =>
  CRITERIA.setArchived(context, input, true, inProvince(context.viewer, t('action.archiveAwardCriteria')));
export const restoreAwardCriteria = (context: Context, input: RestoreInput) =>
  CRITERIA.setArchived(context, input, false, inProvince(context.viewer, t('action.restoreAwardCriteria')));
