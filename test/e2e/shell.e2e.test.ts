// The two web shells in a real browser against a running server: the worker app on a phone-sized
// screen and the console on a laptop screen, in Chinese and English, signed out and signed in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { executablePath, launchArgs } from './browser.js';

const baseUrl = process.env.NX_E2E_BASE_URL;

interface DemoAccount {
  phone: string;
  password: string;
  role: string;
  regionName: string;
  displayName: string;
}

const roleLabels: Record<string, { zh: string; en: string }> = {
  worker: { zh: '劳动者', en: 'Worker' },
  grid_member: { zh: '网格员', en: 'Grid member' },
  resident: { zh: '居民', en: 'Resident' },
  merchant: { zh: '商户', en: 'Merchant' },
  station_staff: { zh: '驿站工作人员', en: 'Station staff' },
  mediator: { zh: '调解员', en: 'Mediator' },
  department_handler: { zh: '部门经办人', en: 'Department handler' },
  coordinator: { zh: '协调员', en: 'Coordinator' },
  admin: { zh: '管理员', en: 'Administrator' },
  system_admin: { zh: '系统管理员', en: 'System admin' },
  security_admin: { zh: '安全管理员', en: 'Security admin' },
  audit_admin: { zh: '审计管理员', en: 'Audit admin' },
};

async function text(page: Page, testId: string): Promise<string> {
  const locator = page.getByTestId(testId).first();
  await locator.waitFor({ state: 'visible' });
  return (await locator.innerText()).trim();
}

/** Waits until the element's text contains the expected text (pages update asynchronously). */
async function waitForText(page: Page, testId: string, expected: string): Promise<void> {
  await page.getByTestId(testId).filter({ hasText: expected }).first().waitFor({ state: 'visible' });
}

(baseUrl ? describe : describe.skip)('web app shells', () => {
  let browser: Browser;
  let demoAccounts: DemoAccount[] = [];
  const contexts: BrowserContext[] = [];

  async function newPage(width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath, args: launchArgs });
    const meta = (await (await fetch(`${baseUrl}/api/meta`)).json()) as { demo: boolean; demoAccounts: DemoAccount[] };
    demoAccounts = meta.demoAccounts;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
  });

  it('both apps are served as the production build, even when the tests built them', async () => {
    for (const page of ['/', '/console/']) {
      const html = await (await fetch(`${baseUrl}${page}`)).text();
      const scripts = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => m[1]);
      expect(scripts.length, page).toBeGreaterThan(0);
      for (const src of scripts) {
        const js = await (await fetch(`${baseUrl}${src}`)).text();
        // Vue's development build warns through this prefix; the production build has no warnings.
        expect(js.includes('[Vue warn]'), `${page} ${src}`).toBe(false);
      }
    }
  });

  it('the worker app shows 暖新 and its tab bar, switches to English, and signs in with a demo account', async () => {
    const account = demoAccounts[0];
    expect(account, 'the server lists demo accounts (demo mode on)').toBeDefined();
    if (!account) return;
    const page = await newPage(360, 740);

    await page.goto(`${baseUrl}/`);
    expect(await text(page, 'brand-name')).toBe('暖新');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    const tabbar = page.getByTestId('tabbar');
    await tabbar.waitFor({ state: 'visible' });
    for (const label of ['首页', '地图', '上报', '我的']) await tabbar.getByText(label, { exact: true }).waitFor();

    // The map tab opens the service map (its own test: places-worker.e2e.test.ts).
    await page.getByTestId('tab-map').click();
    await page.waitForURL(`${baseUrl}/map`);
    await page.getByTestId('map-page').waitFor();

    await page.getByTestId('tab-home').click();
    await page.getByTestId('lang-toggle').click();
    await waitForText(page, 'brand-name', 'Nuanxin');
    for (const label of ['Home', 'Map', 'Report', 'Me']) await tabbar.getByText(label, { exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.evaluate(() => localStorage.getItem('nx.locale'))).toBe('en');

    // The choice survives a reload.
    await page.reload();
    await waitForText(page, 'brand-name', 'Nuanxin');

    await page.getByTestId('tab-me').click();
    await page.getByTestId('me-sign-in').click();
    await page.waitForURL(/\/sign-in/);
    await page.getByTestId('demo-account').filter({ hasText: account.phone }).first().click();
    expect(await page.locator('#sign-in-phone').inputValue()).toBe(account.phone);
    await page.getByTestId('sign-in-submit').click();

    await page.waitForURL(`${baseUrl}/me`);
    await waitForText(page, 'me-name', account.displayName);
    const roleLabel = roleLabels[account.role]?.en ?? account.role;
    await waitForText(page, 'me-role', roleLabel);

    // Home greets the signed-in person with their role.
    await page.getByTestId('tab-home').click();
    await waitForText(page, 'home-role', roleLabel);
  });

  it('the console signs in a coordinator, browses and searches the region tree, and switches to English', async () => {
    const coordinator = demoAccounts.find((a) => a.role === 'coordinator');
    expect(coordinator, 'a coordinator demo account exists').toBeDefined();
    if (!coordinator) return;
    const page = await newPage(1366, 768);

    await page.goto(`${baseUrl}/console/`);
    await page.waitForURL(/\/console\/sign-in/);
    await page.getByTestId('demo-account').filter({ hasText: coordinator.phone }).first().click();
    await page.getByTestId('sign-in-submit').click();

    // Staff who work on appeals land on the desk; the region tree is one click away.
    await page.waitForURL(/\/console\/matters$/);
    await page.getByTestId('nav-regions').click();
    await page.waitForURL(/\/console\/regions/);
    await waitForText(page, 'console-brand', '管理后台');
    await waitForText(page, 'console-user', coordinator.displayName);
    await waitForText(page, 'console-role', '协调员');

    const tree = page.getByTestId('region-tree');
    const district = tree.locator('.el-tree-node__content').filter({ hasText: '鲤城区' }).first();
    await district.waitFor({ state: 'visible' });
    const street = tree.getByText('海滨街道', { exact: true });
    if (!(await street.isVisible())) await district.locator('.el-tree-node__expand-icon').click();
    await street.waitFor({ state: 'visible' });

    // Choosing a street shows its details with its ancestors as breadcrumbs.
    await street.click();
    await waitForText(page, 'region-detail-name', '海滨街道');
    await waitForText(page, 'region-detail', '鲤城区');

    await page.getByTestId('region-search').fill('海滨');
    await waitForText(page, 'region-search-results', '海滨街道');
    await waitForText(page, 'region-search-result', '泉州市 / 鲤城区 / 海滨街道');

    await page.getByTestId('lang-switch').getByText('EN', { exact: true }).click();
    await waitForText(page, 'console-brand', 'Console');
    await waitForText(page, 'nav-regions', 'Regions');
    await waitForText(page, 'console-role', 'Coordinator');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    await page.getByTestId('nav-organisations').click();
    await page.waitForURL(/\/console\/organisations/);
    await page.getByTestId('organisation-table').waitFor({ state: 'visible' });
  });
});
