/**
 * Downloads over HTTP (docs/IMPORT.md, "Downloads over HTTP"): the gateway's /exports/… and the
 * command's exportData are one implementation, so the same request gives the same bytes; the route
 * refuses as GraphQL does (401 for a bad token), says what is wrong with a parameter in the caller's
 * language, and filters by region; the comparison's ranks, averages and percentiles are the API's.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PROVINCE_KEYS, REGION_KEYS, tIn, withLanguage } from '@moral-registry/common';
import { COMPARISON_METRICS, compareAll, exportData, twoDecimals, type ExportFormat } from '@moral-registry/spreadsheets';
import { startStack, tokenFor, type Stack } from './harness.ts';

const PARTNER_LIMIT = 3;

let stack: Stack;
let admin: string;
let work: string;
let origin: string;
beforeAll(async () => {
  // Rate limits on, with room for 3 requests a minute for partners only (the rate-limit test).
  stack = await startStack({ gatewayEnv: { GATEWAY_RATE_LIMITS: true, GATEWAY_RATE_LIMIT_API_KEY: PARTNER_LIMIT } });
  admin = await tokenFor(stack, 'NATIONAL_ADMIN');
  work = mkdtempSync(path.join(tmpdir(), 'exports-'));
  origin = new URL(stack.gatewayUrl).origin;
}, 240_000);
afterAll(async () => {
  await stack?.close();
  if (work) rmSync(work, { recursive: true, force: true });
}, 240_000);

const download = (pathAndQuery: string, headers: Record<string, string> = {}) => fetch(`${origin}${pathAndQuery}`, { headers });

type Figures = Record<string, string | number | boolean | null>;

describe('GET /exports/<what>.<format>', () => {
  it('downloads the same bytes as npm run export for the comparison of FY2565, in CSV, XLSX and JSON', async () => {
    for (const format of ['csv', 'xlsx', 'json'] as ExportFormat[]) {
      const response = await download(`/exports/comparison.${format}?fiscalYear=2565`, { authorization: `Bearer ${admin}` });
      expect(response.status).toBe(200);
      const disposition = response.headers.get('content-disposition') ?? '';
      expect(disposition).toContain(`filename=comparison-fy2565.${format}`);
      expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(`เปรียบเทียบรายจังหวัด-ปีงบประมาณ2565.${format}`)}`);
      const body = Buffer.from(await response.arrayBuffer());

      const cli = await exportData({
        what: 'comparison',
        format,
        fiscalYear: 2565,
        out: path.join(work, 'cli'),
        url: stack.gatewayUrl,
        token: admin,
      });
      expect(path.basename(cli.file)).toBe(`comparison-fy2565.${format}`);
      expect({ format, identical: body.equals(readFileSync(cli.file)), bytes: body.length > 0 }).toEqual({
        format,
        identical: true,
        bytes: true,
      });
    }
  });

  it('serves public data to anonymous callers and refuses a bad token with 401 as GraphQL does', async () => {
    const anonymous = await download('/exports/provinces.csv');
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get('content-type')).toBe('text/csv; charset=utf-8');

    const refused = await download('/exports/comparison.csv?fiscalYear=2565', { authorization: 'Bearer not-a-token' });
    const graphql = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { authorization: 'Bearer not-a-token', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ provinces { code } }' }),
    });
    expect(refused.status).toBe(401);
    expect(graphql.status).toBe(401);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    const graphqlError = ((await graphql.json()) as { errors: { message: string }[] }).errors[0]!;
    expect(body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: graphqlError.message });
    // Bad credentials come first, as for GraphQL: a bad token with a bad parameter is still a 401.
    const both = await download('/exports/comparison.csv?fiscalYear=2022', { authorization: 'Bearer not-a-token' });
    expect(both.status).toBe(401);
  });

  it('counts each read against the caller’s rate limit, as GraphQL requests: over it, 429 with Retry-After', async () => {
    const partner = await tokenFor(stack, 'PARTNER');
    const statuses: number[] = [];
    // A provinces download is one GraphQL request.
    for (let i = 0; i <= PARTNER_LIMIT; i++) {
      const response = await download('/exports/provinces.csv', { authorization: `Bearer ${partner}` });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
      } else await response.arrayBuffer();
    }
    expect(statuses).toEqual([...Array<number>(PARTNER_LIMIT).fill(200), 429]);
  });

  it('answers a Common Era year with 400 and the API’s hint, in Thai when Accept-Language prefers th', async () => {
    const response = await download('/exports/comparison.csv?fiscalYear=2022', { 'accept-language': 'th-TH,th;q=0.9,en;q=0.5' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'BAD_USER_INPUT',
        field: 'fiscalYear',
        message: tIn('th', 'input.fiscalYearCommonEra', { field: 'fiscalYear', value: 2022, be: 2022 + 543 }),
      },
    });
    const english = await download('/exports/comparison.csv?fiscalYear=2022');
    expect(((await english.json()) as { error: { message: string } }).error.message).toBe(
      tIn('en', 'input.fiscalYearCommonEra', { field: 'fiscalYear', value: 2022, be: 2565 }),
    );
    const unknown = await download('/exports/comparison.csv?fiscal_year=2565');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { field: string } }).error.field).toBe('fiscal_year');
  });

  it('region= (code or Thai name) keeps only that region’s provinces; ranks stay national', async () => {
    const north = REGION_KEYS.find((r) => r.code === 'NORTH')!;
    const expected = PROVINCE_KEYS.filter((p) => p.regionCode === north.code)
      .map((p) => p.code)
      .sort();
    const all = (await (await download('/exports/comparison.json?fiscalYear=2565')).json()) as Figures[];
    for (const region of [north.code, north.nameTh]) {
      const response = await download(`/exports/comparison.json?fiscalYear=2565&region=${encodeURIComponent(region)}`);
      expect(response.status).toBe(200);
      const rows = (await response.json()) as Figures[];
      expect(rows.map((r) => r.province_code).sort()).toEqual(expected);
      expect(rows.every((r) => r.region_code === north.code && r.region_name_th === north.nameTh)).toBe(true);
      // The same figures as in the national file: a region's file does not re-rank its provinces.
      for (const row of rows) expect(row).toEqual(all.find((r) => r.province_code === row.province_code));
    }
    const provinces = await exportData({
      what: 'provinces',
      format: 'json',
      region: north.nameTh,
      out: path.join(work, 'region'),
      url: stack.gatewayUrl,
    });
    const listed = JSON.parse(readFileSync(provinces.file, 'utf8')) as Figures[];
    expect(listed.map((r) => r.province_code).sort()).toEqual(expected);
  });

  it('the metadata names the three downloads with their row count', async () => {
    const response = await download('/exports/comparison.metadata.json?fiscalYear=2565&region=NORTH');
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as { resources: { name: string; url: string; row_count: number }[]; geo_coverage: string };
    const rows = PROVINCE_KEYS.filter((p) => p.regionCode === 'NORTH').length;
    expect(metadata.geo_coverage).toBe('ภาค');
    expect(metadata.resources).toEqual(
      (['csv', 'xlsx', 'json'] as const).map((f) => ({
        name: `comparison-NORTH-fy2565.${f}`,
        format: f.toUpperCase(),
        encoding: f === 'csv' ? 'UTF-8 with BOM' : 'UTF-8',
        row_count: rows,
        url: `/exports/comparison.${f}?fiscalYear=2565&region=NORTH`,
      })),
    );
  });
});

describe('npm run export', () => {
  it('says what is wrong in the language of the command (--lang th): a Common Era year gets the API’s hint', async () => {
    const options = { what: 'comparison' as const, format: 'csv' as const, out: path.join(work, 'thai'), url: stack.gatewayUrl };
    await expect(withLanguage('th', () => exportData({ ...options, fiscalYear: 2022 }))).rejects.toMatchObject({
      name: 'UsageError',
      field: '--fiscal-year',
      message: tIn('th', 'input.fiscalYearCommonEra', { field: '--fiscal-year', value: 2022, be: 2565 }),
    });
    await expect(withLanguage('th', () => exportData({ ...options, fiscalYear: 2565, region: 'ภาคไม่มี' }))).rejects.toMatchObject({
      field: '--region',
      message: expect.stringContaining('ไม่ใช่ภาค'),
    });
  });
});

describe('the comparison’s ranks, national averages and percentiles', () => {
  it('counted from the records, they equal the API’s own (synthetic records included, as the API counts)', async () => {
    const fromApi = await exportData({
      what: 'comparison',
      format: 'json',
      fiscalYear: 2565,
      includeSynthetic: true,
      out: path.join(work, 'api'),
      url: stack.gatewayUrl,
    });
    const fromRecords = await exportData({
      what: 'comparison',
      format: 'json',
      fiscalYear: 2565,
      includeSynthetic: true,
      figuresFrom: 'records',
      out: path.join(work, 'records'),
      url: stack.gatewayUrl,
    });
    const api = JSON.parse(readFileSync(fromApi.file, 'utf8')) as Figures[];
    const records = JSON.parse(readFileSync(fromRecords.file, 'utf8')) as Figures[];
    expect(api).toHaveLength(77);
    // Something to compare: some metric is not zero everywhere, and some values tie.
    expect(api.some((r) => (r.activity_count as number) > 0)).toBe(true);
    expect(records).toEqual(api);

    // And compareAll applied to the API's values gives the API's rank, average and percentile.
    for (const m of COMPARISON_METRICS) {
      const compared = compareAll(new Map(api.map((r) => [r.province_code as string, r[m.column] as number])));
      for (const row of api) {
        const c = compared.get(row.province_code as string)!;
        expect({
          metric: m.column,
          province: row.province_code,
          rank: c.rank,
          average: twoDecimals(c.average),
          percentile: twoDecimals(c.percentile),
        }).toEqual({
          metric: m.column,
          province: row.province_code,
          rank: row[`${m.column}_rank`],
          average: row[`${m.column}_national_average`],
          percentile: row[`${m.column}_percentile`],
        });
      }
    }
  });

  it('without synthetic records, Ayutthaya’s figures are its real records’, ranked among the 77', async () => {
    const result = await exportData({
      what: 'comparison',
      format: 'json',
      fiscalYear: 2565,
      out: path.join(work, 'real'),
      url: stack.gatewayUrl,
    });
    const rows = JSON.parse(readFileSync(result.file, 'utf8')) as Figures[];
    const ayutthaya = rows.find((r) => r.province_code === 'TH-14')!;
    const activities = rows.map((r) => r.activity_count as number);
    expect(ayutthaya.activity_count).toBeGreaterThan(0);
    expect(ayutthaya.activity_count_rank).toBe(1 + activities.filter((v) => v > (ayutthaya.activity_count as number)).length);
    expect(ayutthaya.participating_agency_count).toBeGreaterThan(0);
    expect(ayutthaya).toMatchObject({ region_code: 'CENTRAL', region_name_th: REGION_KEYS.find((r) => r.code === 'CENTRAL')!.nameTh });
  });
});
