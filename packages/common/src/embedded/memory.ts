/**
 * In-memory PGlite databases (tests, throw-away runs), started from a cached empty cluster.
 *
 * A new PGlite runs initdb first: 2–4 s on a quiet machine of two cores, 8–17 s when the machine is
 * busy, and a test stack opens four of them. Loading a dump of an empty cluster instead takes a
 * fraction of that. The dump is made once per machine and PGlite version, kept in the OS temp
 * directory (written to a temporary name and renamed, so a reader never sees half a file), and made
 * again if it cannot be read.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const require = createRequire(import.meta.url);
const PGLITE_VERSION = (
  JSON.parse(readFileSync(path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** Where the empty cluster of this PGlite version is kept. */
export const EMPTY_CLUSTER_FILE = path.join(os.tmpdir(), `moral-registry-pglite-${PGLITE_VERSION}-empty-cluster.tar`);

let made: Promise<Blob> | null = null;

async function makeEmptyCluster(): Promise<Blob> {
  const pglite = new PGlite();
  await pglite.waitReady;
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const temporary = `${EMPTY_CLUSTER_FILE}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, Buffer.from(await dump.arrayBuffer()));
  renameSync(temporary, EMPTY_CLUSTER_FILE);
  return dump;
}

function emptyCluster(): Promise<Blob> {
  if (existsSync(EMPTY_CLUSTER_FILE)) return Promise.resolve(new Blob([readFileSync(EMPTY_CLUSTER_FILE)]));
  return (made ??= makeEmptyCluster().finally(() => (made = null)));
}

/** A new, empty PGlite database in memory: nothing on disk, gone when closed. */
export async function inMemoryPGlite(): Promise<PGlite> {
  try {
    const pglite = new PGlite({ loadDataDir: await emptyCluster() });
    await pglite.waitReady;
    return pglite;
  } catch {
    // A damaged cached cluster (or a disk that would not keep it): start without it, and make it again next time.
    rmSync(EMPTY_CLUSTER_FILE, { force: true });
    const pglite = new PGlite();
    await pglite.waitReady;
    return pglite;
  }
}
