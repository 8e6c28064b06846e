/**
 * The benchmark's scenarios: one GraphQL document per file in this folder, with its variables.
 * To add one, write `<id>.graphql` and add an entry here (the stats fields the colleagues are adding,
 * such as nationalRank, comparisons, trends or rankings, go in the same way once they work).
 */
import { readFileSync } from 'node:fs';
import { Kind, parse, print, visit, type ASTNode } from 'graphql';
import path from 'node:path';
import type { ServiceName } from '../../packages/common/src/config.ts';
import { PROVINCE_CODES } from '../../packages/common/src/reference/index.ts';

export interface Scenario {
  /** Also the file name, `scenarios/<id>.graphql`, unless `document` names another. */
  id: string;
  /** The file of the GraphQL document when several scenarios share one (with other variables). */
  document?: string;
  /** Short label for tables. */
  label: string;
  title: string;
  variables: Record<string, unknown>;
  /**
   * Distinct-query load: the variables of successive requests, taken in turn (the latency samples
   * one after another, the throughput's connections each the next one), so no two requests in flight
   * are the same and neither read sharing nor a cache can answer one from another. `variables` is
   * the first of them (statement counts and the same-data check use it).
   */
  variants?: Record<string, unknown>[];
  /**
   * `full`: latency at concurrency 1, throughput at concurrency N and SQL statements;
   * `statements`: SQL statements only (a variant that only serves a statement-count comparison).
   */
  measure: 'full' | 'statements';
  /** The most SQL statements per operation each subgraph should send (a goal); unlisted subgraphs: no limit. */
  maxStatements?: Partial<Record<ServiceName, number>>;
  /** Checks the response data beyond "no errors"; returns a problem or undefined. */
  check?: (data: any) => string | undefined;
  /** The document, read from the file. */
  query: string;
}

export const FISCAL_YEAR = 2565;
export const PROVINCE = 'TH-14';

const read = (file: string) => readFileSync(path.join(import.meta.dirname, file), 'utf8');

/** The shared fragments of fragments.graphql, by name. */
const FRAGMENTS = new Map(
  parse(read('fragments.graphql'))
    .definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
    .map((d) => [d.name.value, d]),
);

/** A scenario's document with the shared fragments it uses (directly or through another fragment) appended. */
function load(id: string): string {
  const document = read(`${id}.graphql`);
  const used = new Set<string>();
  const collect = (node: ASTNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = FRAGMENTS.get(name);
        if (used.has(name) || !fragment) return;
        used.add(name);
        collect(fragment);
      },
    });
  collect(parse(document));
  return [document, ...[...used].map((name) => print(FRAGMENTS.get(name)!))].join('\n');
}

/**
 * One statement per stats field per subgraph (agencyStats, activityStats, recognitionStats) and one
 * for the provinces themselves in networks.
 */
const COMPARISON_STATEMENTS: Partial<Record<ServiceName, number>> = { networks: 1, agencies: 1, activities: 1, awards: 1 };

/** Fiscal years the distinct-query scenarios ask for (the synthetic data covers them). */
const DISTINCT_YEARS = [2563, 2564, 2565, 2566, 2567];
/** No region (all 77 provinces) and each NSO region. */
const DISTINCT_REGIONS = [null, 'BKK', 'CENTRAL', 'EAST', 'WEST', 'NORTH', 'NORTHEAST', 'SOUTH'];

/** Every combination of the lists, interleaved so that neighbours differ in every variable. */
function combinations(years: number[], others: readonly (string | null)[], name: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < years.length * others.length; i++) {
    const year = years[i % years.length]!;
    const other = others[(i + Math.floor(i / others.length)) % others.length]!;
    out.push({ fiscalYear: year, ...(other === null ? {} : { [name]: other }) });
  }
  return out;
}

const COMPARISON_VARIANTS = combinations(DISTINCT_YEARS, DISTINCT_REGIONS, 'region');
const DASHBOARD_VARIANTS = combinations(DISTINCT_YEARS, PROVINCE_CODES, 'code');

/** Scenarios 3, 3b and 3c: the agency search document with other variables, one statement in agencies each. */
function agencySearch(id: string, label: string, title: string, variables: Record<string, unknown>): Scenario {
  return {
    id,
    document: 'agency-search',
    label,
    title,
    variables,
    measure: 'full',
    maxStatements: { agencies: 1 },
    check: (data) => (data?.agencies?.edges?.length ? undefined : 'expected agencies'),
    query: load('agency-search'),
  };
}

export const SCENARIOS: Scenario[] = [
  {
    id: 'national-comparison',
    label: '1 national comparison',
    title: 'All 77 provinces with agency, activity and recognition stats for FY2565',
    variables: { fiscalYear: FISCAL_YEAR },
    measure: 'full',
    maxStatements: COMPARISON_STATEMENTS,
    check: (data) => (data?.provinces?.length === 77 ? undefined : `expected 77 provinces, got ${data?.provinces?.length}`),
    query: load('national-comparison'),
  },
  {
    id: 'national-comparison-one',
    label: '1 national comparison, 1 province',
    title: 'Scenario 1 for Ayutthaya only (statement counts: 1 province vs 77)',
    variables: { code: PROVINCE, fiscalYear: FISCAL_YEAR },
    measure: 'statements',
    maxStatements: COMPARISON_STATEMENTS,
    check: (data) => (data?.province?.code === PROVINCE ? undefined : `expected province ${PROVINCE}`),
    query: load('national-comparison-one'),
  },
  {
    id: 'national-comparison-distinct',
    document: 'national-comparison-region',
    label: '1d national comparison, distinct queries',
    title: `Scenario 1 by fiscal year (${DISTINCT_YEARS[0]}–${DISTINCT_YEARS.at(-1)}) and region (all or one NSO region): ${COMPARISON_VARIANTS.length} different requests in turn`,
    variables: COMPARISON_VARIANTS[0]!,
    variants: COMPARISON_VARIANTS,
    measure: 'full',
    check: (data) => (data?.provinces?.length ? undefined : 'expected provinces'),
    query: load('national-comparison-region'),
  },
  {
    id: 'province-dashboard',
    label: '2 province dashboard',
    title: "Ayutthaya's networks, first page of agencies, activities and recognitions, stats",
    variables: { code: PROVINCE, fiscalYear: FISCAL_YEAR },
    measure: 'full',
    check: (data) => (data?.province?.networks?.length ? undefined : 'expected network chapters'),
    query: load('province-dashboard'),
  },
  {
    id: 'province-dashboard-distinct',
    document: 'province-dashboard',
    label: '2d province dashboard, distinct queries',
    title: `Scenario 2 for each of the 77 provinces and fiscal years ${DISTINCT_YEARS[0]}–${DISTINCT_YEARS.at(-1)}: ${DASHBOARD_VARIANTS.length} different requests in turn`,
    variables: DASHBOARD_VARIANTS[0]!,
    variants: DASHBOARD_VARIANTS,
    measure: 'full',
    check: (data) => (data?.province?.code ? undefined : 'expected a province'),
    query: load('province-dashboard'),
  },
  agencySearch(
    'agency-search',
    '3 Thai-text agency search',
    'agencies(search: "โรงเรียน", first: 20) with province, sector and network names',
    { search: 'โรงเรียน' },
  ),
  agencySearch(
    'agency-search-words',
    '3b agency search, abbreviation + 2 words',
    'agencies(search: "รร.บ้าน สันติสุข", first: 20): an abbreviation written out, every word must match, ranked',
    { search: 'รร.บ้าน สันติสุข' },
  ),
  agencySearch(
    'agency-search-filtered',
    '3c agency search in a province, by name',
    'agencies(search: "วัด", provinceCode: "TH-14", orderBy: NAME_TH, first: 20)',
    { search: 'วัด', provinceCode: PROVINCE, orderBy: [{ field: 'NAME_TH' }] },
  ),
  {
    id: 'deep-fan-out',
    label: '4 deep fan-out',
    title: 'activities(fiscalYear: 2565, first: 20) → organizers → recognitions → province',
    variables: { fiscalYear: FISCAL_YEAR },
    measure: 'full',
    check: (data) => (data?.activities?.edges?.length ? undefined : 'expected activities'),
    query: load('deep-fan-out'),
  },
];
