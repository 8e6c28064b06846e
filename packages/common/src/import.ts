/**
 * Batch imports (docs/IMPORT.md): the loop every subgraph's `importX` mutation shares. Each row is
 * validated on its own; a bad row is REJECTED with its problems and never stops the others. Valid rows
 * are matched to existing records by their natural key and created, updated (version +1) or left
 * UNCHANGED; the writes of a batch and their audit entries commit in one transaction. If that
 * transaction fails (a database error on one row), each row is retried in its own transaction, so the
 * good rows still land and the bad one is reported.
 */
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { createdAudits, updatedAudit, type AuditData, type WriteScope } from './audit.ts';
import { badUserInput } from './errors.ts';
import { sourceFromInput } from './provenance.ts';
import { normalizeThai } from './text.ts';
import { t } from './i18n/index.ts';

export type ImportStatus = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REJECTED';

export interface ImportProblem {
  field: string;
  message: string;
}

export interface ImportRowResult {
  index: number;
  status: ImportStatus;
  id: string | null;
  problems: ImportProblem[];
}

export interface ImportResult {
  rows: ImportRowResult[];
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  dryRun: boolean;
}

export const MAX_IMPORT_ROWS = 500;

/** Refuses a batch of more than MAX_IMPORT_ROWS rows (BAD_USER_INPUT on `rows`), before any row is looked at. */
export function assertImportSize(rows: readonly unknown[]): void {
  if (rows.length > MAX_IMPORT_ROWS) throw badUserInput('rows', t('import.batchTooLarge', { max: MAX_IMPORT_ROWS, count: rows.length }));
}

/** The problems a refusal means for one row: the field of a BAD_USER_INPUT, else the code as the field. */
export function problemsOf(error: unknown): ImportProblem[] {
  if (error instanceof GraphQLError) {
    const field = (error.extensions.field as string | undefined) ?? (error.extensions.code as string | undefined) ?? 'row';
    return [{ field, message: error.message }];
  }
  throw error;
}

/** What an `importX` mutation gets: the rows, and whether to only say what would happen. */
export interface ImportInput<Row> {
  rows: readonly Row[];
  dryRun?: boolean | null;
}

export interface ImportSpec<Row, Fields, Existing extends { id: string; version: number }, Tx> {
  /** Validates one row (throws GraphQLError with a field) into the values to store. */
  prepare(row: Row, index: number): Fields | Promise<Fields>;
  /** The natural key of the stored values. */
  keyOf(fields: Fields): string;
  /** Live records with these natural keys (one statement for the batch). */
  findExisting(fields: Fields[]): Promise<Map<string, Existing[]>>;
  /** True when storing `fields` would change nothing in `existing` (default: `sameGiven`). */
  same?(existing: Existing, fields: Fields): boolean;
  /** Throws FORBIDDEN/UNAUTHENTICATED when the viewer may not write this row (province scope). */
  authorize(fields: Fields, existing: Existing | null): void;
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Creates the records (ids chosen by the loop) and their audit entries. */
  create(tx: Tx, rows: { id: string; fields: Fields }[]): Promise<void>;
  /** Updates one record guarded by its version (returns the number of rows updated) and writes its audit entry. */
  update(tx: Tx, existing: Existing, fields: Fields): Promise<number>;
}

type Planned<Fields, Existing> =
  { index: number; kind: 'create'; id: string; fields: Fields } | { index: number; kind: 'update'; existing: Existing; fields: Fields };

export async function importBatch<Row, Fields, Existing extends { id: string; version: number }, Tx>(
  input: ImportInput<Row>,
  spec: ImportSpec<Row, Fields, Existing, Tx>,
): Promise<ImportResult> {
  const dryRun = input.dryRun ?? false;
  const same = spec.same ?? ((existing: Existing, fields: Fields) => sameGiven(existing, fields as object));
  assertImportSize(input.rows);
  const results: ImportRowResult[] = input.rows.map((_, index) => ({ index, status: 'REJECTED', id: null, problems: [] }));
  const prepared: { index: number; fields: Fields; key: string }[] = [];
  const firstByKey = new Map<string, number>();
  for (const [index, row] of input.rows.entries()) {
    try {
      const fields = await spec.prepare(row, index);
      const key = spec.keyOf(fields);
      const first = firstByKey.get(key);
      if (first !== undefined) {
        results[index]!.problems.push({ field: 'row', message: t('import.sameAsRow', { row: first }) });
        continue;
      }
      firstByKey.set(key, index);
      prepared.push({ index, fields, key });
    } catch (error) {
      results[index]!.problems.push(...problemsOf(error));
    }
  }

  const existing = prepared.length ? await spec.findExisting(prepared.map((p) => p.fields)) : new Map<string, Existing[]>();
  const planned: Planned<Fields, Existing>[] = [];
  for (const { index, fields, key } of prepared) {
    const matches = existing.get(key) ?? [];
    const result = results[index]!;
    try {
      if (matches.length > 1) {
        throw badUserInput('row', t('import.severalMatch', { count: matches.length, ids: matches.map((m) => m.id).join(', ') }));
      }
      const match = matches[0] ?? null;
      spec.authorize(fields, match);
      if (match && same(match, fields)) {
        Object.assign(result, { status: 'UNCHANGED', id: match.id });
      } else if (match) {
        planned.push({ index, kind: 'update', existing: match, fields });
      } else {
        planned.push({ index, kind: 'create', id: randomUUID(), fields });
      }
    } catch (error) {
      result.problems.push(...problemsOf(error));
    }
  }

  const mark = (p: Planned<Fields, Existing>) =>
    Object.assign(results[p.index]!, {
      status: p.kind === 'create' ? 'CREATED' : 'UPDATED',
      id: p.kind === 'create' ? (dryRun ? null : p.id) : p.existing.id,
    });
  const write = async (tx: Tx, batch: Planned<Fields, Existing>[]) => {
    const creates = batch.filter((p) => p.kind === 'create');
    if (creates.length)
      await spec.create(
        tx,
        creates.map((p) => ({ id: p.id, fields: p.fields })),
      );
    for (const p of batch) {
      if (p.kind === 'update' && (await spec.update(tx, p.existing, p.fields)) !== 1) {
        throw Object.assign(
          new GraphQLError(t('import.changedDuring', { id: p.existing.id }), {
            extensions: { code: 'CONFLICT', field: 'row' },
          }),
          {
            rowIndex: p.index,
          },
        );
      }
    }
  };

  if (dryRun || planned.length === 0) planned.forEach(mark);
  else {
    try {
      await spec.transaction((tx) => write(tx, planned));
      planned.forEach(mark);
    } catch {
      // One row broke the batch's transaction: write each row on its own to find it and keep the rest.
      for (const p of planned) {
        try {
          await spec.transaction((tx) => write(tx, [p]));
          mark(p);
        } catch (error) {
          results[p.index]!.problems.push(
            error instanceof GraphQLError ? problemsOf(error)[0]! : { field: 'row', message: t('import.refused') },
          );
        }
      }
    }
  }
  const count = (status: ImportStatus) => results.filter((r) => r.status === status).length;
  return {
    rows: results,
    created: count('CREATED'),
    updated: count('UPDATED'),
    unchanged: count('UNCHANGED'),
    rejected: count('REJECTED'),
    dryRun,
  };
}

/** The natural-key form of a name: normalized as names are stored (text.ts). */
export function nameKey(text: string | null | undefined): string {
  return normalizeThai(text ?? '');
}

/** Values to store for the fields a row gives; an absent field (undefined) keeps the stored value. */
export function sameGiven(existing: object, fields: object): boolean {
  return Object.entries(fields).every(
    ([key, value]) => value === undefined || sameValue((existing as Record<string, unknown>)[key], value),
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  return a === b;
}

/** The given fields only (undefined dropped), for an update. */
export function givenFields<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A batch's transaction: as a single write's, with more time (up to 500 rows and their audit entries). */
export const IMPORT_TX_OPTIONS = { maxWait: 10_000, timeout: 60_000 };

/** `findExisting`'s answer: the records found, under their natural key (`keyOf`). */
export function byNaturalKey<R>(records: readonly R[], keyOf: (record: R) => string): Map<string, R[]> {
  const byKey = new Map<string, R[]>();
  for (const record of records) byKey.set(keyOf(record), [...(byKey.get(keyOf(record)) ?? []), record]);
  return byKey;
}

/**
 * An import's `create` into one Prisma model: each row with its id, `defaults` for the columns a row may
 * leave out, its fields and the batch's provenance (`source`), in one `createMany`, and their CREATE
 * audit entries (the reason: the source label).
 */
export function importCreate<Tx extends { auditEntry: { createMany(args: { data: AuditData[] }): PromiseLike<unknown> } }>(
  scope: WriteScope,
  entityType: string,
  table: (tx: Tx) => { createMany(args: { data: any[] }): PromiseLike<unknown> },
  source: { sourceLabel: string },
  defaults: Record<string, unknown> = {},
) {
  return async (tx: Tx, rows: { id: string; fields: object }[]): Promise<void> => {
    const data = rows.map(({ id, fields }) => ({ id, ...defaults, ...fields, ...source }));
    await table(tx).createMany({ data });
    await tx.auditEntry.createMany({ data: createdAudits(scope, entityType, data, source.sourceLabel) });
  };
}

/**
 * An import's `update` of one Prisma model: the live record at its version (and `where`, e.g. a status),
 * its given fields, version +1, and its UPDATE audit entry (the reason: the batch's source label) when it
 * applied. Returns the number of rows updated, as `ImportSpec.update` does.
 */
export function importUpdate<Tx extends { auditEntry: { create(args: { data: AuditData }): PromiseLike<unknown> } }>(
  scope: WriteScope,
  entityType: string,
  table: (tx: Tx) => { updateMany(args: { where: any; data: any }): PromiseLike<{ count: number }> },
  reason: string,
  where: Record<string, unknown> = {},
) {
  return async (tx: Tx, existing: { id: string; version: number } & Record<string, unknown>, fields: object): Promise<number> => {
    const changes = givenFields(fields as Record<string, unknown>);
    const { count } = await table(tx).updateMany({
      where: { id: existing.id, version: existing.version, archivedAt: null, ...where },
      data: { ...changes, version: { increment: 1 } },
    });
    if (count === 1) await tx.auditEntry.create({ data: updatedAudit(scope, entityType, existing, changes, reason) });
    return count;
  };
}

/** Imported rows are IMPORT records (SYNTHETIC stays SYNTHETIC: demo files say so), labelled with the file. */
export function importSource(
  source: { kind?: string | null; label?: string | null; url?: string | null } | null | undefined,
  viewer: { id: string; name?: string | null },
) {
  return sourceFromInput({ ...source, kind: source?.kind === 'SYNTHETIC' ? 'SYNTHETIC' : 'IMPORT' }, viewer);
}

/** A batch's codes in their stored form, tolerating bad ones (the row's own check reports them). */
export function tolerant<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}
