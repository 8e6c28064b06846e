/**
 * The audit trail: every write records who, when, the operation and the values before and after, in
 * the same transaction as the write, in the subgraph that owns the record (table AuditEntry). Entries
 * are never deleted, also when the record is archived. Only staff read them.
 */
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { Viewer } from './viewer.ts';
import { DERIVED_SEARCH_COLUMNS } from './search.ts';
import { t } from './i18n/index.ts';
import { entityName } from './errors.ts';

export type AuditOperation = 'CREATE' | 'UPDATE' | 'ARCHIVE' | 'RESTORE' | 'TRANSITION';

/** The columns of an AuditEntry row, ready for `tx.auditEntry.create({ data })`. */
export interface AuditData {
  entityType: string;
  entityId: string;
  operation: AuditOperation;
  actorId: string;
  actorRole: string;
  actorProvinceCode: string | null;
  actorName: string | null;
  requestId: string | null;
  reason: string | null;
  before: any;
  after: any;
}

export interface WriteScope {
  viewer: Viewer;
  requestId?: string | null;
}

/** A record as JSON for the trail: dates as ISO strings, bookkeeping and derived search columns left out. */
export function auditJson(row: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!row) return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'createdAt' || key === 'updatedAt' || DERIVED_SEARCH_COLUMNS.has(key)) continue;
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

export function auditData(
  scope: WriteScope,
  entry: {
    entityType: string;
    entityId: string;
    operation: AuditOperation;
    before?: Record<string, unknown> | null;
    after?: Record<string, unknown> | null;
    reason?: string | null;
  },
): AuditData {
  return {
    entityType: entry.entityType,
    entityId: entry.entityId,
    operation: entry.operation,
    actorId: scope.viewer.id,
    actorRole: scope.viewer.role,
    actorProvinceCode: scope.viewer.provinceCode,
    actorName: scope.viewer.name ?? null,
    requestId: scope.requestId ?? null,
    reason: entry.reason ?? null,
    before: auditJson(entry.before) ?? undefined,
    after: auditJson(entry.after) ?? undefined,
  };
}

/** The audit entries of records an import batch created: one CREATE per record, at version 1. */
export function createdAudits(
  scope: WriteScope,
  entityType: string,
  records: ({ id: string } & Record<string, unknown>)[],
  reason: string,
): AuditData[] {
  return records.map((record) =>
    auditData(scope, { entityType, entityId: record.id, operation: 'CREATE', after: { ...record, version: 1, archivedAt: null }, reason }),
  );
}

/** The audit entry of a record an import batch updated in place: before, and before with the changes at the next version. */
export function updatedAudit(
  scope: WriteScope,
  entityType: string,
  existing: { id: string; version: number } & Record<string, unknown>,
  changes: Record<string, unknown>,
  reason: string,
): AuditData {
  return auditData(scope, {
    entityType,
    entityId: existing.id,
    operation: 'UPDATE',
    before: existing,
    after: { ...existing, ...changes, version: existing.version + 1 },
    reason,
  });
}

/** The fields whose values differ, each value as JSON text (GraphQL type FieldChange). */
export function fieldChanges(before: unknown, after: unknown): { field: string; before: string | null; after: string | null }[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return fields
    .filter((f) => JSON.stringify(b[f]) !== JSON.stringify(a[f]))
    .map((f) => ({
      field: f,
      before: f in b && b[f] !== undefined ? JSON.stringify(b[f]) : null,
      after: f in a && a[f] !== undefined ? JSON.stringify(a[f]) : null,
    }));
}

/** Resolvers of the shared GraphQL type AuditEntry over an AuditEntry row. */
export const auditEntryResolvers = {
  at: (row: { at: Date }) => row.at.toISOString(),
  actor: (row: AuditData) => ({ id: row.actorId, role: row.actorRole, provinceCode: row.actorProvinceCode, name: row.actorName }),
  changes: (row: AuditData) => fieldChanges(row.before, row.after),
};

export function conflict(entity: string, id: string, expected: number, current: number): GraphQLError {
  return new GraphQLError(t('error.conflict', { entity: entityName(entity), id, expected, current }), {
    extensions: { code: 'CONFLICT', entity, id, expectedVersion: expected, currentVersion: current },
  });
}

/**
 * Checks the version the caller read against the stored one. Use with a guarded update
 * (`updateMany({ where: { id, version } })`) and `assertUpdated`, so a concurrent write between the
 * check and the update is a conflict too.
 */
export function assertVersion(entity: string, row: { id: string; version: number }, expected: number): void {
  if (row.version !== expected) throw conflict(entity, row.id, expected, row.version);
}

export function assertUpdated(count: number, entity: string, id: string, expected: number): void {
  if (count !== 1) throw conflict(entity, id, expected, expected + 1);
}

export function assertLive(entity: string, row: { id: string; archivedAt?: Date | null }): void {
  if (row.archivedAt) {
    throw new GraphQLError(t('error.archived', { entity: entityName(entity), id: row.id }), {
      extensions: { code: 'BAD_USER_INPUT', field: 'id', entity, id: row.id },
    });
  }
}

interface AuditRow {
  entityType: string;
  entityId: string;
  at: Date;
}

/**
 * A per-request loader of audit trails: `load('Agency', id)` resolves to the record's entries, newest
 * first; all trails asked for in one tick are read with one statement.
 */
export function auditTrailLoader<Row extends AuditRow>(auditEntry: { findMany(args: any): Promise<Row[]> }) {
  const loader = new DataLoader<string, Row[]>(async (keys) => {
    const pairs = keys.map((k) => k.split('\u0000') as [string, string]);
    const rows = await auditEntry.findMany({
      where: {
        OR: [...new Set(pairs.map(([type]) => type))].map((type) => ({
          entityType: type,
          entityId: { in: pairs.filter(([t]) => t === type).map(([, id]) => id) },
        })),
      },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
    });
    // Writes to one record in the same millisecond are ordered by the version each one wrote.
    const versionOf = (row: Row) => Number((row as { after?: { version?: unknown } }).after?.version ?? 0);
    rows.sort((a, b) => {
      const at = b.at.getTime() - a.at.getTime();
      return at !== 0 ? at : versionOf(b) - versionOf(a);
    });
    const byKey = new Map<string, Row[]>();
    for (const row of rows) {
      const key = `${row.entityType}\u0000${row.entityId}`;
      byKey.set(key, [...(byKey.get(key) ?? []), row]);
    }
    return keys.map((k) => byKey.get(k) ?? []);
  });
  const key = (entityType: string, entityId: string) => `${entityType}\u0000${entityId}`;
  return {
    load: (entityType: string, entityId: string) => loader.load(key(entityType, entityId)),
    /** Forgets a trail read earlier in the request (a write added to it). */
    clear(entityType: string, entityId: string): void {
      loader.clear(key(entityType, entityId));
    },
    clearAll(): void {
      loader.clearAll();
    },
  };
}
