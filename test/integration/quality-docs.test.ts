// dw quality docs in headless Chromium (Debian's chromium, driven by playwright-core): opened from the file system, the
// shown score equals dw quality --json's, the asset pages and lineage links work; a screenshot of the index is kept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../infra/config';
import { launchChromium } from '../support/chromium';
import { dw as run } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { seedQualityRuns } from '../support/quality-seed';

const SCREENSHOT = path.join(ROOT, 'test', 'artifacts', 'quality-docs-index.png');

let env: TestEnv;
let out: string;
let browser: Browser;

beforeAll(async () => {
  env = await createTestEnv('quality_docs');
  await seedQualityRuns(env.pool);
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-quality-docs-'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (out) fs.rmSync(out, { recursive: true, force: true });
  await env?.close();
});

describe('dw quality docs', () => {
  it('when opened from the file system, then the index shows the score of dw quality --json, the trend and working asset pages', async () => {
    const docs = run(env, ['quality', 'docs', '--out', out, '--json']);
    expect(docs.code, docs.stderr).toBe(0);
    const written = JSON.parse(docs.stdout);
    expect(written.index).toBe(path.join(out, 'index.html'));
    const q = run(env, ['quality', '--json']);
    expect(q.code, q.stderr).toBe(0);
    const report = JSON.parse(q.stdout);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file://')) errors.push(`external request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(written.index).href);
    const shown = (await page.locator('#overall-score').textContent())?.trim();
    expect(shown).toBe(`${(100 * report.overall.score).toFixed(2)}%`);
    expect(Number(await page.locator('#overall-score').getAttribute('data-score'))).toBe(report.overall.score);
    expect(await page.locator('#trend circle').count()).toBe(3);
    expect(await page.locator('#dimensions tbody tr').count()).toBe(report.dimensions.length);
    expect(await page.locator('#trend').isVisible()).toBe(true);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);

    // An asset page: its failing examples are shown as text (escaped), its upstream link opens the upstream's page.
    await page.locator('#assets a', { hasText: 'staging/orders' }).click();
    expect(await page.locator('h1').textContent()).toBe('Data quality: staging/orders');
    expect(await page.locator('table.examples').first().textContent()).toContain('<b>bogus 0</b>');
    expect(await page.locator('b', { hasText: 'bogus' }).count()).toBe(0);
    await page.locator('h3:text-is("upstream") + ul a').first().click();
    expect(await page.locator('h1').textContent()).toBe('Data quality: raw/orders');
    expect(errors).toEqual([]);
    await page.close();
  });
});
