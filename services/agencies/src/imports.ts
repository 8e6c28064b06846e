/**
 * Batch imports of agencies and people (docs/IMPORT.md), on the shared loop of common/import.ts. The
 * references of a whole batch are checked with the networks subgraph in three requests (districts,
 * sectors, the provinces' chapters), not per row.
 */
import {
  assertImportSize,
  assertCanEdit,
  importCreate,
  importUpdate,
  byNaturalKey,
  IMPORT_TX_OPTIONS,
  badUserInput,
  checkedDistrict,
  emailAddress,
  existingProvince,
  importBatch,
  knownDistricts,
  nameKey,
  optionalDistrictCode,
  optionalText,
  phoneNumber,
  importSource,
  tolerant,
  t,
  thaiName,
  type ImportResult,
} from '@moral-registry/common';
import { chaptersOf } from './chapters.ts';
import { unknownSector } from './writes.ts';
import type { Context } from './context.ts';
import type { Agency, Person } from './models.ts';
import type { AgencyImportRow, ImportAgenciesInput, ImportPeopleInput, PersonImportRow } from './generated/graphql.ts';
import type { Prisma } from './generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;
const opt = <T>(value: T | null | undefined): T | null | undefined => value;

export async function importAgencies(context: Context, input: ImportAgenciesInput): Promise<ImportResult> {
  assertImportSize(input.rows);
  const provinces = new Set<string>();
  const districtCodes: string[] = [];
  const sectors = new Set<string>();
  for (const row of input.rows) {
    const province = row.provinceCode ? tolerant(() => existingProvince('provinceCode', row.provinceCode!)) : null;
    if (province) provinces.add(province);
    const district = tolerant(() => optionalDistrictCode('districtCode', row.districtCode));
    if (district) districtCodes.push(district);
    if (row.sectorCode?.trim()) sectors.add(row.sectorCode.trim().toUpperCase());
  }
  const [districts, knownSectors, chapters] = await Promise.all([
    knownDistricts(context.peers, districtCodes),
    context.peers.entities<{ code: string }>(
      'networks',
      'NetworkSector',
      [...sectors].map((code) => ({ code })),
      'code',
    ),
    chaptersOf(context, provinces),
  ]);
  const sectorOk = new Set(knownSectors.filter(Boolean).map((s) => s!.code));
  const src = importSource(input.source, context.viewer);

  type Fields = Pick<Agency, 'nameTh' | 'kind' | 'provinceCode'> &
    Partial<Pick<Agency, 'nameEn' | 'districtCode' | 'sectorCode' | 'networkId'>>;
  const prepare = (row: AgencyImportRow): Fields => {
    const provinceCode = row.provinceCode ? existingProvince('provinceCode', row.provinceCode) : null;
    const fields: Fields = { nameTh: thaiName('nameTh', row.nameTh), kind: row.kind, provinceCode };
    if (row.nameEn !== undefined) fields.nameEn = optionalText('nameEn', row.nameEn, 300);
    if (row.districtCode !== undefined) fields.districtCode = checkedDistrict('districtCode', row.districtCode, provinceCode, districts);
    if (row.sectorCode !== undefined) {
      const sector = row.sectorCode?.trim().toUpperCase() || null;
      if (sector && !sectorOk.has(sector)) throw unknownSector(sector);
      fields.sectorCode = sector;
      fields.networkId = chapters.of(provinceCode, sector);
    }
    return fields;
  };
  const keyOf = (f: Fields) => `${f.provinceCode ?? ''}|${nameKey(f.nameTh)}`;

  return importBatch<AgencyImportRow, Fields, Agency, Tx>(input, {
    prepare,
    keyOf,
    async findExisting(all) {
      const found = await context.prisma.agency.findMany({
        where: {
          archivedAt: null,
          nameTh: { in: [...new Set(all.map((f) => f.nameTh))] },
          OR: [
            { provinceCode: { in: [...new Set(all.map((f) => f.provinceCode).filter((c): c is string => !!c))] } },
            { provinceCode: null },
          ],
        },
      });
      return byNaturalKey(found, (a) => keyOf(a as Fields));
    },
    authorize: (f) => assertCanEdit(context.viewer, f.provinceCode, t('action.importAgencies')),
    transaction: (fn) => context.prisma.$transaction(fn, IMPORT_TX_OPTIONS),
    create: importCreate(context, 'Agency', (tx) => tx.agency, src, {
      nameEn: null,
      districtCode: null,
      sectorCode: null,
      networkId: null,
    }),
    update: importUpdate(context, 'Agency', (tx) => tx.agency, src.sourceLabel),
  });
}

export async function importPeople(context: Context, input: ImportPeopleInput): Promise<ImportResult> {
  assertImportSize(input.rows);
  // The agencies the rows name, by province and Thai name (national agencies when no province).
  const wanted = input.rows.filter((r) => r.agencyNameTh?.trim()).map((r) => nameKey(r.agencyNameTh));
  const agencies = wanted.length
    ? await context.prisma.agency.findMany({
        where: { archivedAt: null, nameTh: { in: [...new Set(wanted)] } },
        select: { id: true, nameTh: true, provinceCode: true },
      })
    : [];
  const agencyByKey = new Map<string, string[]>();
  for (const a of agencies) {
    const key = `${a.provinceCode ?? ''}|${a.nameTh}`;
    agencyByKey.set(key, [...(agencyByKey.get(key) ?? []), a.id]);
  }
  const src = importSource(input.source, context.viewer);

  type Fields = Pick<Person, 'fullNameTh' | 'provinceCode' | 'agencyId'> &
    Partial<Pick<Person, 'titleTh' | 'fullNameEn' | 'positionTh' | 'phone' | 'email' | 'address'>>;
  const prepare = (row: PersonImportRow): Fields => {
    const provinceCode = row.provinceCode ? existingProvince('provinceCode', row.provinceCode) : null;
    let agencyId: string | null = null;
    if (row.agencyNameTh?.trim()) {
      const ids = agencyByKey.get(`${provinceCode ?? ''}|${nameKey(row.agencyNameTh)}`) ?? [];
      if (ids.length === 0) {
        throw badUserInput(
          'agencyNameTh',
          t('import.agencyNotFound', { name: nameKey(row.agencyNameTh), provinceCode: provinceCode ?? 'none' }),
        );
      }
      if (ids.length > 1)
        throw badUserInput(
          'agencyNameTh',
          t('import.agencyAmbiguous', { count: ids.length, name: nameKey(row.agencyNameTh), provinceCode: provinceCode ?? 'none' }),
        );
      agencyId = ids[0]!;
    }
    const fields: Fields = { fullNameTh: thaiName('fullNameTh', row.fullNameTh), provinceCode, agencyId };
    if (row.titleTh !== undefined) fields.titleTh = optionalText('titleTh', opt(row.titleTh), 50);
    if (row.fullNameEn !== undefined) fields.fullNameEn = optionalText('fullNameEn', opt(row.fullNameEn), 300);
    if (row.positionTh !== undefined) fields.positionTh = optionalText('positionTh', opt(row.positionTh), 300);
    if (row.phone !== undefined) fields.phone = phoneNumber('phone', row.phone);
    if (row.email !== undefined) fields.email = emailAddress('email', row.email);
    if (row.address !== undefined) fields.address = optionalText('address', opt(row.address), 500);
    return fields;
  };
  const keyOf = (f: Fields) => `${f.provinceCode ?? ''}|${f.agencyId ?? ''}|${nameKey(f.fullNameTh)}`;

  return importBatch<PersonImportRow, Fields, Person, Tx>(input, {
    prepare,
    keyOf,
    async findExisting(all) {
      const found = await context.prisma.person.findMany({
        where: { archivedAt: null, fullNameTh: { in: [...new Set(all.map((f) => f.fullNameTh))] } },
      });
      return byNaturalKey(found, keyOf);
    },
    authorize: (f) => assertCanEdit(context.viewer, f.provinceCode, t('action.importPeople')),
    transaction: (fn) => context.prisma.$transaction(fn, IMPORT_TX_OPTIONS),
    create: importCreate(context, 'Person', (tx) => tx.person, src, {
      titleTh: null,
      fullNameEn: null,
      positionTh: null,
      phone: null,
      email: null,
      address: null,
    }),
    update: importUpdate(context, 'Person', (tx) => tx.person, src.sourceLabel),
  });
}
