// Red points on phones: the demo worker sees their points, redeems a reward at 老街茶铺 and is
// shown a QR code and an 8-digit code; the shop's merchant types the code on the merchant page
// and confirms it; the worker's points are spent and the shop's statement shows them.
// NX_SCREENSHOTS=1 also writes docs/screenshots/worker-points*.png.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { executablePath, launchArgs, shots } from './browser.js';

const baseUrl = process.env.NX_E2E_BASE_URL;
const PASSWORD = 'Nuanxin@2026';
const WORKER = '13800000001';
const MERCHANT = '13800000024';
const REWARD = '茶叶蛋两个';

async function shot(page: Page, name: string): Promise<void> {
  if (!shots) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shots, name), fullPage: true });
}

(baseUrl ? describe : describe.skip)('points and a reward redeemed at a partner shop', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let worker: Page;
  let merchant: Page;
  let before = 0;
  let code = '';

  async function signedIn(phone: string, to: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 375, height: 780 }, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${baseUrl}/sign-in?redirect=${encodeURIComponent(to)}`);
    await page.getByTestId('phone').locator('input').fill(phone);
    await page.getByTestId('password').locator('input').fill(PASSWORD);
    await page.getByTestId('sign-in-submit').click();
    return page;
  }

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath, args: launchArgs });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
  });

  it('the worker sees their balance and what expires when', async () => {
    worker = await signedIn(WORKER, '/points');
    await worker.getByTestId('points-page').waitFor();
    await worker.getByTestId('points-balance').waitFor();
    before = Number(await worker.getByTestId('points-balance').textContent());
    expect(before).toBeGreaterThanOrEqual(8);
    await worker.getByTestId('points-expiring').waitFor();
    await worker.getByTestId('points-history').waitFor();
    expect(await seriousViolations(worker)).toEqual([]);
    await shot(worker, 'worker-points-zh.png');
  });

  it('redeems a reward and is shown a QR code and an 8-digit code', async () => {
    await worker.getByTestId('points-to-rewards').click();
    await worker.getByTestId('rewards-page').waitFor();
    const item = worker.getByTestId('reward-item').filter({ hasText: REWARD });
    await item.getByTestId('reward-redeem').click();
    await worker.locator('.van-dialog__confirm').click();
    await worker.getByTestId('redemption-qr').waitFor();
    code = (await worker.getByTestId('redemption-short-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[0-9]{8}$/);
    expect(await seriousViolations(worker)).toEqual([]);
    await shot(worker, 'worker-points-redeemed-zh.png');
  });

  it('the merchant confirms the code once; a second time is refused', async () => {
    merchant = await signedIn(MERCHANT, '/merchant');
    await merchant.getByTestId('merchant-page').waitFor();
    await merchant.getByTestId('merchant-pending').filter({ hasText: REWARD }).waitFor();
    expect(await seriousViolations(merchant)).toEqual([]);
    await merchant.getByTestId('merchant-code').locator('input').fill(code);
    await merchant.getByTestId('merchant-confirm').click();
    await merchant.getByText('核销成功').waitFor();
    await shot(merchant, 'worker-points-merchant-zh.png');
    await expect.poll(async () => (await merchant.getByTestId('merchant-statement-total').textContent()) ?? '').toMatch(/收到 [1-9][0-9]* 积分/);
    await merchant.getByTestId('merchant-code').locator('input').fill(code);
    await merchant.getByTestId('merchant-confirm').click();
    await merchant.getByText('该兑换码已使用').waitFor();
  });

  it('the worker’s points are spent', async () => {
    await worker.goto(`${baseUrl}/points`);
    await worker.getByTestId('points-balance').waitFor();
    await expect.poll(async () => Number(await worker.getByTestId('points-balance').textContent())).toBe(before - 8);
    expect(await worker.getByTestId('points-held').count()).toBe(0);
  });
});
