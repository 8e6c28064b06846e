/**
 * Batch import of recognitions (docs/IMPORT.md), on the shared loop of common/import.ts. Rows name
 * their recipients: the agencies and people of a whole batch are found with the agencies subgraph in
 * one request (`agenciesByName`, `peopleByName`), provinces by code here or by Thai name with the
 * networks subgraph in one request (only when a row gives a name). Validation is nominateRecognition's
 * (writes.ts: programme rules, BE fiscal years, Thai titles); the recognition's province is the
 * recipient's.
 *
 * Imported recognitions are nominations (NOMINATED). A matched recognition that has moved on in the
 * workflow (PROVINCE_CERTIFIED or a final state) is the subcommittees' now: an import never changes
 * it (a row that would is rejected, field `status`; an identical row is UNCHANGED).
 */
import {
  assertImportSize,
  asciiDigits,
  assertCanEdit,
  createdAudits,
  importUpdate,
  byNaturalKey,
  IMPORT_TX_OPTIONS,
  badUserInput,
  entityName,
  existingProvince,
  importBatch,
  nameKey,
  sameGiven,
  importSource,
  tolerant,
  t,
  thaiName,
  type ImportResult,
} from '@moral-registry/common';
import type { Context } from './context.ts';
import type { Recognition } from './models.ts';
import type { ImportRecognitionsInput, RecognitionImportRow } from './generated/graphql.ts';
import type { Prisma } from './generated/prisma/client.ts';
import { nominationDetails, recipientDistrict, RECIPIENT_PLACE, type RecipientRef } from './writes.ts';

type Tx = Prisma.TransactionClient;
type Status = Recognition['status'];

const FINAL: readonly Status[] = ['NATIONALLY_CONFIRMED', 'REJECTED', 'WITHDRAWN'];
const THAI_LETTER = /[\u0E01-\u0E2E]/;
const PROVINCE_PREFIX = /^จังหวัด\s*/;

type Found = RecipientRef;

interface NameKey {
  provinceCode: string | null;
  nameTh: string;
}

const keyText = (k: NameKey) => `${k.provinceCode ?? ''}|${k.nameTh}`;

/** The agency or person rows' province and recipient name as they are looked up (null: the row's check reports it). */
function nameKeyOf(row: RecognitionImportRow): NameKey | null {
  const provinceCode = row.provinceCode ? tolerant(() => existingProvince('provinceCode', row.provinceCode!)) : null;
  if (row.provinceCode && !provinceCode) return null;
  const nameTh = tolerant(() => thaiName('recipientNameTh', row.recipientNameTh));
  return nameTh ? { provinceCode, nameTh } : null;
}

/**
 * The agencies and people the rows name, in one request to the agencies subgraph: for each key
 * (province + Thai name) the live records of that name in that province (none: unknown, several: ambiguous).
 */
async function recipientsByName(context: Context, rows: readonly RecognitionImportRow[]) {
  const agencyKeys = new Map<string, NameKey>();
  const personKeys = new Map<string, NameKey>();
  for (const row of rows) {
    if (row.recipientKind === 'PROVINCE') continue;
    const key = nameKeyOf(row);
    if (key) (row.recipientKind === 'AGENCY' ? agencyKeys : personKeys).set(keyText(key), key);
  }
  const agencies = new Map<string, Found[]>();
  const people = new Map<string, Found[]>();
  if (agencyKeys.size + personKeys.size === 0) return { agencies, people };
  const data = await context.peers.query<{ agenciesByName: Found[][]; peopleByName: Found[][] }>(
    'agencies',
    `query($a: [NameKey!]!, $p: [NameKey!]!) {
       agenciesByName(keys: $a) { id ${RECIPIENT_PLACE.Agency} }
       peopleByName(keys: $p) { id ${RECIPIENT_PLACE.Person} }
     }`,
    { a: [...agencyKeys.values()], p: [...personKeys.values()] },
  );
  [...agencyKeys.keys()].forEach((key, i) => agencies.set(key, data.agenciesByName[i] ?? []));
  [...personKeys.keys()].forEach((key, i) => people.set(key, data.peopleByName[i] ?? []));
  return { agencies, people };
}

/** Province codes by Thai name (without จังหวัด), asked of the networks subgraph once, only when a row names a province in Thai. */
async function provincesByName(context: Context, rows: readonly RecognitionImportRow[]): Promise<Map<string, string>> {
  const named = rows.some((r) => r.recipientKind === 'PROVINCE' && THAI_LETTER.test(r.recipientNameTh ?? ''));
  if (!named) return new Map();
  const data = await context.peers.query<{ provinces: { code: string; nameTh: string }[] }>('networks', '{ provinces { code nameTh } }');
  return new Map(data.provinces.map((p) => [nameKey(p.nameTh).replace(PROVINCE_PREFIX, ''), p.code]));
}

type Fields = Pick<Recognition, 'programme' | 'level' | 'virtue' | 'fiscalYear' | 'recipientKind' | 'recipientId' | 'provinceCode'> &
  Partial<Pick<Recognition, 'scope' | 'titleTh'>>;

/** The natural key: programme + fiscal year + recipient + level + virtue. */
const keyOf = (f: Fields) => [f.programme, f.fiscalYear, f.recipientKind, f.recipientId, f.level ?? '', f.virtue ?? ''].join('|');

export async function importRecognitions(context: Context, input: ImportRecognitionsInput): Promise<ImportResult> {
  assertImportSize(input.rows);
  const src = importSource(input.source, context.viewer);
  const [{ agencies, people }, provinceByName] = await Promise.all([
    recipientsByName(context, input.rows),
    provincesByName(context, input.rows),
  ]);

  /**
   * The recipient's district (recipientDistrict) by recipient id, for new recognitions; it is not one
   * of the compared fields, so a recognition stored before districts were kept is not "changed".
   */
  const districtByRecipient = new Map<string, string | null>();
  /** The recipient as stored (its key) and the recognition's province, which is always the recipient's. */
  const recipientOf = (row: RecognitionImportRow): Pick<Fields, 'recipientId' | 'provinceCode'> => {
    const provinceCode = row.provinceCode ? existingProvince('provinceCode', row.provinceCode) : null;
    if (row.recipientKind === 'PROVINCE') {
      const text = nameKey(row.recipientNameTh);
      if (!text) throw badUserInput('recipientNameTh', t('recognition.provinceRecipientRequired', { field: 'recipientNameTh' }));
      let code: string;
      if (THAI_LETTER.test(text)) {
        const name = text.replace(PROVINCE_PREFIX, '');
        const found = provinceByName.get(name);
        if (!found) throw badUserInput('recipientNameTh', t('import.provinceNameUnknown', { name }));
        code = found;
      } else {
        code = existingProvince('recipientNameTh', asciiDigits(text));
      }
      if (provinceCode && provinceCode !== code) {
        throw badUserInput('provinceCode', t('recognition.provinceNotRecipient', { field: 'provinceCode', provinceCode, code }));
      }
      return { recipientId: code, provinceCode: code };
    }
    const nameTh = thaiName('recipientNameTh', row.recipientNameTh);
    const agency = row.recipientKind === 'AGENCY';
    const matches = (agency ? agencies : people).get(keyText({ provinceCode, nameTh })) ?? [];
    const where = { kind: row.recipientKind, name: nameTh, provinceCode: provinceCode ?? 'none' };
    if (matches.length === 0) throw badUserInput('recipientNameTh', t('import.recipientNotFound', where));
    if (matches.length > 1) {
      throw badUserInput(
        'recipientNameTh',
        t('import.recipientAmbiguous', { ...where, count: matches.length, ids: matches.map((m) => m.id).join(', ') }),
      );
    }
    districtByRecipient.set(matches[0]!.id, recipientDistrict(matches[0]!));
    return { recipientId: matches[0]!.id, provinceCode: matches[0]!.province?.code ?? null };
  };

  const prepare = (row: RecognitionImportRow): Fields => {
    const details = nominationDetails(row);
    const fields: Fields = {
      programme: details.programme,
      level: details.level,
      virtue: details.virtue,
      fiscalYear: details.fiscalYear,
      recipientKind: row.recipientKind,
      ...recipientOf(row),
    };
    // Absent (or null: it cannot be cleared) scope keeps a matched recognition's; absent titleTh too.
    if (row.scope != null) fields.scope = row.scope;
    if (row.titleTh !== undefined) fields.titleTh = details.titleTh;
    return fields;
  };

  return importBatch<RecognitionImportRow, Fields, Recognition, Tx>(input, {
    prepare,
    keyOf,
    async findExisting(all) {
      const found = await context.prisma.recognition.findMany({
        where: {
          archivedAt: null,
          recipientId: { in: [...new Set(all.map((f) => f.recipientId))] },
          fiscalYear: { in: [...new Set(all.map((f) => f.fiscalYear))] },
        },
      });
      return byNaturalKey(found, keyOf);
    },
    authorize(fields, existing) {
      const what = t('action.importRecognitions');
      assertCanEdit(context.viewer, fields.provinceCode, what);
      if (!existing) return;
      if (existing.provinceCode !== fields.provinceCode) assertCanEdit(context.viewer, existing.provinceCode, what);
      if (existing.status !== 'NOMINATED' && !sameGiven(existing, fields)) {
        throw badUserInput(
          'status',
          t('import.recognitionMovedOn', {
            entity: entityName('Recognition'),
            id: existing.id,
            status: existing.status,
            final: FINAL.includes(existing.status) ? 'yes' : 'no',
          }),
        );
      }
    },
    transaction: (fn) => context.prisma.$transaction(fn, IMPORT_TX_OPTIONS),
    async create(tx, rows) {
      const data = rows.map(({ id, fields }) => ({
        id,
        scope: 'PROVINCIAL' as const,
        titleTh: null,
        ...fields,
        districtCode: districtByRecipient.get(fields.recipientId) ?? null,
        status: 'NOMINATED' as const,
        ...src,
      }));
      await tx.recognition.createMany({ data });
      await tx.auditEntry.createMany({ data: createdAudits(context, 'Recognition', data, src.sourceLabel) });
    },
    update: importUpdate(context, 'Recognition', (tx) => tx.recognition, src.sourceLabel, { status: 'NOMINATED' }),
  });
}
