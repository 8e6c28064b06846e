/**
 * List cost: what an operation may make the subgraphs read, estimated before anything runs, following
 * the IBM cost specification that Apollo's `@cost` and `@listSize` directives implement:
 *
 * - a field returning an object costs 1 (a scalar or enum 0), or its `@cost(weight:)`;
 * - a list multiplies its selection by its size: the `first` argument where `@listSize(slicingArguments:)`
 *   names it (on a connection, `sizedFields: ["edges"]` applies that size to the edges), else
 *   `@listSize(assumedSize:)`, else the default list size;
 * - a mutation adds 10.
 *
 * The estimate is made on the whole operation against the supergraph, so a list nested under another
 * subgraph's list costs their product. (Hive Gateway's `demandControl` prices each subgraph fetch on
 * its own: an entity fetch costs the same for 1 parent as for 77, and lists declared non-null (`[T!]!`,
 * all of ours) never get the default size, which would let `provinces { agencies(first: 100) }` through
 * at the price of one province.)
 */
import {
  GraphQLError,
  buildASTSchema,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  parse,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import { t } from '@moral-registry/common';

export const COST_CODE = 'COST_ESTIMATED_TOO_EXPENSIVE';
const MUTATION_COST = 10;

export interface CostOptions {
  /** Size assumed for a list without `@listSize`. */
  defaultListSize: number;
  /**
   * What a slicing argument given as null (or absent, without an SDL default) stands for: the page
   * size the subgraphs' resolvers then use (`DEFAULT_PAGE_SIZE` of packages/common/src/pagination.ts).
   */
  defaultPageSize: number;
  /** The largest slicing argument the subgraphs accept (`MAX_PAGE_SIZE`); outside 0..max is refused. */
  maxPageSize: number;
}

/** A slicing argument (`first`) outside 0..max: refused before costing, as the subgraphs would refuse it. */
function badSlice(argument: string, value: unknown, max: number): GraphQLError {
  return new GraphQLError(t('limits.slice', { field: argument, max, value: String(value).slice(0, 20) }), {
    extensions: { code: 'BAD_USER_INPUT', field: argument, http: { status: 400 } },
  });
}

interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

function directiveArguments(directives: readonly ConstDirectiveNode[] | undefined, name: string): Record<string, unknown> | null {
  const directive = directives?.find((d) => d.name.value === name);
  if (!directive) return null;
  return Object.fromEntries((directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
}

function weightOf(directives: readonly ConstDirectiveNode[] | undefined): number | null {
  const weight = Number(directiveArguments(directives, 'cost')?.weight);
  return Number.isFinite(weight) ? weight : null;
}

/** The schema the estimates are made against: the supergraph, where composition keeps @cost and @listSize. */
export function costSchema(supergraphSdl: string): GraphQLSchema {
  return buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
}

/**
 * The estimated cost of one operation of a document that passed validation. Variables that do not
 * coerce give 0: execution refuses them with its own error. A slicing argument outside 0..maxPageSize
 * throws BAD_USER_INPUT naming it: a negative `first` would otherwise lower the estimate of its
 * siblings, and no part of an operation may make another cheaper.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
  operationName: string | null | undefined,
  options: CostOptions,
): number {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 0;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
  }
  // A fragment's cost does not depend on where it is spread, so each is computed once: fragments
  // spreading fragments twice at every level stay linear to estimate.
  const fragmentCosts = new Map<string, number>();

  const argumentsOf = (field: GraphQLField<unknown, unknown>, node: Parameters<typeof getArgumentValues>[1]) => {
    try {
      return getArgumentValues(field, node, coerced.coerced);
    } catch {
      return {};
    }
  };

  function selectionCost(selectionSet: SelectionSetNode, parent: GraphQLNamedType, sized: Map<string, number> | null): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === 'Field') {
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        // Meta fields (__typename, __schema, __type) are free: introspection is limited by depth and tokens.
        const field = parent.getFields()[selection.name.value];
        if (!field) continue;
        const type = getNamedType(field.type);
        let weight = weightOf(field.astNode?.directives) ?? weightOf(type.astNode?.directives) ?? (isCompositeType(type) ? 1 : 0);
        for (const argument of field.args) weight += weightOf(argument.astNode?.directives) ?? 0;
        const listSize = directiveArguments(field.astNode?.directives, 'listSize') as ListSize | null;
        const args = argumentsOf(field, selection);
        const slicing = listSize?.slicingArguments ?? [];
        for (const name of slicing) {
          const value = args[name];
          if (value == null) continue;
          if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > options.maxPageSize)
            throw badSlice(name, value, options.maxPageSize);
        }
        // An absent or null slice runs at what the resolver then returns: the field's assumedSize where the
        // SDL gives one (a ranking without `first` has all 77 rows), else the default page size.
        const unsliced = listSize?.assumedSize ?? options.defaultPageSize;
        const slices = slicing.map((name) => (args[name] == null ? unsliced : (args[name] as number)));
        const slice = slices.length ? Math.max(...slices) : null;
        let factor = 1;
        if (sized?.has(field.name)) factor = sized.get(field.name)!;
        else if (slice !== null && !listSize?.sizedFields?.length) factor = slice;
        else if (listSize?.assumedSize !== undefined) factor = listSize.assumedSize;
        else if (isListType(getNullableType(field.type))) factor = options.defaultListSize;
        const childSized = slice !== null && listSize?.sizedFields?.length ? new Map(listSize.sizedFields.map((f) => [f, slice])) : null;
        const children = selection.selectionSet ? selectionCost(selection.selectionSet, type, childSized) : 0;
        // Sizes and weights are never negative, so no selection lowers another's cost.
        total += Math.max(0, factor) * Math.max(0, weight + children);
      } else if (selection.kind === 'InlineFragment') {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type) total += selectionCost(selection.selectionSet, type, sized);
      } else {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !type) continue;
        const key = sized ? `${fragment.name.value} ${JSON.stringify([...sized])}` : fragment.name.value;
        let cost = fragmentCosts.get(key);
        if (cost === undefined) {
          cost = selectionCost(fragment.selectionSet, type, sized);
          fragmentCosts.set(key, cost);
        }
        total += cost;
      }
    }
    return total;
  }

  return (operation.operation === 'mutation' ? MUTATION_COST : 0) + selectionCost(operation.selectionSet, root, null);
}

/**
 * Refuses, before execution, an operation whose estimated cost is over `maxCost` (HTTP 400). Variables
 * that do not coerce to their types are refused here too (BAD_USER_INPUT, HTTP 400): the estimate
 * needs them, and the execution's own error would carry no code.
 */
export function useCostLimit(schema: GraphQLSchema, maxCost: number, options: CostOptions): GatewayPlugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      // Coerced against the supergraph built here: the gateway's own schema may come from another copy of graphql.
      const variables = operation && getVariableValues(schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
      if (variables?.errors) {
        setResultAndStopExecution({
          errors: variables.errors.map(
            (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } }),
          ),
        });
        return;
      }
      let estimated: number;
      try {
        estimated = operationCost(schema, args.document, args.variableValues, args.operationName, options);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        setResultAndStopExecution({ errors: [error] });
        return;
      }
      if (estimated <= maxCost) return;
      setResultAndStopExecution({
        errors: [
          new GraphQLError(t('limits.cost', { estimated, max: maxCost }), {
            extensions: { code: COST_CODE, cost: { estimated, max: maxCost }, http: { status: 400 } },
          }),
        ],
      });
    },
  };
}
