/**
 * The write lifecycle of every subgraph's records (docs/WRITES.md), in one order for create, update,
 * archive and restore:
 *
 *   the input checked, the reason too, before anything is written
 *   → one transaction
 *   → the record read in it (NOT_FOUND when there is none)
 *   → who may write it (the subgraph's `authorize`)
 *   → the caller's version against the stored one (CONFLICT)
 *   → its state: live for an update; live to archive, archived to restore
 *   → the entity's own checks and the values to write; no live duplicate by the natural key
 *   → the update guarded by id and the caller's version, version + 1, the record read again
 *   → the audit entry, in the same transaction
 *   → commit.
 *
 * Each subgraph keeps its tables: it describes an entity (how to read, insert and update one record in
 * a transaction) and passes its own checks as callbacks.
 */
import { assertCanEdit } from './access.ts';
import { badUserInput, duplicateOf, entityName, notFound } from './errors.ts';
import { t } from './i18n/index.ts';
import { optionalText } from './validate.ts';
import { assertLive, assertUpdated, assertVersion, auditData, type AuditData, type AuditOperation, type WriteScope } from './audit.ts';
import type { Viewer } from './viewer.ts';

/** A record the lifecycle writes: every write bumps `version`; archived records keep their row. */
export interface Versioned {
  id: string;
  version: number;
  archivedAt?: Date | null;
}

/** What the lifecycle needs of a transaction besides the entity's own table: the subgraph's AuditEntry table. */
export interface AuditTx {
  auditEntry: {
    create(args: { data: AuditData & { at: Date } }): PromiseLike<unknown>;
    findFirst(args: {
      where: { entityType: string; entityId: string };
      orderBy: { at: 'desc' };
      select: { at: true };
    }): PromiseLike<{ at: Date } | null>;
  };
}

/**
 * Interactive transactions wait for a connection and run longer than Prisma's defaults (2 s, 5 s)
 * allow on a busy machine with the embedded database, where transactions take turns.
 */
export const WRITE_TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 };

/** A database that opens interactive transactions (a Prisma client). */
export interface TransactionRunner<Tx> {
  $transaction<T>(fn: (tx: Tx) => Promise<T>, options?: { maxWait?: number; timeout?: number }): Promise<T>;
}

/** The request a write runs in: who writes, the request id, and the subgraph's database. */
export interface WriteContext<Tx> extends WriteScope {
  prisma: TransactionRunner<Tx>;
}

/** Which row an update may change: this id at the caller's version, and (`live`) only while not archived. */
export interface Guard {
  id: string;
  version: number;
  live: boolean;
}

/** How a subgraph reads and writes one kind of record in a transaction. */
export interface Entity<Tx, Row extends Versioned, Data> {
  /** The GraphQL type name: AuditEntry.entityType, and the entity in messages. */
  type: string;
  /** The record by id, archived or not; null when there is none. */
  find(tx: Tx, id: string): Promise<Row | null>;
  /** Inserts a record at version 1 and returns it as `find` would. */
  insert(tx: Tx, data: Data): Promise<Row>;
  /** Updates the record the guard names, with `version + 1`; returns how many rows changed (0 or 1). */
  update(tx: Tx, guard: Guard, data: Partial<Data> | { archivedAt: Date | null }): Promise<number>;
  /** The record as the audit trail keeps it (default: the row). */
  auditRecord?(row: Row): Record<string, unknown>;
  /**
   * Refuses a record that would be a second live one with the natural key of another (the key the
   * importer matches rows by): run on create, on update (the record as it will be) and on restore.
   */
  assertUnique?(tx: Tx, record: Row | Data, self: string | null): Promise<void>;
}

/** The part of a Prisma model delegate an entity needs (argument types are the model's own). */
export interface PrismaTable<Row> {
  findUnique(args: { where: { id: string } }): PromiseLike<Row | null>;
  create(args: { data: any }): PromiseLike<Row>;
  updateMany(args: { where: any; data: any }): PromiseLike<{ count: number }>;
}

/** An entity stored in one Prisma model with `id`, `version` and `archivedAt` columns. */
export function prismaEntity<Tx, Row extends Versioned, Data>(
  type: string,
  table: (tx: Tx) => PrismaTable<Row>,
  extra: Pick<Entity<Tx, Row, Data>, 'assertUnique'> = {},
): Entity<Tx, Row, Data> {
  return {
    ...extra,
    type,
    find: async (tx, id) => table(tx).findUnique({ where: { id } }),
    insert: async (tx, data) => table(tx).create({ data }),
    update: async (tx, { id, version, live }, data) => {
      const where = { id, version, ...(live ? { archivedAt: null } : {}) };
      return (await table(tx).updateMany({ where, data: { ...data, version: { increment: 1 } } })).count;
    },
  };
}

/**
 * An `assertUnique` by a natural key: no other live record of the table with the same values of `key`
 * (CONFLICT naming the existing record and the key, `describe`).
 */
export function liveNaturalKey<Tx, R>(
  type: string,
  table: (tx: Tx) => { findFirst(args: { where: any; select: { id: true } }): PromiseLike<{ id: string } | null> },
  key: (record: R) => Record<string, unknown>,
  describe: (record: R) => string,
): (tx: Tx, record: R, self: string | null) => Promise<void> {
  return async (tx, record, self) => {
    const where = { ...key(record), archivedAt: null, ...(self ? { NOT: { id: self } } : {}) };
    const other = await table(tx).findFirst({ where, select: { id: true } });
    if (other) throw duplicateOf(type, other.id, describe(record));
  };
}

/** The usual `authorize`: the caller may edit records of the record's province (access.ts), for `action`. */
export function inProvince(viewer: Viewer, action: string): (before: { provinceCode: string | null }) => void {
  return (before) => assertCanEdit(viewer, before.provinceCode, action);
}

/** The reason a write gives for the trail: optional, at most 1000 characters (BAD_USER_INPUT, field `reason`). */
export const reasonOf = (value: string | null | undefined): string | null => optionalText('reason', value, 1000);

/** An update that changes no stored value (compared as JSON, so lists and dates compare by value). */
export function unchanged(before: object, fields: object): boolean {
  const stored = before as Record<string, unknown>;
  return Object.entries(fields).every(([key, value]) => JSON.stringify(stored[key]) === JSON.stringify(value));
}

/**
 * Adds the audit entry of a write, in its transaction. Its time is strictly after the record's
 * previous entry (the guarded update holds the row, so writes to one record take turns), so the
 * trail's newest-first order is the order of the writes even within one millisecond.
 */
export async function writeAudit(
  tx: AuditTx,
  scope: WriteScope,
  entry: {
    entityType: string;
    entityId: string;
    operation: AuditOperation;
    before: Record<string, unknown> | null;
    after: Record<string, unknown>;
    reason?: string | null;
  },
): Promise<void> {
  const last = entry.before
    ? await tx.auditEntry.findFirst({
        where: { entityType: entry.entityType, entityId: entry.entityId },
        orderBy: { at: 'desc' },
        select: { at: true },
      })
    : null;
  const at = new Date(Math.max(Date.now(), (last?.at.getTime() ?? 0) + 1));
  await tx.auditEntry.create({ data: { ...auditData(scope, entry), at } });
}

/** Who may write the record as it is stored (throws FORBIDDEN); may read in the transaction. */
export type Authorize<Tx, Row> = (before: Row, tx: Tx) => void | Promise<void>;

export interface UpdateOptions<Tx, Row, Data> {
  authorize: Authorize<Tx, Row>;
  /** The values to write, from the stored record; may refuse the write (a state or uniqueness check). */
  data(before: Row, tx: Tx): Partial<Data> | Promise<Partial<Data>>;
  /** AuditEntry.operation: UPDATE, or TRANSITION for a workflow step. */
  operation?: Extract<AuditOperation, 'UPDATE' | 'TRANSITION'>;
  /** An update that changes no stored value is not a write: no new version, no audit entry (re-imports stay quiet). */
  quietWhenUnchanged?: boolean;
}

/** What identifies the write: the record, the version the caller read, and the reason for the trail. */
export interface WriteInput {
  id: string;
  version: number;
  reason?: string | null;
}

/** The lifecycle of one entity: see the comment at the top of this file for the order of the steps. */
export function lifecycle<Tx extends AuditTx, Row extends Versioned, Data>(entity: Entity<Tx, Row, Data>) {
  const record = (row: Row) => (entity.auditRecord ? entity.auditRecord(row) : (row as unknown as Record<string, unknown>));

  async function audit(
    tx: Tx,
    scope: WriteScope,
    operation: AuditOperation,
    before: Row | null,
    after: Row,
    reason: string | null,
  ): Promise<void> {
    await writeAudit(tx, scope, {
      entityType: entity.type,
      entityId: after.id,
      operation,
      before: before && record(before),
      after: record(after),
      reason,
    });
  }

  /** The stored record, checked: found, the caller may write it, at the caller's version, and (`live`) not archived. */
  async function checked(tx: Tx, input: WriteInput, authorize: Authorize<Tx, Row>, live: boolean): Promise<Row> {
    const before = await entity.find(tx, input.id);
    if (!before) throw notFound(entity.type, input.id);
    await authorize(before, tx);
    assertVersion(entity.type, before, input.version);
    if (live) assertLive(entity.type, before);
    return before;
  }

  async function reread(tx: Tx, guard: Guard, count: number): Promise<Row> {
    assertUpdated(count, entity.type, guard.id, guard.version);
    const after = await entity.find(tx, guard.id);
    if (!after) throw notFound(entity.type, guard.id);
    return after;
  }

  async function setArchived(context: WriteContext<Tx>, input: WriteInput, archive: boolean, authorize: Authorize<Tx, Row>): Promise<Row> {
    const reason = reasonOf(input.reason);
    return context.prisma.$transaction(async (tx) => {
      const before = await checked(tx, input, authorize, false);
      if (archive === Boolean(before.archivedAt)) {
        const key = archive ? 'error.alreadyArchived' : 'error.notArchived';
        throw badUserInput('id', t(key, { entity: entityName(entity.type), id: before.id }));
      }
      if (!archive) await entity.assertUnique?.(tx, before, before.id);
      const guard = { id: before.id, version: input.version, live: false };
      const after = await reread(tx, guard, await entity.update(tx, guard, { archivedAt: archive ? new Date() : null }));
      await audit(tx, context, archive ? 'ARCHIVE' : 'RESTORE', before, after, reason);
      return after;
    }, WRITE_TX_OPTIONS);
  }

  return {
    /**
     * The stored record checked as an update will check it, read outside a transaction: for input checks
     * that need the stored values and ask another subgraph, which run before the transaction opens. The
     * update reads the record again and guards on the caller's version, so a write in between is a CONFLICT.
     */
    current(context: WriteContext<Tx>, input: WriteInput, authorize: Authorize<Tx, Row>): Promise<Row> {
      return checked(context.prisma as unknown as Tx, input, authorize, true);
    },

    /** Inserts a record (input already checked); `check` runs first in the transaction (e.g. uniqueness). */
    async create(
      context: WriteContext<Tx>,
      data: Data,
      options: { reason?: string | null; check?(tx: Tx): void | Promise<void> } = {},
    ): Promise<Row> {
      const reason = reasonOf(options.reason);
      return context.prisma.$transaction(async (tx) => {
        await options.check?.(tx);
        await entity.assertUnique?.(tx, data, null);
        const created = await entity.insert(tx, data);
        await audit(tx, context, 'CREATE', null, created, reason);
        return created;
      }, WRITE_TX_OPTIONS);
    },

    async update(context: WriteContext<Tx>, input: WriteInput, options: UpdateOptions<Tx, Row, Data>): Promise<Row> {
      const reason = reasonOf(input.reason);
      return context.prisma.$transaction(async (tx) => {
        const before = await checked(tx, input, options.authorize, true);
        const data = await options.data(before, tx);
        if (options.quietWhenUnchanged && unchanged(before, data)) return before;
        await entity.assertUnique?.(tx, { ...before, ...data }, before.id);
        const guard = { id: before.id, version: input.version, live: true };
        const after = await reread(tx, guard, await entity.update(tx, guard, data));
        await audit(tx, context, options.operation ?? 'UPDATE', before, after, reason);
        return after;
      }, WRITE_TX_OPTIONS);
    },

    /** Archives (`archive`) or restores the record: only `archivedAt` changes, with the version and the audit entry. */
    setArchived,
  };
}
