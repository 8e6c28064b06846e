import { assertFiscalYear, badUserInput, t } from '@moral-registry/common';
import { activityFilter } from './args.ts';
import type { ProvinceActivityTrendArgs, ProvinceResolvers } from '../generated/graphql.ts';
import { rangeKey } from '../context.ts';
import type { FiscalYearRange } from '../repository.ts';

/** The longest trend one field returns, in fiscal years. */
export const MAX_TREND_YEARS = 50;

/** Validates a trend's fiscal-year range: both years BE, from ≤ to, at most MAX_TREND_YEARS years. */
export function trendRange({ fromFiscalYear, toFiscalYear }: ProvinceActivityTrendArgs): FiscalYearRange {
  const from = assertFiscalYear(fromFiscalYear, 'fromFiscalYear');
  const to = assertFiscalYear(toFiscalYear, 'toFiscalYear');
  if (from > to)
    throw badUserInput(
      'toFiscalYear',
      t('input.dateOrder', { endField: 'toFiscalYear', end: to, startField: 'fromFiscalYear', start: from }),
    );
  if (to - from + 1 > MAX_TREND_YEARS) {
    throw badUserInput('toFiscalYear', t('trend.tooLong', { max: MAX_TREND_YEARS, from, to, count: to - from + 1 }));
  }
  return { from, to };
}

/** Fields this subgraph adds to Province, resolved for all requested provinces at once. */
export const Province: ProvinceResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  activities: (province, args, { loaders }) =>
    loaders.activitiesByProvince.load({ key: province.code, args: { ...args, filter: activityFilter(args) } }),
  activityStats: (province, { fiscalYear }, { loaders }) =>
    loaders.activityStats.load({ arg: assertFiscalYear(fiscalYear), key: province.code }),
  activityTrend: (province, args, { loaders }) => loaders.activityTrend.load({ arg: rangeKey(trendRange(args)), key: province.code }),
};
