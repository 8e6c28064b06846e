/**
 * Every string a caller sends, in variables or written in the document, is checked before anything
 * runs: a NUL character (U+0000) is refused, since PostgreSQL cannot store it in text and the write
 * would fail as an internal error; a string longer than GATEWAY_MAX_STRING_LENGTH is refused, a bound
 * on every stored field on top of each field's own limit. Both are BAD_USER_INPUT naming the field.
 */
import { GraphQLError, visit, type DocumentNode } from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import { t } from '@moral-registry/common';

function refusal(field: string, problem: 'nul' | 'long', max: number): GraphQLError {
  const message = problem === 'nul' ? t('limits.nulCharacter', { field }) : t('input.tooLongNoCount', { field, max });
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field, http: { status: 400 } } });
}

function check(text: string, field: string, max: number): GraphQLError | null {
  if (text.includes('\u0000')) return refusal(field, 'nul', max);
  if (text.length > max) return refusal(field, 'long', max);
  return null;
}

/** The first bad string in a variable's value, named by its path (`input.nameTh`, `ids[2]`). */
function inValue(value: unknown, field: string, max: number): GraphQLError | null {
  if (typeof value === 'string') return check(value, field, max);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = inValue(value[i], `${field}[${i}]`, max);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = check(key, `${field}.${key.slice(0, 40)}`, max) ?? inValue(item, `${field}.${key}`, max);
      if (found) return found;
    }
  }
  return null;
}

/** The first bad string literal of a document, named by its argument or input field. */
function inDocument(document: DocumentNode, max: number): GraphQLError | null {
  let found: GraphQLError | null = null;
  const names: string[] = [];
  visit(document, {
    Argument: { enter: (node) => void names.push(node.name.value), leave: () => void names.pop() },
    ObjectField: { enter: (node) => void names.push(node.name.value), leave: () => void names.pop() },
    StringValue(node) {
      if (!found && names.length) found = check(node.value, names.join('.'), max);
    },
  });
  return found;
}

export function useStringInputLimits(maxLength: number): GatewayPlugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const problem =
        inDocument(args.document, maxLength) ??
        Object.entries(args.variableValues ?? {}).reduce<GraphQLError | null>(
          (first, [name, value]) => first ?? inValue(value, name, maxLength),
          null,
        );
      if (problem) setResultAndStopExecution({ errors: [problem] });
    },
  };
}
