import { assertFiscalYear, badUserInput, echo, parseSearch, provinceCodeArg, t } from '@moral-registry/common';
import type { ActivityKind, Virtue } from '../generated/graphql.ts';
import type { ActivityFilter } from '../repository.ts';

/** The filters of an activity list's arguments, validated (BAD_USER_INPUT naming the field). */
export function activityFilter(args: {
  provinceCode?: string | null;
  fiscalYear?: number | null;
  kind?: ActivityKind | null;
  virtue?: Virtue | null;
  from?: string | null;
  to?: string | null;
  search?: string | null;
}): ActivityFilter {
  if (args.from != null && args.to != null && args.from > args.to) {
    throw badUserInput('to', t('input.dateOrder', { endField: 'to', end: echo(args.to), startField: 'from', start: echo(args.from) }));
  }
  return {
    provinceCode: args.provinceCode != null ? provinceCodeArg(args.provinceCode) : undefined,
    fiscalYear: args.fiscalYear != null ? assertFiscalYear(args.fiscalYear) : undefined,
    kind: args.kind ?? undefined,
    virtue: args.virtue ?? undefined,
    from: args.from ?? undefined,
    to: args.to ?? undefined,
    search: parseSearch(args.search),
  };
}
