// A basic accessibility check of both apps with axe-core (WCAG 2 A/AA: labels, names, contrast)
// and a keyboard-only sign-in to the console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { seriousViolations } from './axe.js';

const baseUrl = process.env.NX_E2E_BASE_URL;
const executablePath = process.env.NX_CHROMIUM || '/usr/bin/chromium';
const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

(baseUrl ? describe : describe.skip)('accessibility', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath, args });
  });
  afterAll(async () => browser?.close());

  async function open(path: string, width: number, height: number, locale = 'zh-CN'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, locale, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${baseUrl}${path}`);
    await page.waitForLoadState('networkidle');
    return page;
  }

  it.each([
    ['worker home', '/', 360, 740],
    ['worker sign-in', '/sign-in', 360, 740],
    ['worker me', '/me', 360, 740],
    ['worker registration', '/register', 360, 740],
    ['console sign-in', '/console/sign-in', 1366, 768],
  ])('%s has no serious WCAG 2 A/AA violations', async (_name, path, width, height) => {
    const page = await open(path, width, height);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('the console can be signed into and used with the keyboard alone, and its pages pass the check', async () => {
    const page = await open('/console/sign-in', 1366, 768);
    await page
      .getByLabel(/手机号/)
      .first()
      .focus();
    await page.keyboard.type('13800000008');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Nuanxin@2026');
    await page.keyboard.press('Enter');
    // A coordinator lands on the appeals desk.
    await page.getByTestId('desk-page').waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page)).toEqual([]);

    // Tab reaches the side menu's links and Enter follows them.
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'nav-organisations');
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByTestId('organisation-table').waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page)).toEqual([]);

    // The staff member's own security pages.
    await page.getByTestId('nav-twoFactor').click();
    await page.getByTestId('two-factor-page').waitFor({ state: 'visible' });
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('nav-sessions').click();
    await page.getByTestId('session-current').waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page)).toEqual([]);

    // The appeals desk (its ledger and one appeal), the desk figures and the template library.
    await page.getByTestId('nav-desk').click();
    await page.getByTestId('desk-tab-ledger').click();
    await page.getByTestId('desk-row').first().waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('desk-row-link').first().click();
    await page.getByTestId('matter-timeline').waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('nav-figures').click();
    await page.getByTestId('figure-received').waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('nav-templates').click();
    await page.getByTestId('template-download').first().waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});
