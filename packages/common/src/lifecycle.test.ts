/**
 * The write lifecycle, once, against a real database (in-memory PGlite, one transaction per write):
 * what a caller sees for a stale version, an unknown id, a bad reason, a refused caller and a write in
 * the wrong state, and that the record and its audit entry commit together or not at all.
 */
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { forbidden } from './access.ts';
import { duplicateOf } from './errors.ts';
import type { AuditData } from './audit.ts';
import { lifecycle, type AuditTx, type WriteContext } from './lifecycle.ts';
import type { Viewer } from './viewer.ts';

interface Agency {
  id: string;
  nameTh: string;
  provinceCode: string;
  version: number;
  archivedAt: Date | null;
}
type Data = Pick<Agency, 'id' | 'nameTh' | 'provinceCode'>;
type Query = Pick<Transaction, 'query'>;
type Tx = AuditTx & { sql: Query };

let pg: PGlite;
/** When set, inserting an audit entry fails (the trail's table refusing a row). */
let auditFails = false;
/** How many transactions the lifecycle opened. */
let transactions = 0;

function txOf(sql: Query): Tx {
  return {
    sql,
    auditEntry: {
      async create({ data }: { data: AuditData & { at: Date } }) {
        if (auditFails) throw new Error('audit entry refused');
        await sql.query(
          `INSERT INTO audit_entry (entity_type, entity_id, operation, actor_id, reason, before, after, at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            data.entityType,
            data.entityId,
            data.operation,
            data.actorId,
            data.reason,
            data.before && JSON.stringify(data.before),
            JSON.stringify(data.after),
            data.at,
          ],
        );
      },
      async findFirst({ where }: { where: { entityType: string; entityId: string } }) {
        const { rows } = await sql.query<{ at: Date }>(
          'SELECT at FROM audit_entry WHERE entity_type = $1 AND entity_id = $2 ORDER BY at DESC LIMIT 1',
          [where.entityType, where.entityId],
        );
        return rows[0] ?? null;
      },
    },
  };
}

const SELECT = 'SELECT id, name_th AS "nameTh", province_code AS "provinceCode", version, archived_at AS "archivedAt" FROM agency';

const AGENCY = lifecycle<Tx, Agency, Data>({
  type: 'Agency',
  find: async ({ sql }, id) => (await sql.query<Agency>(`${SELECT} WHERE id = $1`, [id])).rows[0] ?? null,
  insert: async ({ sql }, data) =>
    (
      await sql.query<Agency>(
        `INSERT INTO agency (id, name_th, province_code) VALUES ($1, $2, $3)
         RETURNING id, name_th AS "nameTh", province_code AS "provinceCode", version, archived_at AS "archivedAt"`,
        [data.id, data.nameTh, data.provinceCode],
      )
    ).rows[0]!,
  update: async ({ sql }, { id, version, live }, data) => {
    const set =
      'archivedAt' in data
        ? { column: 'archived_at', value: data.archivedAt }
        : { column: 'name_th', value: (data as Partial<Data>).nameTh };
    const result = await sql.query(
      `UPDATE agency SET ${set.column} = $3, version = version + 1
       WHERE id = $1 AND version = $2 ${live ? 'AND archived_at IS NULL' : ''}`,
      [id, version, set.value],
    );
    return result.affectedRows ?? 0;
  },
  assertUnique: async ({ sql }, record, self) => {
    const { rows } = await sql.query<{ id: string }>(
      'SELECT id FROM agency WHERE name_th = $1 AND province_code = $2 AND archived_at IS NULL AND id IS DISTINCT FROM $3',
      [record.nameTh, record.provinceCode, self],
    );
    if (rows[0]) throw duplicateOf('Agency', rows[0].id, `${record.provinceCode} ${record.nameTh}`);
  },
});

const EDITOR: Viewer = { id: 'editor-14', role: 'PROVINCIAL_EDITOR', provinceCode: 'TH-14' };

const context: WriteContext<Tx> = {
  viewer: EDITOR,
  requestId: 'request-1',
  prisma: {
    $transaction: (fn) => {
      transactions += 1;
      return pg.transaction((sql) => fn(txOf(sql)));
    },
  },
};

/** The province editor may write Ayutthaya's records only. */
const authorize = (before: Agency) => {
  if (before.provinceCode !== EDITOR.provinceCode) throw forbidden('not your province');
};

async function stored(id: string): Promise<Agency | undefined> {
  return (await pg.query<Agency>(`${SELECT} WHERE id = $1`, [id])).rows[0];
}

async function trail(id: string): Promise<{ operation: string; reason: string | null; version: number | null }[]> {
  const { rows } = await pg.query<{ operation: string; reason: string | null; version: number | null }>(
    `SELECT operation, reason, (after->>'version')::int AS version FROM audit_entry WHERE entity_id = $1 ORDER BY at DESC`,
    [id],
  );
  return rows;
}

/** The error a write fails with, as a GraphQL client sees it: the code and the extensions that matter. */
async function failure(write: Promise<unknown>): Promise<{ code: unknown; field?: unknown; message: string; extensions: object }> {
  const error = await write.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  const { extensions, message } = error as GraphQLError;
  return { code: extensions.code, field: extensions.field, message, extensions };
}

beforeAll(async () => {
  pg = new PGlite();
  await pg.exec(`
    CREATE TABLE agency (
      id text PRIMARY KEY, name_th text NOT NULL, province_code text NOT NULL,
      version integer NOT NULL DEFAULT 1, archived_at timestamptz
    );
    CREATE TABLE audit_entry (
      id serial PRIMARY KEY, entity_type text NOT NULL, entity_id text NOT NULL, operation text NOT NULL,
      actor_id text NOT NULL, reason text, before jsonb, after jsonb, at timestamptz NOT NULL
    );`);
});

afterAll(async () => {
  await pg.close();
});

beforeEach(async () => {
  auditFails = false;
  transactions = 0;
  await pg.exec('DELETE FROM agency; DELETE FROM audit_entry;');
  await AGENCY.create(context, { id: 'a1', nameTh: 'สำนักงานวัฒนธรรม', provinceCode: 'TH-14' }, { reason: 'นำเข้า' });
  await AGENCY.create(context, { id: 'b1', nameTh: 'สำนักงานเขต', provinceCode: 'TH-10' });
  transactions = 0;
});

describe('write lifecycle', () => {
  it('creates at version 1 with a CREATE entry, then every write adds one version and one entry, newest first', async () => {
    expect(await stored('a1')).toMatchObject({ nameTh: 'สำนักงานวัฒนธรรม', version: 1, archivedAt: null });
    const renamed = await AGENCY.update(context, { id: 'a1', version: 1 }, { authorize, data: () => ({ nameTh: 'วัฒนธรรมจังหวัด' }) });
    expect(renamed).toMatchObject({ nameTh: 'วัฒนธรรมจังหวัด', version: 2 });
    const archived = await AGENCY.setArchived(context, { id: 'a1', version: 2, reason: 'ยุบรวม' }, true, authorize);
    expect(archived.version).toBe(3);
    expect(archived.archivedAt).toBeInstanceOf(Date);
    const restored = await AGENCY.setArchived(context, { id: 'a1', version: 3, reason: 'เปิดใหม่' }, false, authorize);
    expect(restored).toMatchObject({ version: 4, archivedAt: null });
    // Four writes in a few milliseconds still read in the order they happened.
    expect(await trail('a1')).toEqual([
      { operation: 'RESTORE', reason: 'เปิดใหม่', version: 4 },
      { operation: 'ARCHIVE', reason: 'ยุบรวม', version: 3 },
      { operation: 'UPDATE', reason: null, version: 2 },
      { operation: 'CREATE', reason: 'นำเข้า', version: 1 },
    ]);
  });

  it("refuses a stale version with CONFLICT naming both versions, and changes nothing (the caller's version is the guard)", async () => {
    await AGENCY.update(context, { id: 'a1', version: 1 }, { authorize, data: () => ({ nameTh: 'ชื่อที่หนึ่ง' }) });
    for (const write of [
      AGENCY.update(context, { id: 'a1', version: 1 }, { authorize, data: () => ({ nameTh: 'ชื่อเก่า' }) }),
      AGENCY.setArchived(context, { id: 'a1', version: 1 }, true, authorize),
    ]) {
      const error = await failure(write);
      expect(error.code).toBe('CONFLICT');
      expect(error.extensions).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
      expect(error.message).toContain('your version 1, current version 2');
    }
    expect(await stored('a1')).toMatchObject({ nameTh: 'ชื่อที่หนึ่ง', version: 2, archivedAt: null });
    expect((await trail('a1')).map((e) => e.operation)).toEqual(['UPDATE', 'CREATE']);
  });

  it('lets one of two editors writing the same version win; the other gets CONFLICT', async () => {
    const results = await Promise.allSettled([
      AGENCY.update(context, { id: 'a1', version: 1 }, { authorize, data: () => ({ nameTh: 'ชื่อหนึ่ง' }) }),
      AGENCY.update(context, { id: 'a1', version: 1 }, { authorize, data: () => ({ nameTh: 'ชื่อสอง' }) }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as GraphQLError).extensions.code).toBe('CONFLICT');
    expect((await stored('a1'))?.version).toBe(2);
    expect(await trail('a1')).toHaveLength(2);
  });

  it('checks the reason before anything else: a reason too long is BAD_USER_INPUT on `reason`, with no transaction opened', async () => {
    const long = 'เหตุ'.repeat(300);
    for (const write of [
      AGENCY.setArchived(context, { id: 'a1', version: 1, reason: long }, true, authorize),
      // Even for an id that does not exist and a stale version: the input is refused first.
      AGENCY.setArchived(context, { id: 'missing', version: 9, reason: long }, false, authorize),
      AGENCY.update(context, { id: 'a1', version: 1, reason: long }, { authorize, data: () => ({ nameTh: 'ชื่อใหม่' }) }),
      AGENCY.create(context, { id: 'c1', nameTh: 'ใหม่', provinceCode: 'TH-14' }, { reason: long }),
    ]) {
      expect(await failure(write)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    }
    expect(transactions).toBe(0);
    expect(await stored('a1')).toMatchObject({ version: 1, archivedAt: null });
    expect(await stored('c1')).toBeUndefined();
  });

  it('rolls the write back when its audit entry cannot be written: no record without its trail', async () => {
    auditFails = true;
    await expect(AGENCY.setArchived(context, { id: 'a1', version: 1 }, true, authorize)).rejects.toThrow('audit entry refused');
    await expect(AGENCY.update(context, { id: 'a1', version: 1 }, { authorize, data: () => ({ nameTh: 'ชื่อใหม่' }) })).rejects.toThrow(
      'audit entry refused',
    );
    await expect(AGENCY.create(context, { id: 'c1', nameTh: 'ใหม่', provinceCode: 'TH-14' })).rejects.toThrow('audit entry refused');
    expect(await stored('a1')).toMatchObject({ nameTh: 'สำนักงานวัฒนธรรม', version: 1, archivedAt: null });
    expect(await stored('c1')).toBeUndefined();
    expect(await trail('a1')).toHaveLength(1);
  });

  it('answers NOT_FOUND for an unknown id, naming the entity', async () => {
    for (const write of [
      AGENCY.update(context, { id: 'missing', version: 1 }, { authorize, data: () => ({ nameTh: 'ชื่อ' }) }),
      AGENCY.setArchived(context, { id: 'missing', version: 1 }, true, authorize),
    ]) {
      const error = await failure(write);
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message).toBe('Agency missing does not exist');
    }
  });

  it("refuses another province's record (FORBIDDEN) before looking at the version, and writes nothing", async () => {
    const error = await failure(AGENCY.setArchived(context, { id: 'b1', version: 7 }, true, authorize));
    expect(error.code).toBe('FORBIDDEN');
    expect(await stored('b1')).toMatchObject({ version: 1, archivedAt: null });
    expect(await trail('b1')).toHaveLength(1);
  });

  it('archives only a live record, restores only an archived one, and changes only a live one', async () => {
    expect(await failure(AGENCY.setArchived(context, { id: 'a1', version: 1 }, false, authorize))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'id',
      message: 'Agency a1 is not archived',
    });
    await AGENCY.setArchived(context, { id: 'a1', version: 1 }, true, authorize);
    expect(await failure(AGENCY.setArchived(context, { id: 'a1', version: 2 }, true, authorize))).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'Agency a1 is already archived',
    });
    expect(await failure(AGENCY.update(context, { id: 'a1', version: 2 }, { authorize, data: () => ({ nameTh: 'ชื่อใหม่' }) }))).toMatchObject(
      { code: 'BAD_USER_INPUT', message: 'Agency a1 is archived: restore it before changing it' },
    );
    expect((await trail('a1')).map((e) => e.operation)).toEqual(['ARCHIVE', 'CREATE']);
  });

  it('refuses a second live record with the natural key on create, update and restore (CONFLICT naming the one there), and writes nothing', async () => {
    await AGENCY.setArchived(context, { id: 'a1', version: 1 }, true, authorize);
    // The name is free while a1 is archived.
    await AGENCY.create(context, { id: 'c1', nameTh: 'สำนักงานวัฒนธรรม', provinceCode: 'TH-14' });
    for (const write of [
      AGENCY.setArchived(context, { id: 'a1', version: 2 }, false, authorize),
      AGENCY.create(context, { id: 'c2', nameTh: 'สำนักงานวัฒนธรรม', provinceCode: 'TH-14' }),
    ]) {
      expect(await failure(write)).toMatchObject({ code: 'CONFLICT', extensions: { existingId: 'c1' } });
    }
    await AGENCY.create(context, { id: 'c3', nameTh: 'ชื่ออื่น', provinceCode: 'TH-14' });
    const renamed = AGENCY.update(context, { id: 'c3', version: 1 }, { authorize, data: () => ({ nameTh: 'สำนักงานวัฒนธรรม' }) });
    expect(await failure(renamed)).toMatchObject({ code: 'CONFLICT', extensions: { existingId: 'c1' } });
    expect(await stored('a1')).toMatchObject({ version: 2 });
    expect(await stored('c2')).toBeUndefined();
    expect(await stored('c3')).toMatchObject({ nameTh: 'ชื่ออื่น', version: 1 });
  });

  it('with quietWhenUnchanged, an update that changes no value keeps the version and adds no entry', async () => {
    const same = await AGENCY.update(
      context,
      { id: 'a1', version: 1 },
      { authorize, quietWhenUnchanged: true, data: () => ({ nameTh: 'สำนักงานวัฒนธรรม' }) },
    );
    expect(same.version).toBe(1);
    expect(await trail('a1')).toHaveLength(1);
  });
});
