// The console's report and points administration in a real browser: a city administrator sets a
// report route (and deletes it), creates an Open311 key (shown once) and revokes it, changes a
// district's points rules and corrects a person's points (a refused correction shows the server's
// message). The administrator is made for this file by the security administrator, so the demo
// administrator's two-factor enrolment stays for people-console.e2e.test.ts whatever the order.
// NX_SCREENSHOTS=1 also writes docs/screenshots/console-report-routes-zh.png and
// console-points-rules-zh.png (1440×900).
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { executablePath, launchArgs, shots } from './browser.js';

const baseUrl = process.env.NX_E2E_BASE_URL;
const PASSWORD = 'Nuanxin@2026';
const SECURITY_ADMIN = '13800000011';

async function shot(page: Page, name: string): Promise<void> {
  if (!shots) return;
  await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
  // Toasts of earlier steps would cover the header.
  await page.evaluate(() => document.querySelectorAll('.el-message').forEach((m) => m.remove()));
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(shots, name) });
}

const usedSteps = new Map<string, Set<number>>();

/** An authenticator code for the secret from a time step not used yet (the server takes each once). */
function totpCode(secret: string): string {
  const used = usedSteps.get(secret) ?? new Set<number>();
  usedSteps.set(secret, used);
  const ms = Date.now();
  const now = Math.floor(ms / 30_000);
  const last = Math.max(Number.NEGATIVE_INFINITY, ...used);
  for (const step of [now - 1, now, now + 1]) {
    if (step <= last || (step === now - 1 && 30_000 - (ms % 30_000) < 10_000)) continue;
    used.add(step);
    return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: step * 30_000 });
  }
  throw new Error('no unused time step left in this half-minute');
}

async function waitForText(page: Page, testId: string, expected: string): Promise<void> {
  await page.getByTestId(testId).filter({ hasText: expected }).first().waitFor({ state: 'visible' });
}

const visibleOptions = (page: Page) => page.locator('.el-select-dropdown__item:visible');

(baseUrl ? describe : describe.skip)('report and points administration in the console', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const adminPhone = `137${String(Date.now()).slice(-8)}`;
  const adminPassword = 'Admin#2026x';

  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    contexts.push(context);
    return context;
  }

  /** The security administrator (enrolled here through the API) makes a city administrator. */
  async function makeCityAdmin(): Promise<void> {
    const context = await newContext();
    const csrf = async () => (await context.cookies()).find((c) => c.name === 'nx_csrf')?.value ?? '';
    const post = async (url: string, data: unknown) =>
      context.request.post(`${baseUrl}${url}`, { data, headers: { 'x-csrf-token': await csrf() } });
    const signedIn = await post('/api/auth/sign-in', { phone: SECURITY_ADMIN, password: PASSWORD });
    expect(signedIn.status()).toBe(200);
    const pending = ((await signedIn.json()) as { pending: string | null }).pending;
    if (pending !== 'enrolment') throw new Error(`the security administrator is already enrolled (pending: ${pending}); this file needs a fresh server`);
    const setup = (await (await post('/api/me/two-factor/setup', {})).json()) as { secret: string };
    expect((await post('/api/me/two-factor/enable', { code: totpCode(setup.secret) })).status()).toBe(200);
    const me = (await (await context.request.get(`${baseUrl}/api/me`)).json()) as { grants: { regionCode: string }[] };
    const created = await post('/api/users', {
      phone: adminPhone,
      displayName: '蔡测试（市管理员）',
      password: adminPassword,
      grants: [{ role: 'admin', regionCode: me.grants[0]!.regionCode }],
    });
    expect(created.status()).toBe(201);
    await context.close();
  }

  /** Signs the new administrator in (enrolling an authenticator in the page) and opens `path`. */
  async function signInAdmin(pathname: string): Promise<Page> {
    const page = await (await newContext()).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${baseUrl}/console${pathname}`);
    await page.getByTestId('phone').fill(adminPhone);
    await page.getByTestId('password').fill(adminPassword);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('enrolment-step').waitFor();
    await page.getByTestId('totp-qr').waitFor();
    const secret = (await page.getByTestId('totp-secret').getAttribute('data-secret')) ?? '';
    await page.getByTestId('totp-code').fill(totpCode(secret));
    await page.getByTestId('totp-enable').click();
    await page.getByTestId('recovery-saved').click();
    await page.getByTestId('recovery-done').click();
    await page.waitForURL(new RegExp(`/console${pathname}$`));
    return page;
  }

  let page: Page;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath, args: launchArgs });
    await makeCityAdmin();
    page = await signInAdmin('/report-routes');
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
  });

  it('sets a route for a street, sees it in the table filtered by region, and deletes it', async () => {
    await page.getByTestId('route-table').waitFor();
    await waitForText(page, 'route-table', '海滨街道办事处');
    for (const key of ['reportCategories', 'reportRoutes', 'open311Keys', 'pointsRules']) {
      expect(await page.getByTestId(`nav-${key}`).count()).toBe(1);
    }
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId('route-add').click();
    const dialog = page.getByTestId('route-dialog');
    await dialog.waitFor();
    await page.getByTestId('route-category').click();
    await visibleOptions(page).filter({ hasText: '其他' }).first().click();
    // The region: 海滨街道, below 鲤城区 in the tree.
    await dialog.getByTestId('route-region').locator('.el-select__wrapper').click();
    const district = page.locator('.el-tree-node__content:visible', { hasText: '鲤城区' }).first();
    await district.locator('.el-tree-node__expand-icon').click();
    await page.locator('.el-tree-node__content:visible').getByText('海滨街道', { exact: true }).click();
    await page.getByTestId('route-organisation').locator('input').fill('海滨街道办事处');
    await visibleOptions(page).filter({ hasText: '海滨街道办事处' }).first().click();
    await page.getByTestId('route-save').click();
    await page.getByText('路由已保存').waitFor();

    // Narrowed to the street: its routes only, "other" among them now.
    await page.getByTestId('route-filter-region').locator('.el-select__wrapper').click();
    const district2 = page.locator('.el-tree-node__content:visible', { hasText: '鲤城区' }).first();
    if ((await page.locator('.el-tree-node__content:visible').getByText('海滨街道', { exact: true }).count()) === 0) {
      await district2.locator('.el-tree-node__expand-icon').click();
    }
    await page.locator('.el-tree-node__content:visible').getByText('海滨街道', { exact: true }).click();
    const other = page.getByTestId('route-table').locator('.el-table__row', { hasText: '其他' });
    await other.first().waitFor();
    expect(await other.count()).toBe(1);
    expect(await other.innerText()).toContain('海滨街道办事处');
    await shot(page, 'console-report-routes-zh.png');

    await other.getByTestId('route-delete').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.getByText('路由已删除').waitFor();
    await expect.poll(() => page.getByTestId('route-table').locator('.el-table__row', { hasText: '其他' }).count()).toBe(0);
  });

  it('lists the report categories and saves one unchanged', async () => {
    await page.getByTestId('nav-reportCategories').click();
    await waitForText(page, 'category-table', '其他');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('category-edit-other').click();
    await page.getByTestId('category-dialog').waitFor();
    expect(await page.getByTestId('category-label-zh').inputValue()).toBe('其他');
    await page.getByTestId('category-save').click();
    await page.getByText('分类已保存').waitFor();
  });

  it('creates an Open311 key, shown once with a copy button, and revokes it after confirming', async () => {
    await page.getByTestId('nav-open311Keys').click();
    await page.getByTestId('key-table').waitFor();
    await page.getByTestId('key-add').click();
    await page.getByTestId('key-create').click();
    await page.getByText('请填写名称').waitFor();
    await page.getByTestId('key-name').fill('泉州城市通 App');
    await page.getByTestId('key-create').click();
    const shown = page.getByTestId('key-shown');
    await shown.waitFor();
    const key = (await shown.innerText()).trim();
    expect(key).toMatch(/^o311_[A-Za-z0-9_-]{20,}$/);
    await page.getByText('密钥只显示这一次').waitFor();
    expect(await page.getByTestId('key-copy').count()).toBe(1);
    // The done button appears under the pointer: judge it at rest, not hovered.
    await page.mouse.move(0, 0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('key-done').click();
    await page.getByTestId('key-dialog').waitFor({ state: 'hidden' });

    // The list shows it masked only: the key is gone from the page.
    const row = page.getByTestId('key-table').locator('.el-table__row', { hasText: '泉州城市通 App' });
    await row.waitFor();
    expect(await row.getByTestId('key-masked').innerText()).toBe(`o311_…${key.slice(-4)}`);
    expect(await page.content()).not.toContain(key);

    // The key works on Open311 until revoked.
    const post = (apiKey: string) =>
      fetch(`${baseUrl}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ api_key: apiKey, service_code: 'other' }).toString(),
      });
    expect((await post(key)).status).toBe(400); // accepted key, missing location

    await row.getByTestId('key-revoke').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.getByText('密钥已吊销').waitFor();
    await expect.poll(() => row.getByTestId('key-state').innerText()).toContain('已吊销');
    expect(await row.getByTestId('key-revoke').count()).toBe(0);
    expect((await post(key)).status).toBe(403);
  });

  it('changes a district’s points rules and corrects a person’s points with a reason', async () => {
    await page.getByTestId('nav-pointsRules').click();
    await page.getByTestId('rules-applies').waitFor();
    // 泉港区: a district of its own, so the demo district's awards stay as they are for other tests.
    await page.getByTestId('rules-region').locator('.el-select__wrapper').click();
    await page.locator('.el-tree-node__content:visible').getByText('泉港区', { exact: true }).click();
    await waitForText(page, 'rules-applies', '当前使用');
    const useful = page.getByTestId('rule-reportUseful').locator('input');
    await useful.fill('15');
    await useful.blur();
    await page.getByTestId('rules-save').click();
    await page.getByText('积分规则已保存').waitFor();
    await waitForText(page, 'rules-applies', '本区域已单独设置规则');
    await page.reload();
    await page.getByTestId('rules-region').locator('.el-select__wrapper').click();
    await page.locator('.el-tree-node__content:visible').getByText('泉港区', { exact: true }).click();
    await waitForText(page, 'rules-applies', '本区域已单独设置规则');
    expect(await page.getByTestId('rule-reportUseful').locator('input').inputValue()).toBe('15');

    // A correction: the person found by name, + points with a reason.
    await page.getByTestId('correction-user').locator('input').fill('王阿姨');
    await visibleOptions(page).filter({ hasText: '王阿姨' }).first().click();
    const points = page.getByTestId('correction-points').locator('input');
    await points.fill('8');
    await points.blur();
    await page.getByTestId('correction-reason').fill('补发 11 月社区志愿服务积分');
    await page.getByTestId('correction-submit').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await waitForText(page, 'correction-result', '王阿姨 当前余额');
    const balance = Number(/余额 (\d+) 分/.exec(await page.getByTestId('correction-result').innerText())?.[1]);
    expect(balance).toBeGreaterThanOrEqual(8);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-points-rules-zh.png');

    // Taking more than the balance is refused with the server's message.
    await points.fill(String(-(balance + 1000)));
    await points.blur();
    await page.getByTestId('correction-reason').fill('多发更正');
    await page.getByTestId('correction-submit').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('.el-message--error').waitFor();
    expect(await page.locator('.el-message--error').innerText()).toMatch(/积分/);

    // In English too, the page and the server's refusal.
    await page.getByTestId('lang-switch').getByText('EN', { exact: true }).click();
    await waitForText(page, 'nav-pointsRules', 'Points rules');
    await waitForText(page, 'rules-applies', 'This region has its own rules');
    await page.getByTestId('correction-submit').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('.el-message--error', { hasText: 'Not enough points' }).waitFor();
  });
});
