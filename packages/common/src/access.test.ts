import { describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { applyPolicy, assertCanEdit } from './access.ts';
import { ANONYMOUS, STAFF_ROLES, signViewer, verifyViewer, type Viewer } from './viewer.ts';

const typeDefs = parse(`
  type Query { secret: String }
  type Mutation { write: Boolean, erase: Boolean }
  type Person { phone: String }
`);
const EDITOR: Viewer = { id: 'e', role: 'PROVINCIAL_EDITOR', provinceCode: 'TH-14' };
const READER: Viewer = { id: 'r', role: 'STAFF_READER', provinceCode: null };
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
};

describe('applyPolicy', () => {
  it('fails closed: a mutation without a rule, or a rule for a field that does not exist, stops the start', () => {
    expect(() => applyPolicy({}, { Mutation: { write: { allow: ['NATIONAL_ADMIN'] } } }, typeDefs)).toThrow(/Mutation.erase has no rule/);
    expect(() => applyPolicy({}, { Mutation: { write: { allow: [] }, erase: { allow: [] }, delete: { allow: [] } } }, typeDefs)).toThrow(
      /Mutation.delete, which the schema does not have/,
    );
  });

  it('refuses with UNAUTHENTICATED for anonymous callers and FORBIDDEN for other roles; nulls protected fields', () => {
    const resolvers: Record<string, Record<string, (...args: unknown[]) => unknown>> = applyPolicy(
      { Mutation: { write: () => true, erase: () => true } } as Record<string, any>,
      {
        Mutation: { write: { allow: ['NATIONAL_ADMIN', 'PROVINCIAL_EDITOR'] }, erase: { allow: ['NATIONAL_ADMIN'] } },
        Person: { phone: { allow: STAFF_ROLES, otherwise: 'null' } },
      },
      typeDefs,
    );
    const call = (type: string, field: string, viewer: Viewer, parent: unknown = {}) =>
      codeOf(() => resolvers[type]![field]!(parent, {}, { viewer }, {}));
    expect(call('Mutation', 'write', EDITOR)).toBe('ok');
    expect(call('Mutation', 'erase', EDITOR)).toBe('FORBIDDEN');
    expect(call('Mutation', 'write', ANONYMOUS)).toBe('UNAUTHENTICATED');
    expect(resolvers.Person!.phone!({ phone: '0812345678' }, {}, { viewer: READER }, {})).toBe('0812345678');
    expect(resolvers.Person!.phone!({ phone: '0812345678' }, {}, { viewer: ANONYMOUS }, {})).toBeNull();
  });
});

describe('assertCanEdit', () => {
  it('national admins everywhere; provincial editors in their own province only; nobody else', () => {
    const admin: Viewer = { id: 'a', role: 'NATIONAL_ADMIN', provinceCode: null };
    expect(codeOf(() => assertCanEdit(admin, null, 'x'))).toBe('ok');
    expect(codeOf(() => assertCanEdit(EDITOR, 'TH-14', 'x'))).toBe('ok');
    expect(codeOf(() => assertCanEdit(EDITOR, 'TH-10', 'x'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertCanEdit(EDITOR, null, 'x'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertCanEdit(READER, 'TH-14', 'x'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertCanEdit(ANONYMOUS, 'TH-14', 'x'))).toBe('UNAUTHENTICATED');
  });
});

describe('the viewer header', () => {
  const secret = 'a-test-secret-of-at-least-thirty-two-characters';
  it('round-trips a viewer and refuses another secret, a missing header and an expired one', async () => {
    const header = await signViewer(EDITOR, secret);
    expect(await verifyViewer(header, secret)).toEqual({ ...EDITOR, name: null });
    await expect(verifyViewer(header, `${secret}!`)).rejects.toThrow(/not signed by the gateway/);
    await expect(verifyViewer(undefined, secret)).rejects.toThrow(/missing/);
    const expired = await signViewer(EDITOR, secret, -60);
    await expect(verifyViewer(expired, secret)).rejects.toThrow(/expired/);
  });
});
