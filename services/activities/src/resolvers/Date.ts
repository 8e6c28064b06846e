import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { badUserInput, echo, t } from '@moral-registry/common';

/** YYYY-MM-DD of a date at UTC midnight, as Prisma returns `@db.Date` columns. */
export const isoDate = (date: Date): string => date.toISOString().slice(0, 10);

/** A real calendar day written YYYY-MM-DD (rejects 2021-02-30, 2021-2-3, 2021-12-16T00:00). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && isoDate(date) === value;
}

function parseDate(value: unknown): string {
  if (typeof value === 'string' && isCalendarDate(value)) return value;
  throw badUserInput(
    'Date',
    t('input.dateShape', { field: 'Date', value: echo(typeof value === 'string' ? value : JSON.stringify(value)) }),
  );
}

/** Dates are days, not instants: the wire form has no time and no zone. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, ISO 8601 (YYYY-MM-DD, Gregorian).',
  serialize(value) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return isoDate(value);
    // A timestamp string keeps the day it was written with; converting it would shift it by its zone.
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T|$)/.test(value) && isCalendarDate(value.slice(0, 10))) return value.slice(0, 10);
    throw new GraphQLError(`Date cannot represent ${JSON.stringify(value)}`);
  },
  parseValue: parseDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badUserInput('Date', t('input.dateLiteral'));
    return parseDate(ast.value);
  },
});
