/**
 * Writes to agencies and people (docs/WRITES.md): validation and reference checks with the networks
 * subgraph here, before the transaction; the province scope, the version guard and the audit entry in
 * the common write lifecycle (common/lifecycle.ts), one transaction per mutation.
 */
import {
  assertCanEdit,
  assertCanLink,
  assertCanUnlink,
  badUserInput,
  assertKnownDistrict,
  knownDistricts,
  optionalDistrictCode,
  districtInProvince,
  echo,
  entityName,
  emailAddress,
  existingProvince,
  givenFields,
  inProvince,
  lifecycle,
  liveNaturalKey,
  optionalText,
  prismaEntity,
  phoneNumber,
  sourceFromInput,
  thaiName,
  t,
} from '@moral-registry/common';
import { SECTORS } from '@moral-registry/common/demo';
import { chaptersOf } from './chapters.ts';
import type { Context } from './context.ts';
import type { Agency, Person } from './models.ts';
import type { Prisma } from './generated/prisma/client.ts';
import type {
  ArchiveInput,
  CreateAgencyInput,
  CreatePersonInput,
  RestoreInput,
  UpdateAgencyInput,
  UnlinkPersonInput,
  UpdatePersonInput,
} from './generated/graphql.ts';

const AGENCY_KINDS = new Set([
  'GOVERNMENT_OFFICE',
  'LOCAL_GOVERNMENT',
  'PUBLIC_ORGANIZATION',
  'RELIGIOUS_ORGANIZATION',
  'SCHOOL',
  'UNIVERSITY',
  'MEDIA',
  'COMPANY',
  'CIVIL_SOCIETY_GROUP',
  'COMMUNITY_ORGANIZATION',
  'COMMUNITY',
  'FARMER_GROUP',
  'OTHER',
]);

type AgencyFields = Pick<Agency, 'nameTh' | 'nameEn' | 'kind' | 'provinceCode' | 'districtCode' | 'networkId' | 'sectorCode'>;
type PersonFields = Pick<
  Person,
  'titleTh' | 'fullNameTh' | 'fullNameEn' | 'positionTh' | 'agencyId' | 'provinceCode' | 'phone' | 'email' | 'address'
>;

const code = (value: string | null | undefined) => (value == null ? null : value.trim() || null);

/** A sector code the networks subgraph does not know (BAD_USER_INPUT naming the sectors there are). */
export function unknownSector(value: string): ReturnType<typeof badUserInput> {
  return badUserInput('sectorCode', t('input.sectorUnknown', { value: echo(value), known: SECTORS.map((s) => s.code).join(', ') }));
}

interface NetworkRef {
  id: string;
  archivedAt: string | null;
  province: { code: string } | null;
  sector: { code: string } | null;
}

/**
 * Validates an agency as it will be stored; asks the networks subgraph about the district, network and
 * sector. With `deriveChapter` (a write that sets the sector or province and names no network) the
 * agency goes to its province's chapter of its sector (chapters.ts, the importer's rule); a named network
 * must be in the agency's province and of its sector.
 */
async function checkAgency(
  context: Context,
  fields: AgencyFields,
  referencesChanged: boolean,
  deriveChapter: boolean,
): Promise<AgencyFields> {
  const nameTh = thaiName('nameTh', fields.nameTh);
  const nameEn = optionalText('nameEn', fields.nameEn, 300);
  if (!fields.kind || !AGENCY_KINDS.has(fields.kind)) throw badUserInput('kind', t('input.required', { field: 'kind' }));
  const provinceCode = fields.provinceCode ? existingProvince('provinceCode', fields.provinceCode) : null;
  const districtCode = optionalDistrictCode('districtCode', fields.districtCode);
  if (districtCode) districtInProvince('districtCode', districtCode, provinceCode);
  let sectorCode = fields.sectorCode ? fields.sectorCode.trim().toUpperCase() : null;
  // The chapter follows the sector and province unless the write names a network (then it must match).
  let networkId = deriveChapter ? null : code(fields.networkId);
  if (!referencesChanged) {
    return { nameTh, nameEn, kind: fields.kind, provinceCode, districtCode, networkId: code(fields.networkId), sectorCode };
  }

  const [districts, network] = await Promise.all([
    knownDistricts(context.peers, districtCode ? [districtCode] : []),
    networkId
      ? context.peers.entities<NetworkRef>('networks', 'Network', [{ id: networkId }], 'id archivedAt province { code } sector { code }')
      : [null],
  ]);
  if (districtCode) assertKnownDistrict('districtCode', districtCode, districts);
  const chapter = network[0];
  if (networkId) {
    if (!chapter)
      throw badUserInput(
        'networkId',
        t('input.referenceNotFound', { field: 'networkId', entity: entityName('Network'), id: echo(networkId) }),
      );
    if (chapter.archivedAt)
      throw badUserInput('networkId', t('input.referenceArchived', { field: 'networkId', entity: entityName('Network'), id: networkId }));
    if (chapter.province?.code !== provinceCode) {
      throw badUserInput(
        'networkId',
        t('agency.networkOtherProvince', {
          networkId,
          networkProvince: chapter.province?.code ?? 'none',
          agencyProvince: provinceCode ?? 'none',
        }),
      );
    }
    if (sectorCode && sectorCode !== chapter.sector?.code) {
      throw badUserInput(
        'sectorCode',
        t('agency.sectorNotNetworks', { field: 'sectorCode', sectorCode, networkSector: chapter.sector?.code ?? '-' }),
      );
    }
    sectorCode = chapter.sector?.code ?? sectorCode;
  } else if (sectorCode) {
    const [[sector], chapters] = await Promise.all([
      context.peers.entities<{ code: string }>('networks', 'NetworkSector', [{ code: sectorCode }], 'code'),
      deriveChapter && provinceCode ? chaptersOf(context, [provinceCode]) : null,
    ]);
    if (!sector) throw unknownSector(sectorCode);
    if (chapters) networkId = chapters.of(provinceCode, sectorCode);
  }
  return { nameTh, nameEn, kind: fields.kind, provinceCode, districtCode, networkId, sectorCode };
}

/** Validates a person as they will be stored; the agency is this subgraph's own. */
async function checkPerson(
  context: Context,
  fields: PersonFields,
  provinceGiven: boolean,
  linkedBefore: string | null = null,
): Promise<PersonFields> {
  const agencyId = code(fields.agencyId);
  let provinceCode = fields.provinceCode ? existingProvince('provinceCode', fields.provinceCode) : null;
  if (agencyId) {
    const agency = await context.prisma.agency.findUnique({ where: { id: agencyId } });
    if (!agency)
      throw badUserInput('agencyId', t('input.referenceNotFound', { field: 'agencyId', entity: entityName('Agency'), id: echo(agencyId) }));
    if (agency.archivedAt)
      throw badUserInput('agencyId', t('input.referenceArchived', { field: 'agencyId', entity: entityName('Agency'), id: agencyId }));
    // A link made earlier (by a national admin) stays when other fields change.
    if (agencyId !== linkedBefore) assertCanLink(context.viewer, 'agencyId', agencyId, agency.provinceCode);
    if (!provinceGiven) provinceCode = agency.provinceCode;
  }
  return {
    titleTh: optionalText('titleTh', fields.titleTh, 50),
    fullNameTh: thaiName('fullNameTh', fields.fullNameTh),
    fullNameEn: optionalText('fullNameEn', fields.fullNameEn, 300),
    positionTh: optionalText('positionTh', fields.positionTh, 300),
    agencyId,
    provinceCode,
    phone: phoneNumber('phone', fields.phone),
    email: emailAddress('email', fields.email),
    address: optionalText('address', fields.address, 500),
  };
}

type Tx = Parameters<Parameters<Context['prisma']['$transaction']>[0]>[0];

/** A second live agency with the same natural key (province + Thai name) is refused, as the importer matches them. */
const AGENCY = lifecycle(
  prismaEntity<Tx, Agency, Prisma.AgencyUncheckedCreateInput>('Agency', (tx) => tx.agency, {
    assertUnique: liveNaturalKey(
      'Agency',
      (tx) => tx.agency,
      ({ provinceCode, nameTh }) => ({ provinceCode, nameTh }),
      ({ provinceCode, nameTh }) => t('naturalKey.agency', { provinceCode: provinceCode ?? 'none', nameTh }),
    ),
  }),
);

/** A second live person with the same natural key (province + agency + Thai full name) is refused. */
const PERSON = lifecycle(
  prismaEntity<Tx, Person, Prisma.PersonUncheckedCreateInput>('Person', (tx) => tx.person, {
    assertUnique: liveNaturalKey(
      'Person',
      (tx) => tx.person,
      ({ provinceCode, agencyId, fullNameTh }) => ({ provinceCode, agencyId, fullNameTh }),
      () => t('naturalKey.person'),
    ),
  }),
);

export async function createAgency(context: Context, input: CreateAgencyInput): Promise<Agency> {
  const requested = input.provinceCode ? existingProvince('provinceCode', input.provinceCode) : null;
  assertCanEdit(context.viewer, requested, t('action.addAgencies'));
  const fields = await checkAgency(
    context,
    {
      nameTh: input.nameTh,
      nameEn: input.nameEn ?? null,
      kind: input.kind,
      provinceCode: requested,
      districtCode: input.districtCode ?? null,
      networkId: input.networkId ?? null,
      sectorCode: input.sectorCode ?? null,
    },
    true,
    input.networkId == null,
  );
  const source = sourceFromInput(input.source, context.viewer);
  return AGENCY.create(context, { ...fields, ...source });
}

export async function updateAgency(context: Context, input: UpdateAgencyInput): Promise<Agency> {
  const authorize = inProvince(context.viewer, t('action.changeAgencies'));
  // The new values are checked with the networks subgraph before the transaction, against the stored ones.
  const current = await AGENCY.current(context, input, authorize);
  const { id: _id, version: _version, ...changes } = givenFields(input);
  const referencesChanged = ['provinceCode', 'districtCode', 'networkId', 'sectorCode'].some((f) => f in changes);
  // A new sector or province without a named network moves the agency to that province's chapter of the sector.
  const deriveChapter = !('networkId' in changes) && ('sectorCode' in changes || 'provinceCode' in changes);
  const fields = await checkAgency(context, { ...current, ...changes } as AgencyFields, referencesChanged, deriveChapter);
  assertCanEdit(context.viewer, fields.provinceCode, t('action.moveAgencies'));
  return AGENCY.update(context, input, { authorize, quietWhenUnchanged: true, data: () => fields });
}

export const archiveAgency = (context: Context, input: ArchiveInput) =>
  AGENCY.setArchived(context, input, true, inProvince(context.viewer, t('action.archiveAgencies')));
export const restoreAgency = (context: Context, input: RestoreInput) =>
  AGENCY.setArchived(context, input, false, inProvince(context.viewer, t('action.restoreAgencies')));

export async function createPerson(context: Context, input: CreatePersonInput): Promise<Person> {
  const fields = await checkPerson(
    context,
    {
      titleTh: input.titleTh ?? null,
      fullNameTh: input.fullNameTh,
      fullNameEn: input.fullNameEn ?? null,
      positionTh: input.positionTh ?? null,
      agencyId: input.agencyId ?? null,
      provinceCode: input.provinceCode ?? null,
      phone: input.phone ?? null,
      email: input.email ?? null,
      address: input.address ?? null,
    },
    input.provinceCode != null,
  );
  assertCanEdit(context.viewer, fields.provinceCode, t('action.addPeople'));
  const source = sourceFromInput(input.source, context.viewer);
  return PERSON.create(context, { ...fields, ...source });
}

export async function updatePerson(context: Context, input: UpdatePersonInput): Promise<Person> {
  const authorize = inProvince(context.viewer, t('action.changePeople'));
  const current = await PERSON.current(context, input, authorize);
  const { id: _id, version: _version, ...changes } = givenFields(input);
  // A new agency brings its province unless a province is given too.
  const provinceGiven = 'provinceCode' in changes || !('agencyId' in changes);
  const fields = await checkPerson(context, { ...current, ...changes } as PersonFields, provinceGiven, current.agencyId);
  assertCanEdit(context.viewer, fields.provinceCode, t('action.movePeople'));
  return PERSON.update(context, input, { authorize, quietWhenUnchanged: true, data: () => fields });
}

/** A person's agency link removed, by whoever may change the person or by the editor of the agency's province. */
export function unlinkPersonFromAgency(context: Context, input: UnlinkPersonInput): Promise<Person> {
  return PERSON.update(context, input, {
    authorize: async (before, tx) => {
      const agency = before.agencyId ? await tx.agency.findUnique({ where: { id: before.agencyId } }) : null;
      assertCanUnlink(context.viewer, before.provinceCode, agency?.provinceCode ?? null, t('action.unlinkPeopleFromAgencies'));
    },
    data: (before) => {
      if (!before.agencyId) throw badUserInput('id', t('person.notLinked', { entity: entityName('Person'), id: before.id }));
      return { agencyId: null };
    },
  });
}

export const archivePerson = (context: Context, input: ArchiveInput) =>
  PERSON.setArchived(context, input, true, inProvince(context.viewer, t('action.archivePeople')));
export const restorePerson = (context: Context, input: RestoreInput) =>
  PERSON.setArchived(context, input, false, inProvince(context.viewer, t('action.restorePeople')));
