/**
 * Writes to activities (docs/WRITES.md): validation, reference checks with the networks subgraph
 * (district) and the agencies subgraph (organizers, participating agencies) before the transaction,
 * then the common write lifecycle (common/lifecycle.ts), one transaction per mutation: the province
 * scope, the version guard, the activity row, its organizer and participant links, and the audit
 * entry commit together or not at all.
 */
import {
  assertCanEdit,
  assertCanLink,
  assertCanUnlink,
  echo,
  entityName,
  badUserInput,
  calendarDate,
  distinct,
  assertKnownDistrict,
  knownDistricts,
  optionalDistrictCode,
  districtInProvince,
  existingProvince,
  fiscalYearOf,
  givenFields,
  inProvince,
  lifecycle,
  liveNaturalKey,
  nonNegativeInt,
  notFound,
  optionalText,
  ordered,
  reasonOf,
  sourceFromInput,
  thaiName,
  t,
} from '@moral-registry/common';
import type { ActivityKind, Prisma, Virtue } from './generated/prisma/client.ts';
import type { ArchiveInput, CreateActivityInput, RestoreInput, UnlinkAgencyInput, UpdateActivityInput } from './generated/graphql.ts';
import type { Context } from './context.ts';
import type { Activity } from './models.ts';
import { isoDate } from './resolvers/Date.ts';

export const ENTITY = 'Activity';
/** The most agencies one list may name (the Ayutthaya meeting has 59). */
export const MAX_LINKS = 1000;
type Tx = Prisma.TransactionClient;

/** The activity's own columns as a write stores them. */
interface ActivityFields {
  titleTh: string;
  titleEn: string | null;
  kind: ActivityKind;
  startDate: Date;
  endDate: Date;
  fiscalYear: number;
  provinceCode: string | null;
  districtCode: string | null;
  venue: string | null;
  participantCount: number;
  virtues: Virtue[];
}

/** The two link lists; a list is undefined when the write leaves it as it is. */
interface Links {
  organizerIds?: string[];
  participatingAgencyIds?: string[];
}
type LinkField = keyof Links;

/** An activity with its links, as the audit trail records it. */
export type Snapshot = Activity & { organizerIds: string[]; participatingAgencyIds: string[] };

type Changes = Partial<Omit<CreateActivityInput, 'source'>>;

/** An optional code: null or blank means none. */
const optionalCode = (value: string | null | undefined, check: (code: string) => string): string | null =>
  value?.trim() ? check(value) : null;

/**
 * Validates the activity as it will be stored: each given field is checked and normalized, each absent
 * one keeps its current value (`current`; null for a create, where the defaults are given instead).
 */
function checkFields(changes: Changes, current: Activity | null): ActivityFields {
  const has = (field: keyof Changes) => field in changes;
  const titleTh = has('titleTh') ? thaiName('titleTh', changes.titleTh) : current!.titleTh;
  const titleEn = has('titleEn') ? optionalText('titleEn', changes.titleEn, 300) : current!.titleEn;
  if (has('kind') && changes.kind == null) throw badUserInput('kind', t('input.required', { field: 'kind' }));
  const kind = (changes.kind ?? current!.kind) as ActivityKind;
  if (has('startDate') && changes.startDate == null) throw badUserInput('startDate', t('input.required', { field: 'startDate' }));
  const startDate = changes.startDate != null ? calendarDate('startDate', changes.startDate) : current!.startDate;
  // A cleared end date makes a one-day activity.
  const endDate = has('endDate') ? (changes.endDate != null ? calendarDate('endDate', changes.endDate) : startDate) : current!.endDate;
  ordered('startDate', startDate, 'endDate', endDate);
  const provinceCode = has('provinceCode')
    ? optionalCode(changes.provinceCode, existingProvince.bind(null, 'provinceCode'))
    : current!.provinceCode;
  const districtCode = has('districtCode') ? optionalDistrictCode('districtCode', changes.districtCode) : current!.districtCode;
  if (districtCode) districtInProvince('districtCode', districtCode, provinceCode);
  const venue = has('venue') ? optionalText('venue', changes.venue, 500) : current!.venue;
  if (has('participantCount') && changes.participantCount == null)
    throw badUserInput('participantCount', t('input.required', { field: 'participantCount' }));
  const participantCount =
    changes.participantCount != null ? nonNegativeInt('participantCount', changes.participantCount) : current!.participantCount;
  const virtues = has('virtues') ? (distinct(changes.virtues ?? []) as Virtue[]) : current!.virtues;
  return {
    titleTh,
    titleEn,
    kind,
    startDate,
    endDate,
    fiscalYear: fiscalYearOf(startDate),
    provinceCode,
    districtCode,
    venue,
    participantCount,
    virtues,
  };
}

/** A given link list: trimmed ids, duplicates removed (the first place kept); null clears the list. */
function linkList(field: LinkField, ids: readonly string[] | null | undefined): string[] {
  const list = distinct((ids ?? []).map((id) => id.trim()));
  if (list.some((id) => !id)) throw badUserInput(field, t('input.listEmptyId', { field }));
  if (list.length > MAX_LINKS) throw badUserInput(field, t('activity.linksTooMany', { field, max: MAX_LINKS, count: list.length }));
  return list;
}

function checkLinks(changes: Changes): Links {
  return {
    ...('organizerIds' in changes ? { organizerIds: linkList('organizerIds', changes.organizerIds) } : {}),
    ...('participatingAgencyIds' in changes
      ? { participatingAgencyIds: linkList('participatingAgencyIds', changes.participatingAgencyIds) }
      : {}),
  };
}

/**
 * Asks the owning subgraphs about the references the write adds, before the transaction opens: the
 * district (networks) when it changes, and the agencies newly linked (agencies, one request for both
 * lists). An unknown id or a newly linked archived agency is a BAD_USER_INPUT naming the ids; agencies
 * already linked stay linked when they have been archived since (the activity happened with them).
 */
async function checkReferences(context: Context, fields: ActivityFields, links: Links, current: Snapshot | null): Promise<void> {
  const newDistrict = fields.districtCode && fields.districtCode !== current?.districtCode ? fields.districtCode : null;
  const added = (field: LinkField) => (links[field] ?? []).filter((id) => !current?.[field].includes(id));
  const newOrganizers = added('organizerIds');
  const newParticipants = added('participatingAgencyIds');
  const agencyIds = distinct([...newOrganizers, ...newParticipants]);
  const [districts, agencies] = await Promise.all([
    knownDistricts(context.peers, newDistrict ? [newDistrict] : []),
    context.peers.entities<{ id: string; archivedAt: string | null; province: { code: string } | null }>(
      'agencies',
      'Agency',
      agencyIds.map((id) => ({ id })),
      'id archivedAt province { code }',
    ),
  ]);
  if (newDistrict) assertKnownDistrict('districtCode', newDistrict, districts);
  const byId = new Map(agencyIds.map((id, i) => [id, agencies[i] ?? null]));
  for (const [field, ids] of [
    ['organizerIds', newOrganizers],
    ['participatingAgencyIds', newParticipants],
  ] as const) {
    const unknown = ids.filter((id) => !byId.get(id));
    if (unknown.length) throw badUserInput(field, t('activity.agenciesUnknown', { field, ids: unknown.map(echo).join(', ') }));
    const archived = ids.filter((id) => byId.get(id)?.archivedAt);
    if (archived.length) throw badUserInput(field, t('activity.agenciesArchived', { field, ids: archived.join(', ') }));
    for (const id of ids) assertCanLink(context.viewer, field, id, byId.get(id)!.province?.code);
  }
}

/** What a snapshot reads with the activity: its organizers in order and its participants. */
export const WITH_LINKS = {
  organizers: { orderBy: [{ position: 'asc' as const }, { agencyId: 'asc' as const }] },
  participants: true,
} satisfies Prisma.ActivityInclude;

/** An activity read with WITH_LINKS as a snapshot: organizer ids in order, participant ids sorted. */
export function snapshotFrom(row: Prisma.ActivityGetPayload<{ include: typeof WITH_LINKS }>): Snapshot {
  const { organizers, participants, ...activity } = row;
  return {
    ...activity,
    organizerIds: organizers.map((o) => o.agencyId),
    participatingAgencyIds: participants.map((p) => p.agencyId).sort(),
  };
}

export async function snapshotOf(db: Tx, id: string): Promise<Snapshot> {
  const row = await db.activity.findUnique({ where: { id }, include: WITH_LINKS });
  if (!row) throw notFound(ENTITY, id);
  return snapshotFrom(row);
}

/** Replaces the links the write gives, in the transaction. */
export async function writeLinks(tx: Tx, activityId: string, links: Links, replace: boolean): Promise<void> {
  if (links.organizerIds) {
    if (replace) await tx.activityOrganizer.deleteMany({ where: { activityId } });
    await tx.activityOrganizer.createMany({ data: links.organizerIds.map((agencyId, position) => ({ activityId, agencyId, position })) });
  }
  if (links.participatingAgencyIds) {
    if (replace) await tx.activityParticipant.deleteMany({ where: { activityId } });
    await tx.activityParticipant.createMany({ data: links.participatingAgencyIds.map((agencyId) => ({ activityId, agencyId })) });
  }
}

/** The record in the trail: the row (dates as YYYY-MM-DD) with its organizers (in order) and participants (sorted). */
export const auditRecord = (s: Snapshot): Record<string, unknown> => ({
  ...s,
  startDate: isoDate(s.startDate),
  endDate: isoDate(s.endDate),
});

/** A write changes what this request's loaders may have cached (e.g. two mutations in one operation). */
export function forgetCached(context: Context): void {
  const { stats, ...loaders } = context.loaders;
  for (const loader of [...Object.values(loaders), ...Object.values(stats)]) loader.clearAll();
}

const withoutLinks = ({ organizerIds: _o, participatingAgencyIds: _p, ...row }: Snapshot): Activity => row;

/** The activity's columns and link lists as a write stores them. */
type ActivityData = Prisma.ActivityUncheckedCreateInput & Links;

/** An activity with its organizer and participant links, one record to the write lifecycle. */
const ACTIVITY = lifecycle<Tx, Snapshot, ActivityData>({
  type: ENTITY,
  find: async (tx, id) => {
    const row = await tx.activity.findUnique({ where: { id }, include: WITH_LINKS });
    return row && snapshotFrom(row);
  },
  insert: async (tx, { organizerIds, participatingAgencyIds, ...columns }) => {
    const row = await tx.activity.create({ data: columns });
    await writeLinks(tx, row.id, { organizerIds, participatingAgencyIds }, false);
    return snapshotOf(tx, row.id);
  },
  update: async (tx, { id, version, live }, data) => {
    const { organizerIds, participatingAgencyIds, ...columns } = data as Partial<ActivityData>;
    const { count } = await tx.activity.updateMany({
      where: { id, version, ...(live ? { archivedAt: null } : {}) },
      data: { ...columns, version: { increment: 1 } },
    });
    if (count === 1) await writeLinks(tx, id, { organizerIds, participatingAgencyIds }, true);
    return count;
  },
  auditRecord,
  // A second live activity with the same natural key (province + start date + Thai title) is refused, as the importer matches them.
  assertUnique: liveNaturalKey(
    ENTITY,
    (tx) => tx.activity,
    (record: Snapshot | ActivityData) => ({
      provinceCode: record.provinceCode ?? null,
      startDate: record.startDate,
      titleTh: record.titleTh,
    }),
    () => t('naturalKey.activity'),
  ),
});

export async function createActivity(context: Context, input: CreateActivityInput): Promise<Activity> {
  const { source: sourceInput, ...rest } = input;
  const changes: Changes = {
    titleEn: null,
    endDate: null,
    provinceCode: null,
    districtCode: null,
    venue: null,
    participantCount: 0,
    virtues: [],
    organizerIds: [],
    participatingAgencyIds: [],
    ...givenFields(rest),
  };
  // The province first: a caller who may not write there learns that before anything else.
  const provinceCode = optionalCode(changes.provinceCode, existingProvince.bind(null, 'provinceCode'));
  assertCanEdit(context.viewer, provinceCode, t('action.recordActivities'));
  const fields = checkFields(changes, null);
  const links = checkLinks(changes);
  const source = sourceFromInput(sourceInput, context.viewer);
  await checkReferences(context, fields, links, null);
  const created = await ACTIVITY.create(context, { ...fields, ...source, ...links });
  forgetCached(context);
  return withoutLinks(created);
}

export async function updateActivity(context: Context, input: UpdateActivityInput): Promise<Activity> {
  const { id: _id, version: _version, source: sourceInput, ...rest } = givenFields(input) as UpdateActivityInput;
  const authorize = inProvince(context.viewer, t('action.changeActivities'));
  // The new values are checked with the other subgraphs before the transaction, against the stored ones.
  const current = await ACTIVITY.current(context, input, authorize);
  const changes = rest as Changes;
  const fields = checkFields(changes, current);
  assertCanEdit(context.viewer, fields.provinceCode, t('action.moveActivities'));
  const links = checkLinks(changes);
  if (sourceInput === null) throw badUserInput('source', t('input.requiredNotCleared', { field: 'source' }));
  const source = sourceInput ? sourceFromInput(sourceInput, context.viewer) : {};
  await checkReferences(context, fields, links, current);
  const updated = await ACTIVITY.update(context, input, { authorize, data: () => ({ ...fields, ...source, ...links }) });
  forgetCached(context);
  return withoutLinks(updated);
}

/** Archive (soft delete) or restore: only archivedAt changes, with the version and an audit entry giving the reason. */
async function setArchived(context: Context, input: ArchiveInput | RestoreInput, archive: boolean): Promise<Activity> {
  const what = t(archive ? 'action.archiveActivities' : 'action.restoreActivities');
  const result = await ACTIVITY.setArchived(context, input, archive, inProvince(context.viewer, what));
  forgetCached(context);
  return withoutLinks(result);
}

export const archiveActivity = (context: Context, input: ArchiveInput) => setArchived(context, input, true);
export const restoreActivity = (context: Context, input: RestoreInput) => setArchived(context, input, false);

/**
 * One agency removed from an activity's organizers and participants: by whoever may change the
 * activity, or by the editor of the agency's province (asked of the agencies subgraph), which did not
 * make the link but must be able to undo it.
 */
export async function unlinkAgencyFromActivity(context: Context, input: UnlinkAgencyInput): Promise<Activity> {
  reasonOf(input.reason);
  const current = await snapshotOf(context.prisma, input.id);
  const linked = (row: Snapshot) => row.organizerIds.includes(input.agencyId) || row.participatingAgencyIds.includes(input.agencyId);
  const notLinked = (row: Snapshot) =>
    badUserInput('agencyId', t('activity.agencyNotLinked', { agencyId: echo(input.agencyId), entity: entityName(ENTITY), id: row.id }));
  if (!linked(current)) throw notLinked(current);
  const [agency] = await context.peers.entities<{ province: { code: string } | null }>(
    'agencies',
    'Agency',
    [{ id: input.agencyId }],
    'province { code }',
  );
  const updated = await ACTIVITY.update(context, input, {
    authorize: (before) =>
      assertCanUnlink(context.viewer, before.provinceCode, agency?.province?.code ?? null, t('action.unlinkAgenciesFromActivities')),
    data: (before) => {
      if (!linked(before)) throw notLinked(before);
      return {
        organizerIds: before.organizerIds.filter((id) => id !== input.agencyId),
        participatingAgencyIds: before.participatingAgencyIds.filter((id) => id !== input.agencyId),
      };
    },
  });
  forgetCached(context);
  return withoutLinks(updated);
}
