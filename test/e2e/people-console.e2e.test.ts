// People, roles and security in the console, in a real browser: an administrator enrols an
// authenticator at first sign-in, creates a staff account with a role and reveals a phone number
// with a reason; the audit administrator finds those acts in the audit log and verifies its chain.
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { executablePath, launchArgs, shots } from './browser.js';

const baseUrl = process.env.NX_E2E_BASE_URL;
// NX_SCREENSHOTS=1 also writes docs/screenshots/console-users-reveal-zh.png.
const PASSWORD = 'Nuanxin@2026';
const ADMIN = '13800000009';
const AUDIT_ADMIN = '13800000012';

const usedSteps = new Map<string, Set<number>>();

/** An authenticator code for the secret from a time step not used yet (the server takes each once). */
function totpCode(secret: string): string {
  const used = usedSteps.get(secret) ?? new Set<number>();
  usedSteps.set(secret, used);
  const ms = Date.now();
  const now = Math.floor(ms / 30_000);
  // The server takes each step once and in order, within one step either side of its clock; a
  // code of the step before is skipped near the boundary, where it would expire on its way.
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

/** Signs in with a demo account's number; the caller handles the second step that follows. */
async function passwordStep(page: Page, phone: string): Promise<void> {
  await page.getByTestId('phone').fill(phone);
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('sign-in-submit').click();
}

/** First sign-in of an account that must use two-factor: scan (read the key), confirm, keep the codes. */
async function enrol(page: Page): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.getByTestId('enrolment-step').waitFor();
  await page.getByTestId('totp-qr').waitFor();
  const secret = (await page.getByTestId('totp-secret').getAttribute('data-secret')) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  expect((await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '')).toBe(secret);
  await page.getByTestId('totp-code').fill(totpCode(secret));
  await page.getByTestId('totp-enable').click();
  await page.getByTestId('recovery-codes').waitFor();
  const recoveryCodes = await page.getByTestId('recovery-code').allInnerTexts();
  // The codes must be acknowledged before going on.
  expect(await page.getByTestId('recovery-done').isDisabled()).toBe(true);
  await page.getByTestId('recovery-saved').click();
  await page.getByTestId('recovery-done').click();
  return { secret, recoveryCodes };
}

(baseUrl ? describe : describe.skip)('people, roles and security in the console', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const staffPhone = `139${String(Date.now()).slice(-8)}`;
  const staffName = '陈晓明';
  const reason = '电话回访诉求办理情况';
  let adminSecret = '';

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath, args: launchArgs });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
  });

  it('an administrator must enrol an authenticator before the console opens, and gets ten recovery codes once', async () => {
    const page = await newPage();
    await page.goto(`${baseUrl}/console/users`);
    await page.waitForURL(/\/console\/sign-in/);
    await passwordStep(page, ADMIN);
    // A code typed wrong is refused and enrolment can go on.
    await page.getByTestId('enrolment-step').waitFor();
    await page.getByTestId('totp-code').fill('12345');
    await page.getByTestId('totp-enable').click();
    await page.getByText('请输入 6 位数字验证码').waitFor();
    const { secret, recoveryCodes } = await enrol(page);
    adminSecret = secret;
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}$/);

    // Straight on to the page first asked for.
    await page.waitForURL(/\/console\/users/);
    await waitForText(page, 'console-role', '管理员');
    await page.getByTestId('nav-twoFactor').click();
    await waitForText(page, 'two-factor-status', '已开启');
    await page.getByText('你的角色必须使用两步验证，不能关闭。').waitFor();
    expect(await page.getByTestId('two-factor-disable').count()).toBe(0);
    await page.context().close();
  });

  it('signing in again asks for the authenticator code; the administrator creates a staff account with a role and reveals its phone with a reason', async () => {
    const page = await newPage();
    await page.goto(`${baseUrl}/console/sign-in`);
    await passwordStep(page, ADMIN);
    await page.getByTestId('second-factor-step').waitFor();
    await page.getByTestId('second-factor-code').fill('000000');
    await page.getByTestId('second-factor-submit').click();
    await page.getByText('验证码不正确').waitFor();
    await page.getByTestId('second-factor-code').fill(totpCode(adminSecret));
    await page.getByTestId('second-factor-submit').click();
    // An administrator works on appeals too, so lands on the desk.
    await page.waitForURL(/\/console\/matters$/);

    await page.getByTestId('nav-users').click();
    await page.getByTestId('user-table').waitFor();
    // Phones are masked in the list; search narrows it by name.
    await page.getByTestId('user-search').fill('张师傅');
    await waitForText(page, 'user-table', '138****0001');
    expect(await page.getByTestId('user-table').innerText()).not.toContain('13800000001');
    await page.getByTestId('user-search').fill('');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId('new-user').click();
    await page.getByTestId('new-user-dialog').waitFor();
    await page.getByTestId('new-user-name').fill(staffName);
    await page.getByTestId('new-user-phone').fill(staffPhone);
    await page.getByTestId('new-user-password').fill('weakpass');
    await page.getByTestId('new-user-submit').click();
    await page.getByText('至少 8 位，且包含大写字母、小写字母、数字、符号中的三类').waitFor();
    await page.getByTestId('new-user-password').fill('Station#2026');
    // An administrator may grant operational roles only: no administrator roles are offered.
    await page.getByTestId('new-user-role').click();
    const options = page.locator('.el-select-dropdown__item:visible');
    await options.filter({ hasText: '驿站工作人员' }).waitFor();
    expect(await options.allInnerTexts()).not.toContain('安全管理员');
    await options.filter({ hasText: '驿站工作人员' }).click();
    await page.getByTestId('new-user-submit').click();

    const drawer = page.getByTestId('user-drawer');
    await waitForText(page, 'drawer-name', staffName);
    await waitForText(page, 'drawer-grant', '驿站工作人员');
    await waitForText(page, 'user-table', staffName);

    await drawer.getByTestId('drawer-reveal').click();
    await page.getByTestId('reveal-dialog').waitFor();
    await page.getByTestId('reveal-reason').fill('看看');
    await page.getByTestId('reveal-submit').click();
    await page.getByText('请写明原因，至少 5 个字').waitFor();
    await page.getByTestId('reveal-reason').fill(reason);
    await page.getByTestId('reveal-submit').click();
    await waitForText(page, 'reveal-value', staffPhone);
    await page.getByText('本次查看已记入审计日志').waitFor();
    if (shots) await page.screenshot({ path: path.join(shots, 'console-users-reveal-zh.png') });
    await page.getByTestId('reveal-close').click();

    // A second role, then the account disabled and enabled again.
    await drawer.getByTestId('drawer-grant-role').click();
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '调解员' }).click();
    await drawer.getByTestId('drawer-grant-add').click();
    await waitForText(page, 'drawer-grant', '调解员');
    expect(await drawer.getByTestId('drawer-grant').count()).toBe(2);
    // A merchant's grant names the shop it serves: it cannot be added until a shop is picked.
    await drawer.getByTestId('drawer-grant-role').click();
    await page.locator('.el-select-dropdown__item:visible').getByText('商户', { exact: true }).click();
    await drawer.getByTestId('grant-organisation').waitFor();
    expect(await drawer.getByTestId('drawer-grant-add').isDisabled()).toBe(true);
    await drawer.getByTestId('grant-organisation').click();
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '老街茶铺（爱心商户）' }).click();
    await drawer.getByTestId('drawer-grant-add').click();
    await waitForText(page, 'drawer-grant-organisation', '老街茶铺（爱心商户）');
    expect(await drawer.getByTestId('drawer-grant').count()).toBe(3);
    await drawer.getByTestId('drawer-status').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await waitForText(page, 'user-drawer', '已停用');
    await drawer.getByTestId('drawer-status').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await waitForText(page, 'user-drawer', '正常');

    // The session list marks this browser; the Audit log is not offered to an administrator.
    await page.keyboard.press('Escape');
    await page.getByTestId('nav-sessions').click();
    await waitForText(page, 'session-current', '当前设备');
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
    await page.context().close();
  });

  it('the audit administrator enrols, finds the account creation and the reveal with its reason, and verifies the chain, in English too', async () => {
    const page = await newPage();
    await page.goto(`${baseUrl}/console/audit`);
    await passwordStep(page, AUDIT_ADMIN);
    await enrol(page);
    await page.waitForURL(/\/console\/audit/);
    await page.getByTestId('audit-table').waitFor();
    // Account administration is not for the audit administrator.
    expect(await page.getByTestId('nav-users').count()).toBe(0);

    const table = page.getByTestId('audit-table');
    await waitForText(page, 'audit-table', '新建账号');
    await waitForText(page, 'audit-table', '查看完整个人信息');
    await waitForText(page, 'audit-note-cell', reason);
    expect(await seriousViolations(page)).toEqual([]);

    // Only reveals, by the note's words.
    await page.getByTestId('audit-note').fill('回访');
    await page.getByTestId('audit-search').click();
    await expect.poll(() => table.getByTestId('audit-action-cell').allInnerTexts()).toEqual(['查看完整个人信息']);
    // Only the administrator's acts, picked from the table.
    await table.getByTestId('audit-actor').first().click();
    await waitForText(page, 'audit-actor-filter', '蔡管理员');
    await page.getByTestId('audit-note').fill('');
    await page.getByTestId('audit-search').click();
    await waitForText(page, 'audit-table', '授予角色');
    const actors = await table.getByTestId('audit-actor').allInnerTexts();
    expect(new Set(actors)).toEqual(new Set(['蔡管理员']));

    await page.getByTestId('audit-verify').click();
    await waitForText(page, 'audit-verify-result', '哈希链完整');

    await page.getByTestId('lang-switch').getByText('EN', { exact: true }).click();
    await waitForText(page, 'nav-audit', 'Audit log');
    await waitForText(page, 'audit-verify-result', 'The hash chain is intact');
    await waitForText(page, 'audit-table', 'Granted role');
    await waitForText(page, 'audit-actor-filter', 'Only actions of 蔡管理员');
    await page.getByTestId('audit-verify').click();
    await waitForText(page, 'audit-verify-result', 'records checked, nothing changed or missing');
    await page.context().close();
  });
});
