/**
 * Batch import of activities (docs/IMPORT.md), on the shared loop of common/import.ts. The references
 * of a whole batch are checked before the loop, not per row: its districts with the networks subgraph
 * (one `_entities` request) and its organizer and participant names with the agencies subgraph (one
 * `agenciesByName` request per 500 names). Validation is that of createActivity/updateActivity.
 */
import {
  assertImportSize,
  assertCanEdit,
  auditData,
  badUserInput,
  calendarDate,
  distinct,
  checkedDistrict,
  existingProvince,
  fiscalYearOf,
  givenFields,
  importBatch,
  byNaturalKey,
  IMPORT_TX_OPTIONS,
  knownDistricts,
  nameKey,
  nonNegativeInt,
  optionalDistrictCode,
  optionalText,
  ordered,
  importSource,
  tolerant,
  t,
  thaiName,
  type ImportResult,
  writeAudit,
} from '@moral-registry/common';
import type { Context } from './context.ts';
import type { ActivityImportRow, ImportActivitiesInput } from './generated/graphql.ts';
import type { ActivityKind, Prisma, Virtue } from './generated/prisma/client.ts';
import { isoDate } from './resolvers/Date.ts';
import { ENTITY, MAX_LINKS, WITH_LINKS, auditRecord, forgetCached, snapshotFrom, snapshotOf, writeLinks, type Snapshot } from './writes.ts';

type Tx = Prisma.TransactionClient;

/** The most names one agenciesByName request may ask for (its limit). */
const NAME_KEYS_PER_REQUEST = 500;

/** The values a row stores: the natural key always, the other fields when the row gives them. */
interface Fields {
  titleTh: string;
  kind: ActivityKind;
  startDate: Date;
  fiscalYear: number;
  provinceCode: string | null;
  titleEn?: string | null;
  endDate?: Date;
  districtCode?: string | null;
  venue?: string | null;
  participantCount?: number;
  virtues?: Virtue[];
  /** In the order the row names them. */
  organizerIds?: string[];
  /** Sorted, as a snapshot lists them (a set). */
  participatingAgencyIds?: string[];
}

type NameField = 'organizerNames' | 'participantNames';
const nameLookupKey = (provinceCode: string | null, name: string) => `${provinceCode ?? ''}|${name}`;

/** The names a row gives in one list, normalized, duplicates removed (the first place kept). */
function namesOf(field: NameField, names: readonly string[] | null | undefined): string[] {
  const list = distinct((names ?? []).map(nameKey));
  if (list.some((name) => !name)) throw badUserInput(field, t('input.listEmptyName', { field }));
  if (list.length > MAX_LINKS) throw badUserInput(field, t('activity.linksTooMany', { field, max: MAX_LINKS, count: list.length }));
  return list;
}

/**
 * The live agencies of every name the batch gives, in each row's province and among the national
 * agencies: key `province|name` (national: `|name`) → their ids.
 */
async function agenciesByName(context: Context, rows: readonly ActivityImportRow[]): Promise<Map<string, string[]>> {
  const keys = new Map<string, { provinceCode: string | null; nameTh: string }>();
  for (const row of rows) {
    const provinceCode = row.provinceCode?.trim() ? tolerant(() => existingProvince('provinceCode', row.provinceCode!)) : null;
    for (const name of [...(row.organizerNames ?? []), ...(row.participantNames ?? [])].map(nameKey)) {
      if (!name) continue;
      if (provinceCode) keys.set(nameLookupKey(provinceCode, name), { provinceCode, nameTh: name });
      keys.set(nameLookupKey(null, name), { provinceCode: null, nameTh: name });
    }
  }
  const all = [...keys.entries()];
  const chunks: (typeof all)[] = [];
  for (let i = 0; i < all.length; i += NAME_KEYS_PER_REQUEST) chunks.push(all.slice(i, i + NAME_KEYS_PER_REQUEST));
  const answers = await Promise.all(
    chunks.map((chunk) =>
      context.peers.query<{ agenciesByName: { id: string }[][] }>(
        'agencies',
        'query($keys: [NameKey!]!) { agenciesByName(keys: $keys) { id } }',
        { keys: chunk.map(([, key]) => key) },
      ),
    ),
  );
  const found = new Map<string, string[]>();
  chunks.forEach((chunk, c) =>
    chunk.forEach(([key], i) =>
      found.set(
        key,
        (answers[c]!.agenciesByName[i] ?? []).map((a) => a.id),
      ),
    ),
  );
  return found;
}

export async function importActivities(context: Context, input: ImportActivitiesInput): Promise<ImportResult> {
  assertImportSize(input.rows);
  const src = importSource(input.source, context.viewer);
  const districtCodes = input.rows.flatMap((row) => tolerant(() => optionalDistrictCode('districtCode', row.districtCode)) ?? []);
  const [districts, agencyIds] = await Promise.all([knownDistricts(context.peers, districtCodes), agenciesByName(context, input.rows)]);

  /** The agency ids of a row's names: the province's agency of that name, else the national one. */
  const resolve = (field: NameField, names: string[], provinceCode: string | null): string[] => {
    const unknown: string[] = [];
    const ambiguous: string[] = [];
    const ids: string[] = [];
    for (const name of names) {
      const inProvince = provinceCode ? (agencyIds.get(nameLookupKey(provinceCode, name)) ?? []) : [];
      const matches = inProvince.length ? inProvince : (agencyIds.get(nameLookupKey(null, name)) ?? []);
      if (matches.length === 0) unknown.push(name);
      else if (matches.length > 1) ambiguous.push(t('import.agencyCount', { name, count: matches.length }));
      else ids.push(matches[0]!);
    }
    if (unknown.length) {
      throw badUserInput(field, t('import.agenciesNotFound', { field, names: unknown.join(', '), provinceCode: provinceCode ?? 'none' }));
    }
    if (ambiguous.length) throw badUserInput(field, t('import.agenciesAmbiguous', { field, names: ambiguous.join(', ') }));
    return distinct(ids);
  };

  const prepare = (row: ActivityImportRow): Fields => {
    const provinceCode = row.provinceCode?.trim() ? existingProvince('provinceCode', row.provinceCode) : null;
    const startDate = calendarDate('startDate', row.startDate);
    const fields: Fields = {
      titleTh: thaiName('titleTh', row.titleTh),
      kind: row.kind as ActivityKind,
      startDate,
      fiscalYear: fiscalYearOf(startDate),
      provinceCode,
    };
    if (row.titleEn !== undefined) fields.titleEn = optionalText('titleEn', row.titleEn, 300);
    if (row.endDate !== undefined) {
      // No end date: a one-day activity.
      const endDate = row.endDate?.trim() ? calendarDate('endDate', row.endDate) : startDate;
      ordered('startDate', startDate, 'endDate', endDate);
      fields.endDate = endDate;
    }
    if (row.districtCode !== undefined) fields.districtCode = checkedDistrict('districtCode', row.districtCode, provinceCode, districts);
    if (row.venue !== undefined) fields.venue = optionalText('venue', row.venue, 500);
    if (row.participantCount !== undefined)
      fields.participantCount = row.participantCount === null ? 0 : nonNegativeInt('participantCount', row.participantCount);
    if (row.virtues !== undefined) fields.virtues = distinct(row.virtues ?? []) as Virtue[];
    if (row.organizerNames !== undefined)
      fields.organizerIds = resolve('organizerNames', namesOf('organizerNames', row.organizerNames), provinceCode);
    if (row.participantNames !== undefined)
      fields.participatingAgencyIds = resolve('participantNames', namesOf('participantNames', row.participantNames), provinceCode).sort();
    return fields;
  };
  const keyOf = (f: Pick<Fields, 'provinceCode' | 'startDate' | 'titleTh'>) =>
    `${f.provinceCode ?? ''}|${isoDate(f.startDate)}|${nameKey(f.titleTh)}`;

  const result = await importBatch<ActivityImportRow, Fields, Snapshot, Tx>(input, {
    prepare,
    keyOf,
    async findExisting(all) {
      const provinces = [...new Set(all.map((f) => f.provinceCode).filter((c): c is string => !!c))];
      const found = await context.prisma.activity.findMany({
        where: {
          archivedAt: null,
          titleTh: { in: [...new Set(all.map((f) => f.titleTh))] },
          startDate: { in: [...new Map(all.map((f) => [f.startDate.getTime(), f.startDate])).values()] },
          OR: [{ provinceCode: { in: provinces } }, { provinceCode: null }],
        },
        include: WITH_LINKS,
      });
      return byNaturalKey(found.map(snapshotFrom), keyOf);
    },
    // `same` is the default (sameGiven), links too: organizer ids in order, participant ids sorted on both sides (a set).
    authorize: (f) => assertCanEdit(context.viewer, f.provinceCode, t('action.importActivities')),
    transaction: (fn) => context.prisma.$transaction(fn, IMPORT_TX_OPTIONS),
    async create(tx, rows) {
      const records = rows.map(({ id, fields }) => {
        const { organizerIds = [], participatingAgencyIds = [], ...columns } = fields;
        const activity = {
          id,
          titleEn: null,
          endDate: columns.startDate,
          districtCode: null,
          venue: null,
          participantCount: 0,
          virtues: [] as Virtue[],
          ...columns,
          ...src,
        };
        return { activity, organizerIds, participatingAgencyIds };
      });
      await tx.activity.createMany({ data: records.map((r) => r.activity) });
      const organizers = records.flatMap((r) =>
        r.organizerIds.map((agencyId, position) => ({ activityId: r.activity.id, agencyId, position })),
      );
      if (organizers.length) await tx.activityOrganizer.createMany({ data: organizers });
      const participants = records.flatMap((r) => r.participatingAgencyIds.map((agencyId) => ({ activityId: r.activity.id, agencyId })));
      if (participants.length) await tx.activityParticipant.createMany({ data: participants });
      await tx.auditEntry.createMany({
        data: records.map((r) =>
          auditData(context, {
            entityType: ENTITY,
            entityId: r.activity.id,
            operation: 'CREATE',
            after: auditRecord({
              ...r.activity,
              version: 1,
              archivedAt: null,
              organizerIds: r.organizerIds,
              participatingAgencyIds: r.participatingAgencyIds,
            } as Snapshot),
            reason: src.sourceLabel,
          }),
        ),
      });
    },
    async update(tx, existing, fields) {
      const { organizerIds, participatingAgencyIds, ...columns } = givenFields(fields);
      const { count } = await tx.activity.updateMany({
        where: { id: existing.id, version: existing.version, archivedAt: null },
        data: { ...columns, version: { increment: 1 } },
      });
      if (count === 1) {
        await writeLinks(tx, existing.id, { organizerIds, participatingAgencyIds }, true);
        await writeAudit(tx, context, {
          entityType: ENTITY,
          entityId: existing.id,
          operation: 'UPDATE',
          before: auditRecord(existing),
          after: auditRecord(await snapshotOf(tx, existing.id)),
          reason: src.sourceLabel,
        });
      }
      return count;
    },
  });
  if (result.created + result.updated > 0 && !result.dryRun) forgetCached(context);
  return result;
}
