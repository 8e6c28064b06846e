/**
 * The shapes every subgraph's mutations share: a resolver that returns the written record under one
 * field of its payload (`{ agency }`), and the policy rule that lets the same roles run a list of them.
 * Validation, province scope and transactions stay in each subgraph's writes.ts.
 */
import type { FieldRule } from './access.ts';
import type { Role } from './viewer.ts';

/**
 * A mutation resolver for `write(context, input)`, returning `{ [field]: record }`; `map` turns the
 * written record into what the payload holds (default: as it is).
 */
export function payload<Field extends string, Context, Input, Written, Value = Written>(
  field: Field,
  write: (context: Context, input: Input) => Promise<Written>,
  map?: (written: Written) => Value,
) {
  return async (_parent: unknown, { input }: { input: Input }, context: Context) => {
    const written = await write(context, input);
    return { [field]: map ? map(written) : written } as { [F in Field]: NoInfer<Value> };
  };
}

/** The same rule for several mutations: `...allowMutations(EDITOR_ROLES, ['createAgency', 'updateAgency'])`. */
export function allowMutations<Name extends string>(allow: readonly Role[], names: readonly Name[]): Record<Name, FieldRule> {
  return Object.fromEntries(names.map((name) => [name, { allow }])) as Record<Name, FieldRule>;
}
