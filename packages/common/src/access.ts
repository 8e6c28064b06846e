/**
 * Roles, enforced in one place per subgraph: each subgraph declares a policy (which roles may run
 * each mutation, which fields only staff may read) and `applyPolicy` wraps its resolvers with it.
 * The policy fails closed: a mutation without a rule, or a rule for a field that does not exist,
 * stops the subgraph at start-up. Province scope (a provincial editor writes only in its own
 * province) is checked by `assertCanEdit`, which every write calls with the record's province
 * before and after the change.
 */
import { GraphQLError, Kind, type DocumentNode, type GraphQLFieldResolver } from 'graphql';
import type { Role, Viewer } from './viewer.ts';
import { t } from './i18n/index.ts';

export interface FieldRule {
  /** Roles allowed. */
  allow: readonly Role[];
  /** What other roles get: an error (default), or null without an error (personal data). */
  otherwise?: 'error' | 'null';
  /**
   * The record's province, for data that belongs to a province (personal data): a viewer who belongs
   * to a province (a provincial editor) then gets it for records of that province only, and otherwise
   * what the roles not allowed get. Viewers without a province (national staff) are not limited.
   */
  province?: (parent: any) => string | null | undefined;
}

/** Type name → field name → rule. */
export type Policy = Record<string, Record<string, FieldRule>>;

export function unauthenticated(message = t('access.signIn', { action: t('action.doThis') })): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/**
 * Throws UNAUTHENTICATED for anonymous callers and FORBIDDEN for other roles not allowed. `what` is the
 * action in the current language, as a verb phrase: `t('action.addAgencies')`.
 */
export function assertRole(viewer: Viewer, allow: readonly Role[], what: string): void {
  if (allow.includes(viewer.role)) return;
  if (viewer.role === 'ANONYMOUS') throw unauthenticated(t('access.signIn', { action: what }));
  throw forbidden(t('access.roleMayNot', { role: viewer.role, action: what, allowed: allow.join(', ') }));
}

/**
 * A national admin may change anything; a provincial editor only records of its own province
 * (not national records, which have no province); other roles nothing.
 */
export function assertCanEdit(viewer: Viewer, provinceCode: string | null | undefined, what: string): void {
  if (viewer.role === 'NATIONAL_ADMIN') return;
  if (viewer.role === 'PROVINCIAL_EDITOR') {
    if (provinceCode && provinceCode === viewer.provinceCode) return;
    throw forbidden(
      provinceCode
        ? t('access.otherProvince', { own: viewer.provinceCode, action: what, province: provinceCode })
        : t('access.noProvince', { action: what }),
    );
  }
  assertRole(viewer, ['NATIONAL_ADMIN', 'PROVINCIAL_EDITOR'], what);
}

function fieldsOf(typeDefs: DocumentNode): Map<string, Set<string>> {
  const types = new Map<string, Set<string>>();
  for (const def of typeDefs.definitions) {
    if (
      def.kind === Kind.OBJECT_TYPE_DEFINITION ||
      def.kind === Kind.OBJECT_TYPE_EXTENSION ||
      def.kind === Kind.INTERFACE_TYPE_DEFINITION
    ) {
      const set = types.get(def.name.value) ?? new Set<string>();
      for (const field of def.fields ?? []) set.add(field.name.value);
      types.set(def.name.value, set);
    }
  }
  return types;
}

const camel = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * Wraps the resolvers with the policy. Every Mutation field must have a rule; every rule must name
 * an existing field. Fields without a resolver get the default one (the parent's property).
 */
export function applyPolicy<R extends Record<string, any>>(resolvers: R, policy: Policy, typeDefs: DocumentNode): R {
  const types = fieldsOf(typeDefs);
  const problems: string[] = [];
  for (const field of types.get('Mutation') ?? []) {
    if (!policy.Mutation?.[field]) problems.push(`Mutation.${field} has no rule`);
  }
  for (const [type, fields] of Object.entries(policy)) {
    for (const field of Object.keys(fields)) {
      if (!types.get(type)?.has(field)) problems.push(`the policy names ${type}.${field}, which the schema does not have`);
    }
  }
  if (problems.length) throw new Error(`Access policy is incomplete:\n  - ${problems.join('\n  - ')}`);

  const wrapped: Record<string, any> = { ...resolvers };
  for (const [type, fields] of Object.entries(policy)) {
    const typeResolvers: Record<string, any> = { ...(wrapped[type] ?? {}) };
    for (const [field, rule] of Object.entries(fields)) {
      const original = typeResolvers[field] as GraphQLFieldResolver<any, any> | undefined;
      const resolve: GraphQLFieldResolver<any, any> = original ?? ((parent) => parent?.[field]);
      // In the language of the request that is refused, so made then.
      const what = () => (type === 'Mutation' ? t('action.run', { name: field }) : t('action.read', { name: `${camel(type)}.${field}` }));
      typeResolvers[field] = (parent: unknown, args: unknown, context: { viewer: Viewer }, info: any) => {
        if (!rule.allow.includes(context.viewer.role)) {
          if (rule.otherwise === 'null') return null;
          assertRole(context.viewer, rule.allow, what());
        }
        const own = context.viewer.provinceCode;
        if (rule.province && own && rule.province(parent) !== own) {
          if (rule.otherwise === 'null') return null;
          throw forbidden(t('access.viewerOfOtherProvince', { own, action: what() }));
        }
        return resolve(parent, args, context, info);
      };
    }
    wrapped[type] = typeResolvers;
  }
  return wrapped as R;
}

/**
 * Linking a record to an agency (a person's agency, an activity's organizers and participants): a
 * provincial editor may link the agencies of its own province and the national agencies (no
 * province), never another province's, which that province could not see coming nor undo. National
 * admins may link any agency (a real cross-province activity is recorded by them). The importer
 * applies the same rule: it looks names up in the row's province and among the national agencies.
 */
export function assertCanLink(viewer: Viewer, field: string, agencyId: string, agencyProvince: string | null | undefined): void {
  if (viewer.role === 'NATIONAL_ADMIN' || !agencyProvince || agencyProvince === viewer.provinceCode) return;
  throw new GraphQLError(t('access.cannotLink', { field, agencyId, agencyProvince, own: viewer.provinceCode ?? '-' }), {
    extensions: { code: 'FORBIDDEN', field },
  });
}

/**
 * Who may undo a link to an agency: whoever may edit the linked record, and also the editor of the
 * agency's own province, which did not make the link but must be able to remove it.
 */
export function assertCanUnlink(viewer: Viewer, recordProvince: string | null, agencyProvince: string | null, what: string): void {
  if (viewer.role === 'PROVINCIAL_EDITOR' && agencyProvince && agencyProvince === viewer.provinceCode) return;
  assertCanEdit(viewer, recordProvince, what);
}
