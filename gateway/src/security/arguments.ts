/**
 * Arguments whose valid values are reference data every service knows (regions, fiscal years) are
 * checked here, before the operation is planned, with the same functions the subgraphs use. A
 * subgraph reports a bad one as BAD_USER_INPUT too, but when the field is non-null and shares its
 * subgraph request with another root field (`{ nation { code } provinces(region: "x") { code } }`),
 * the gateway loses that error to "Cannot return null for non-nullable field", masked in production.
 */
import {
  GraphQLError,
  TypeInfo,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  visit,
  visitWithTypeInfo,
  type GraphQLSchema,
} from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import { assertFiscalYear, regionArg } from '@moral-registry/common';

const CHECKS: Record<string, (value: unknown, field: string) => void> = {
  region: (value, field) => {
    if (typeof value === 'string') regionArg(value, field);
  },
  fiscalYear: (value, field) => {
    if (typeof value === 'number') assertFiscalYear(value, field);
  },
  fromFiscalYear: (value, field) => {
    if (typeof value === 'number') assertFiscalYear(value, field);
  },
  toFiscalYear: (value, field) => {
    if (typeof value === 'number') assertFiscalYear(value, field);
  },
};

export function useReferenceArgumentChecks(schema: GraphQLSchema): GatewayPlugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return;
      const variables = getVariableValues(schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
      if (variables.errors) return; // refused with their own errors (cost.ts)
      const typeInfo = new TypeInfo(schema);
      let problem: GraphQLError | null = null;
      visit(
        args.document,
        visitWithTypeInfo(typeInfo, {
          Field(node) {
            const field = typeInfo.getFieldDef();
            if (problem || !field || !node.arguments?.length) return;
            let values: Record<string, unknown>;
            try {
              values = getArgumentValues(field, node, variables.coerced);
            } catch {
              return; // validation reported it
            }
            for (const [name, value] of Object.entries(values)) {
              try {
                CHECKS[name]?.(value, name);
              } catch (error) {
                if (!(error instanceof GraphQLError)) throw error;
                problem = new GraphQLError(error.message, { nodes: [node], extensions: { ...error.extensions, http: { status: 400 } } });
                return;
              }
            }
          },
        }),
      );
      if (problem) setResultAndStopExecution({ errors: [problem] });
    },
  };
}
