/**
 * The types every subgraph repeats (the audit trail, archive/restore inputs, batch-import results) are
 * copied from schema/shared/ into each subgraph's SDL, because a subgraph's schema must stand alone.
 * The copies must stay identical: composition would merge diverging enums and inputs silently.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '@moral-registry/common';

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
const blocks = {
  'schema/shared/writes.graphql': ['networks', 'agencies', 'activities', 'awards'],
  'schema/shared/import.graphql': ['agencies', 'activities', 'awards'],
};

describe('shared SDL blocks', () => {
  for (const [file, services] of Object.entries(blocks)) {
    it(`${file} is copied unchanged into ${services.join(', ')}`, () => {
      const block = read(file).trim();
      for (const service of services) {
        expect({ service, contains: read(`services/${service}/schema.graphql`).includes(block) }).toEqual({ service, contains: true });
      }
    });
  }
});
