import { parse } from 'graphql';
import { describe, expect, it } from '@jest/globals';
import type { Viewer } from '@moral-registry/common';
import { sharedReads } from './shared-reads.ts';

const ANONYMOUS: Viewer = { id: 'anonymous', role: 'ANONYMOUS', provinceCode: null };
const EDITOR: Viewer = { id: 'editor-14', role: 'PROVINCIAL_EDITOR', provinceCode: 'TH-14' };
const READ = parse('query Stats($fy: Int!) { provinces { code activityStats(fiscalYear: $fy) { count } } }');
const WRITE = parse('mutation { archiveActivity(input: { id: "a", version: 1 }) { activity { id } } }');

/** The plugin's executor around a fake subgraph that answers each call after `release()`, counting calls. */
function subgraph(name = 'activities') {
  const calls: { requestId: string }[] = [];
  const waiting: (() => void)[] = [];
  const executor = (request: { context: { requestId: string } }) => {
    calls.push({ requestId: request.context.requestId });
    const n = calls.length;
    return new Promise((resolve) => waiting.push(() => resolve({ data: { call: n } })));
  };
  const plugin = sharedReads();
  let wrapped: ((request: unknown) => Promise<unknown>) | undefined;
  plugin.onSubgraphExecute!({ subgraphName: name, executor, setExecutor: (e: never) => (wrapped = e) } as never);
  const run = (viewer: Viewer | null, requestId: string, variables: Record<string, unknown> = { fy: 2565 }, document = READ) =>
    wrapped!({ document, variables, context: { viewer, requestId } });
  const release = () => waiting.splice(0).forEach((answer) => answer());
  return { calls, run, release, plugin };
}

describe('identical reads in flight', () => {
  it('go to the subgraph once and share its answer, whatever their request ids', async () => {
    const s = subgraph();
    const answers = Promise.all([1, 2, 3, 4, 5].map((i) => s.run(ANONYMOUS, `request-${i}`)));
    expect(s.calls).toEqual([{ requestId: 'request-1' }]);
    expect(s.plugin.inFlight()).toBe(1);
    s.release();
    expect(await answers).toEqual(Array(5).fill({ data: { call: 1 } }));
    expect(s.plugin.inFlight()).toBe(0);
  });

  it('are not kept: the same read after the answer goes to the subgraph again', async () => {
    const s = subgraph();
    const first = s.run(ANONYMOUS, 'r1');
    s.release();
    await first;
    const second = s.run(ANONYMOUS, 'r2');
    s.release();
    expect(await second).toEqual({ data: { call: 2 } });
  });

  it('are never shared between viewers, variables or mutations', async () => {
    const s = subgraph();
    const all = Promise.all([
      s.run(ANONYMOUS, 'a'),
      s.run(EDITOR, 'b'),
      s.run({ ...EDITOR, provinceCode: 'TH-10', id: 'editor-10' }, 'c'),
      s.run(ANONYMOUS, 'd', { fy: 2566 }),
      s.run(ANONYMOUS, 'e', {}, WRITE),
      s.run(ANONYMOUS, 'f', {}, WRITE),
      s.run(null, 'g'),
    ]);
    expect(s.calls.map((c) => c.requestId)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    s.release();
    await all;
  });

  it('share a failure too, and forget it', async () => {
    const plugin = sharedReads();
    let calls = 0;
    let wrapped: ((request: unknown) => Promise<unknown>) | undefined;
    const executor = () => (++calls, Promise.reject(new Error('subgraph down')));
    plugin.onSubgraphExecute!({ subgraphName: 'awards', executor, setExecutor: (e: never) => (wrapped = e) } as never);
    const request = { document: READ, variables: { fy: 2565 }, context: { viewer: ANONYMOUS } };
    const results = await Promise.allSettled([wrapped!(request), wrapped!(request)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    expect(plugin.inFlight()).toBe(0);
  });
});
