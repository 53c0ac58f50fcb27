// A report from a phone in a real browser: photos compressed on the phone, a category chip, the
// phone's location, likely duplicates shown, sent once; written offline, kept on the phone and
// sent exactly once when the network returns; "my reports" shows both. The page passes axe.
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const baseUrl = process.env.NX_E2E_BASE_URL;
const executablePath = process.env.NX_CHROMIUM || '/usr/bin/chromium';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

(baseUrl ? describe : describe.skip)('a report from the worker app', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let photo = '';
  const marker = `端到端随手拍${Date.now()}`;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nx-e2e-report-'));
    photo = path.join(dir, 'guardrail.jpg');
    writeFileSync(
      photo,
      await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#8a6d3b' } })
        .jpeg()
        .toBuffer(),
    );
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      // Beside one of the demo district's guardrail reports (see src/server/demo/reports.ts).
      geolocation: { latitude: 24.9047, longitude: 118.587 },
      permissions: ['geolocation'],
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${baseUrl}/sign-in?redirect=/report`);
    await page.getByTestId('phone').locator('input').fill('13800000001');
    await page.getByTestId('password').locator('input').fill('Nuanxin@2026');
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('report-form').waitFor();
  }, 60_000);
  afterAll(async () => browser?.close());

  async function fill(text: string): Promise<void> {
    await page.getByTestId('report-photo').locator('input[type=file]').setInputFiles(photo);
    await page.locator('.snap__photo img').first().waitFor();
    await page.getByTestId('report-category-guardrails').click();
    await page.getByTestId('report-text').locator('textarea').fill(text);
  }

  it('sends a report with a compressed photo, showing likely duplicates, and lists it under my reports', async () => {
    await fill(`${marker} 护栏被撞倒`);
    // A demo guardrail report a few metres away is shown while writing.
    await page.getByTestId('report-duplicates').waitFor();
    const uploads: number[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/files') && r.method() === 'POST') uploads.push(r.postDataBuffer()?.length ?? 0);
    });
    await page.getByTestId('report-submit').click();
    await page.getByTestId('report-mine').filter({ hasText: marker }).waitFor();
    // 3000 px in, at most 1600 px out: the upload is far smaller than the original.
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toBeLessThan(300_000);

    await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
    await page.evaluate(axeSource);
    const violations = (await page.evaluate(async () => {
      const axe = (
        window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; impact: string }[] }> } }
      ).axe;
      return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })).violations;
    })) as { id: string; impact: string }[];
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });

  it('keeps a report written offline and sends it once when the network returns', async () => {
    await fill(`${marker} 离线`);
    await context.setOffline(true);
    await page.getByTestId('report-submit').click();
    await page.getByTestId('report-waiting').waitFor();
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/reports') && r.method() === 'POST') sent.push(r.headers()['idempotency-key'] ?? '');
    });
    await context.setOffline(false);
    await page
      .getByTestId('report-mine')
      .filter({ hasText: `${marker} 离线` })
      .waitFor();
    await expect.poll(() => page.getByTestId('report-waiting').count()).toBe(0);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(new Set(sent).size).toBe(1);
    const listed = await page
      .getByTestId('report-mine')
      .locator('.snap__item', { hasText: `${marker} 离线` })
      .count();
    expect(listed).toBe(1);
  });
});
