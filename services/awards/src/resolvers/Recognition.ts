import { provenanceOf } from '@moral-registry/common';
import type { RecognitionRecipientResolvers, RecognitionResolvers } from '../generated/graphql.ts';

/** By id (and as an entity) archived recognitions are returned too, with archivedAt. */
export const Recognition: RecognitionResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.recognition.load(id),
  province: (recognition) => (recognition.provinceCode ? { code: recognition.provinceCode } : null),
  district: (recognition) => (recognition.districtCode ? { code: recognition.districtCode } : null),
  recipient({ recipientKind, recipientId }) {
    switch (recipientKind) {
      case 'AGENCY':
        return { __typename: 'Agency', id: recipientId };
      case 'PERSON':
        return { __typename: 'Person', id: recipientId };
      case 'PROVINCE':
        return { __typename: 'Province', code: recipientId };
    }
  },
  source: (recognition) => provenanceOf(recognition),
  archivedAt: (recognition) => recognition.archivedAt?.toISOString() ?? null,
  auditTrail: (recognition, _args, { loaders }) => loaders.auditTrail.load('Recognition', recognition.id),
};

/** Recipients are key-only references: the `__typename` set by `Recognition.recipient` is all there is to go by. */
export const RecognitionRecipient: RecognitionRecipientResolvers = {
  __resolveType: (ref) => ref.__typename ?? null,
};
