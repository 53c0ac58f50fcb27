// A worker's own account in a real browser, on a phone-sized screen: registering with a one-time
// code read from the test's SMS outbox, the profile, the data export, English, and closing the account.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { executablePath, launchArgs } from './browser.js';

const baseUrl = process.env.NX_E2E_BASE_URL;
const outbox = process.env.NX_E2E_SMS_OUTBOX;

/** The newest one-time code texted to the phone, waiting a little for it to arrive. */
async function codeSentTo(phone: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    if (outbox && existsSync(outbox)) {
      const codes = readFileSync(outbox, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { phone: string; code?: string })
        .filter((m) => m.phone === phone && m.code);
      const last = codes.at(-1)?.code;
      if (last) return last;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code was texted to ${phone}`);
}

async function waitForText(page: Page, testId: string, expected: string): Promise<void> {
  await page.getByTestId(testId).filter({ hasText: expected }).first().waitFor({ state: 'visible' });
}

(baseUrl && outbox ? describe : describe.skip)('a worker registers, keeps a profile, exports and closes the account', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const phone = `137${String(Date.now()).slice(-8)}`;
  const password = 'ride2026go';

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath, args: launchArgs });
    context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close();
  });

  it('registers from the sign-in page with the texted code, a home community and the privacy notice', async () => {
    await page.goto(`${baseUrl}/me`);
    await page.getByTestId('me-sign-in').click();
    await page.getByTestId('to-register').click();
    await page.waitForURL(/\/register/);

    await page.getByTestId('register-phone').locator('input').fill(phone);
    await page.getByTestId('register-send-code').click();
    // The button counts down before it may send again.
    await waitForText(page, 'register-send-code', '秒后重发');
    await page
      .getByTestId('register-code')
      .locator('input')
      .fill(await codeSentTo(phone));
    await page.getByTestId('register-password').locator('input').fill(password);
    await page.getByTestId('register-name').locator('input').fill('刘师傅');

    await page.getByTestId('register-region').click();
    const cascader = page.getByTestId('region-cascader');
    await cascader.getByText('鲤城区', { exact: true }).click();
    await cascader.getByText('海滨街道', { exact: true }).click();
    await cascader.getByText('金山社区', { exact: true }).click();
    await expect.poll(() => page.getByTestId('register-region').locator('input').inputValue()).toBe('鲤城区 / 海滨街道 / 金山社区');

    // Registering without accepting the privacy notice is refused on the page.
    await page.getByTestId('register-submit').click();
    await page.getByText('请先阅读并同意隐私政策').waitFor();
    await page.getByTestId('register-privacy-open').click();
    await page.getByTestId('privacy-notice').getByText('精确位置').first().waitFor();
    await page.getByTestId('privacy-notice').getByRole('button', { name: '我知道了' }).click();
    await page.getByTestId('register-privacy').click();
    await page.getByTestId('register-submit').click();

    await page.waitForURL(`${baseUrl}/me`);
    await waitForText(page, 'me-name', '刘师傅');
    await waitForText(page, 'me-role', '劳动者');
    await waitForText(page, 'me-role', '金山社区');
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('fills in the profile with a suggested platform, and the Me tab sums it up', async () => {
    await page.getByTestId('me-profile').click();
    await page.getByTestId('profile-page').waitFor();
    await page.getByTestId('profile-occupation').click();
    await page.getByText('外卖骑手', { exact: true }).click();
    await page.getByTestId('profile-platform').locator('input').fill('美');
    await page.getByTestId('profile-platform-suggestion').filter({ hasText: '美团' }).click();
    expect(await page.getByTestId('profile-platform').locator('input').inputValue()).toBe('美团');
    await page.getByTestId('profile-serves-collector').click();
    expect(await seriousViolations(page)).toEqual([]);
    // Party membership can be given only after its own consent.
    expect(await page.getByTestId('profile-party-member').count()).toBe(0);
    await page.getByTestId('profile-party-consent').click();
    await page.getByTestId('profile-party-member').click();
    await page.getByTestId('profile-save').click();

    await page.waitForURL(`${baseUrl}/me`);
    await waitForText(page, 'me-summary', '外卖骑手 · 美团 · 金山社区');
    const profile = await page.evaluate(async () => (await fetch('/api/me/profile')).json());
    expect(profile).toMatchObject({
      occupation: 'food_delivery',
      platform: '美团',
      serves: { collector: true },
      partyConsent: true,
      partyMember: true,
    });
  });

  it('turns precise location on and lists this device among the signed-in ones, in English', async () => {
    await page.getByTestId('me-location').click();
    await page.getByText('已允许使用精确位置').waitFor();
    const consents = await page.evaluate(async () => (await fetch('/api/me/consents')).json());
    expect(consents.items[0]).toMatchObject({ kind: 'location', granted: true });

    await page.getByTestId('me-language').click();
    await page.getByText('English', { exact: true }).click();
    await page.getByText('Account and privacy', { exact: true }).waitFor();
    await waitForText(page, 'me-profile', 'Profile');
    await waitForText(page, 'me-data', 'My data');
    await page.getByTestId('me-devices').click();
    await page.getByTestId('devices-page').waitFor();
    await waitForText(page, 'device', 'This device');
    await page.getByText('Sign out everywhere').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('downloads everything held about the worker as JSON', async () => {
    await page.goto(`${baseUrl}/me/data`);
    await page.getByText('Download my data').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-data').click()]);
    expect(download.suggestedFilename()).toMatch(/^nuanxin-my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const file = await download.path();
    const data = JSON.parse(readFileSync(file, 'utf8')) as {
      account: { phone: string; displayName: string };
      profile: { platform: string };
    };
    expect(data.account).toMatchObject({ phone, displayName: '刘师傅' });
    expect(data.profile.platform).toBe('美团');
  });

  it('closes the account only with the password, the acknowledgement and a last confirmation', async () => {
    await page.getByTestId('delete-password').locator('input').fill('not-my-password1');
    expect(await page.getByTestId('delete-account').isDisabled()).toBe(true);
    await page.getByTestId('delete-understand').click();
    await page.getByTestId('delete-account').click();
    await page.locator('.van-dialog__confirm').click();
    await page.getByText('The password is not right').waitFor();

    await page.getByTestId('delete-password').locator('input').fill(password);
    await page.getByTestId('delete-account').click();
    await page.locator('.van-dialog__confirm').click();
    await page.waitForURL(`${baseUrl}/`);
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);

    // The number can no longer sign in.
    const res = await fetch(`${baseUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone, password }),
    });
    expect(res.status).toBe(401);
  });
});
