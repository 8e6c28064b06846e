import { auditEntryResolvers, provenanceOf } from '@moral-registry/common';
import { activityFilter } from './args.ts';
import type { ActivityResolvers, AgencyResolvers, AuditEntryResolvers } from '../generated/graphql.ts';
import { isoDate } from './Date.ts';

export const Activity: ActivityResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.activity.load(id),
  startDate: (activity) => isoDate(activity.startDate),
  endDate: (activity) => isoDate(activity.endDate),
  province: (activity) => (activity.provinceCode ? { code: activity.provinceCode } : null),
  district: (activity) => (activity.districtCode ? { code: activity.districtCode } : null),
  organizers: async (activity, _args, { loaders }) => (await loaders.organizers.load(activity.id)).map((o) => ({ id: o.agencyId })),
  participatingAgencies: (activity, args, { loaders }) => loaders.participatingAgencies.load({ key: activity.id, args }),
  participatingAgencyCount: (activity, _args, { loaders }) => loaders.participatingAgencyCount.load(activity.id),
  source: (activity) => provenanceOf(activity),
  archivedAt: (activity) => activity.archivedAt?.toISOString() ?? null,
  // AuditEntry rows (models.ts, mapped by codegen) are resolved by AuditEntry below.
  auditTrail: (activity, _args, { loaders }) => loaders.auditTrail.load('Activity', activity.id),
};

/** The shared AuditEntry type over this subgraph's AuditEntry rows. */
export const AuditEntry: AuditEntryResolvers = auditEntryResolvers as AuditEntryResolvers;

/** Fields this subgraph adds to Agency. */
export const Agency: AgencyResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  activities: (agency, args, { loaders }) =>
    loaders.activitiesByAgency.load({ key: agency.id, args: { ...args, filter: activityFilter(args) } }),
};
