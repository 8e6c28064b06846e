/**
 * The console works with the network cut off (issue 14): Debian's chromium, every request that is not
 * to this machine blocked, opens the landing page, follows it to GraphiQL, pastes the README's example
 * query as a portal developer would, runs it, and sees Ayutthaya's data. The screenshot is saved under
 * tests/output/ for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { PROJECT_ROOT } from '@moral-registry/common';
import { startStack, type Stack } from './harness.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = path.join(PROJECT_ROOT, 'tests', 'output');
const installed = existsSync(CHROMIUM);
const run = installed ? it : it.skip;
const reason = installed ? '' : ` (skipped: no chromium at ${CHROMIUM}; .ci/run installs Debian's chromium, or set CHROMIUM_PATH)`;

/** The first GraphQL example of the README, exactly as a reader would copy it. */
const readmeQuery = /```graphql\n([\s\S]*?)```/.exec(readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8'))![1]!;

const isLocal = (url: URL) => ['data:', 'blob:'].includes(url.protocol) || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

let stack: Stack;
let browser: Browser | undefined;
beforeAll(async () => {
  if (!installed) return;
  stack = await startStack();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe(`the console offline${reason}`, () => {
  run('opens GraphiQL from the landing page, runs the README query and loads nothing from elsewhere', async () => {
    const origin = new URL(stack.gatewayUrl).origin;
    const context = await browser!.newContext({
      viewport: { width: 1400, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const offsite: string[] = [];
    const problems: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (isLocal(url)) return route.continue();
      offsite.push(url.href);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // A Content-Security-Policy violation is reported on the console.
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });

    await page.goto(`${origin}/`);
    expect(await page.title()).toContain('ทะเบียนเครือข่ายคุณธรรม');
    await page.click('text=Open GraphiQL');
    await page.waitForSelector('.graphiql-query-editor .monaco-editor', { timeout: 30_000 });

    // Paste, as a developer copying the README does (typing would get Monaco's auto-closed brackets).
    await page.click('.graphiql-query-editor .monaco-editor .view-lines');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.evaluate((text) => navigator.clipboard.writeText(text), readmeQuery);
    await page.keyboard.press('Control+V');
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => document.querySelector('.graphiql-response')?.textContent?.includes('"data"'), null, {
      timeout: 30_000,
    });

    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'console-graphiql.png') });
    // Monaco shows spaces as no-break spaces and wraps long lines: compare with whitespace collapsed.
    const response = ((await page.textContent('.graphiql-response')) ?? '').replace(/\s+/g, ' ');
    await context.close();

    expect(response).toContain('"nameTh": "พระนครศรีอยุธยา"');
    expect(response).toContain('"total": 59');
    expect(response).not.toContain('"errors"');
    expect(offsite).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('has no page on a subgraph that would load from a CDN (browsers use the gateway)', async () => {
    if (!stack) stack = await startStack();
    for (const url of Object.values(stack.subgraphUrls)) {
      const response = await fetch(url, { headers: { accept: 'text/html' } });
      const body = await response.text();
      expect(body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)/);
      expect(response.headers.get('content-type') ?? '').not.toContain('text/html');
    }
  });
});
