// From a photo to a reward, in real browsers: the demo worker reports a broken guardrail with a
// photo from a phone; the 鲤城区 coordinator (no second factor) finds it on the console's report
// desk, reviews it (photos, category, location, likely duplicates) and adopts it with a
// contribution level; the worker's balance rises by that level's points; the worker redeems a
// reward at 老街茶铺 and is shown the code; the shop's merchant confirms it; the worker's
// redemption reads "used" and the balance is what it should be. The console's report parts pass
// axe. NX_SCREENSHOTS=1 also writes docs/screenshots/console-report-{desk,review,adopt,adopted}-zh.png
// (1440×900).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { executablePath, launchArgs, shots } from './browser.js';

const baseUrl = process.env.NX_E2E_BASE_URL;
const PASSWORD = 'Nuanxin@2026';
const WORKER = '13800000001';
/** 郑协调员 (区党建办), coordinator over 鲤城区: a report placed by the phone lands in the district. */
const COORDINATOR = '13800000008';
/** 陈店长（老街茶铺）. */
const MERCHANT = '13800000024';
/** Another reward than points.e2e's, 10 points at 老街茶铺. */
const REWARD = '铁观音一杯';
const REWARD_PRICE = 10;

async function shot(page: Page, name: string): Promise<void> {
  if (!shots) return;
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(shots, name) });
}

(baseUrl ? describe : describe.skip)('a worker’s report, adopted, turned into points and a reward the merchant confirms', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let worker: Page;
  let staff: Page;
  let photo = '';
  let before = 0;
  let earned = 0;
  let code = '';
  const marker = `积分闭环${Date.now()}`;

  async function balance(): Promise<number> {
    await worker.goto(`${baseUrl}/points`);
    await worker.getByTestId('points-balance').waitFor();
    return Number(await worker.getByTestId('points-balance').textContent());
  }

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nx-e2e-r2r-'));
    photo = path.join(dir, 'guardrail.jpg');
    writeFileSync(
      photo,
      await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#7a8c99' } })
        .jpeg()
        .toBuffer(),
    );
    browser = await chromium.launch({ executablePath, args: launchArgs });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
  });

  it('the worker sends a report with a photo from the phone', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 780 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      // Beside one of the demo district's guardrail reports: it will show as a likely duplicate.
      geolocation: { latitude: 24.9047, longitude: 118.587 },
      permissions: ['geolocation'],
    });
    contexts.push(context);
    worker = await context.newPage();
    worker.setDefaultTimeout(15_000);
    await worker.goto(`${baseUrl}/sign-in?redirect=/points`);
    await worker.getByTestId('phone').locator('input').fill(WORKER);
    await worker.getByTestId('password').locator('input').fill(PASSWORD);
    await worker.getByTestId('sign-in-submit').click();
    await worker.getByTestId('points-balance').waitFor();
    before = Number(await worker.getByTestId('points-balance').textContent());

    await worker.goto(`${baseUrl}/report`);
    await worker.getByTestId('report-form').waitFor();
    await worker.getByTestId('report-photo').locator('input[type=file]').setInputFiles(photo);
    await worker.locator('.snap__photo img').first().waitFor();
    await worker.getByTestId('report-category-guardrails').click();
    await worker.getByTestId('report-text').locator('textarea').fill(`${marker} 路口护栏被撞歪，电动车容易刮到`);
    await worker.getByTestId('report-submit').click();
    await worker.getByTestId('report-mine').filter({ hasText: marker }).waitFor();
  });

  it('the coordinator reviews it on the console’s report desk and adopts it with a level', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    contexts.push(context);
    // No tiles or outside maps in a test.
    await context.route(/openstreetmap\.org|tianditu\.gov\.cn/, (route) => route.abort());
    staff = await context.newPage();
    staff.setDefaultTimeout(20_000);
    await staff.goto(`${baseUrl}/console/sign-in`);
    await staff.getByTestId('phone').fill(COORDINATOR);
    await staff.getByTestId('password').fill(PASSWORD);
    await staff.getByTestId('sign-in-submit').click();
    await staff.getByTestId('console-role').waitFor();

    // The desk's kind switch: reports awaiting review.
    await staff.goto(`${baseUrl}/console/matters`);
    await staff.getByTestId('desk-page').waitFor();
    await staff.getByTestId('desk-kind-report').click();
    await staff.getByTestId('desk-tab-todo').click();
    await staff.locator('input[data-testid="desk-q"], [data-testid="desk-q"] input').first().fill(marker);
    const row = staff.getByTestId('desk-row').filter({ hasText: marker });
    await row.waitFor();
    // The search narrows the list to this one report (after its short typing delay).
    await expect.poll(() => staff.getByTestId('desk-row').count()).toBe(1);
    expect(await seriousViolations(staff)).toEqual([]);
    await shot(staff, 'console-report-desk-zh.png');
    await row.click();

    await staff.getByTestId('report-review').waitFor();
    await staff.locator('[data-testid="matter-head"][data-status="submitted"]').waitFor();
    await staff.getByTestId('report-photo').first().locator('img').waitFor();
    expect(await staff.getByTestId('report-category').textContent()).toContain('护栏损坏');
    expect(await staff.getByTestId('report-location').textContent()).toContain('24.9047');
    expect(await staff.getByTestId('report-map-link').getAttribute('href')).toContain('mlat=24.9047');
    // The demo guardrail report a few metres away is a likely duplicate, with a merge button.
    await staff.getByTestId('report-duplicate').first().waitFor();
    await staff.getByTestId('report-merge-into').first().waitFor();
    expect(await seriousViolations(staff)).toEqual([]);
    await shot(staff, 'console-report-review-zh.png');

    // "Merge into this" opens the merge step with that report as the target; cancelled here.
    const dupNumber = await staff.getByTestId('report-duplicate').first().getAttribute('data-number');
    await staff.getByTestId('report-merge-into').first().click();
    const merge = staff.locator('[data-testid="step-dialog"][data-step="merge"]');
    await merge.waitFor();
    await expect.poll(async () => (await merge.textContent()) ?? '').toContain(`编号 ${dupNumber}`);
    await merge.getByRole('button', { name: '取消' }).click();
    await merge.waitFor({ state: 'hidden' });
    // Rejecting needs a reason the worker will read: refused empty, cancelled here.
    await staff.getByTestId('action-reject').click();
    const reject = staff.locator('[data-testid="step-dialog"][data-step="reject"]');
    await reject.waitFor();
    expect(await reject.textContent()).toContain('不予采纳的原因（上报人可见）');
    await staff.getByTestId('step-submit').click();
    await reject.locator('.el-form-item__error').waitFor();
    await reject.getByRole('button', { name: '取消' }).click();
    await reject.waitFor({ state: 'hidden' });
    await staff.locator('[data-testid="matter-head"][data-status="submitted"]').waitFor();

    await staff.getByTestId('action-adopt').click();
    const dialog = staff.locator('[data-testid="step-dialog"][data-step="adopt"]');
    await dialog.waitFor();
    // The levels show the points of the district's rules.
    const useful = staff.getByTestId('report-level-useful');
    await expect.poll(async () => Number((await useful.getAttribute('data-points')) || 0)).toBeGreaterThan(0);
    earned = Number(await useful.getAttribute('data-points'));
    expect(await useful.textContent()).toContain(`${earned} 分`);
    await useful.click();
    await staff.getByTestId('report-department').waitFor();
    expect(await seriousViolations(staff)).toEqual([]);
    await shot(staff, 'console-report-adopt-zh.png');
    // No department named: the routing table sends guardrails to the district's transport bureau.
    await staff.getByTestId('step-submit').click();
    await staff.locator('[data-testid="matter-head"][data-status="dispatched"]').waitFor();
    expect(await staff.getByTestId('matter-owner').textContent()).toContain('交通');
    expect(await staff.getByTestId('report-level').textContent()).toContain('有价值');
    expect(await staff.getByTestId('report-points').textContent()).toContain(`${earned} 分`);
    // The timeline names the kind (a report, not an appeal), and its adopt entry says the level and the points paid.
    await staff.getByTestId('timeline-entry').filter({ hasText: '提交了随手拍' }).waitFor();
    const adoptEntry = staff.getByTestId('timeline-entry').filter({ hasText: '采纳并派给' });
    await adoptEntry.waitFor();
    expect(await adoptEntry.textContent()).toContain('有价值');
    expect(await adoptEntry.textContent()).toContain(`+${earned} 分`);
    await shot(staff, 'console-report-adopted-zh.png');
  });

  it('the worker’s balance rises by the level’s points, and the report’s progress says why', async () => {
    await expect.poll(balance, { timeout: 15_000 }).toBe(before + earned);
    await worker.goto(`${baseUrl}/report`);
    const mine = worker.getByTestId('report-mine').locator('li', { hasText: marker });
    await mine.getByTestId('report-progress').click();
    const adoptEntry = mine.getByTestId('timeline-entry').filter({ hasText: '采纳并派给' });
    await adoptEntry.waitFor();
    expect(await adoptEntry.textContent()).toContain('有价值');
    expect(await adoptEntry.textContent()).toContain(`+${earned} 分`);
  });

  it('the worker redeems a reward and is shown the code', async () => {
    await worker.goto(`${baseUrl}/rewards`);
    await worker.getByTestId('rewards-page').waitFor();
    const item = worker.getByTestId('reward-item').filter({ hasText: REWARD });
    await item.getByTestId('reward-redeem').click();
    await worker.locator('.van-dialog__confirm').click();
    await worker.getByTestId('redemption-qr').waitFor();
    code = (await worker.getByTestId('redemption-short-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[0-9]{8}$/);
    await worker.getByTestId('my-redemptions').locator('li', { hasText: REWARD }).filter({ hasText: '待使用' }).first().waitFor();
  });

  it('the merchant confirms the code', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 780 }, locale: 'zh-CN' });
    contexts.push(context);
    const merchant = await context.newPage();
    merchant.setDefaultTimeout(15_000);
    await merchant.goto(`${baseUrl}/sign-in?redirect=${encodeURIComponent('/merchant')}`);
    await merchant.getByTestId('phone').locator('input').fill(MERCHANT);
    await merchant.getByTestId('password').locator('input').fill(PASSWORD);
    await merchant.getByTestId('sign-in-submit').click();
    await merchant.getByTestId('merchant-page').waitFor();
    await merchant.getByTestId('merchant-pending').filter({ hasText: REWARD }).waitFor();
    await merchant.getByTestId('merchant-code').locator('input').fill(code);
    await merchant.getByTestId('merchant-confirm').click();
    await merchant.getByText('核销成功').waitFor();
  });

  it('the worker’s redemption reads used and the balance is right', async () => {
    await worker.goto(`${baseUrl}/rewards`);
    await worker.getByTestId('my-redemptions').waitFor();
    const mine = worker.getByTestId('my-redemptions').locator('li', { hasText: REWARD }).first();
    await expect.poll(async () => (await mine.textContent()) ?? '').toContain('已使用');
    expect(await balance()).toBe(before + earned - REWARD_PRICE);
    expect(await worker.getByTestId('points-held').count()).toBe(0);
  });
});
