// Scanning a redemption code with the merchant's camera, in a real browser: the demo worker redeems
// a reward at 老街茶铺 (API); the shop's merchant opens the merchant page, taps "扫码核销" and the
// camera (Chromium's fake camera, playing a video made here of the redemption's own QR code) reads
// it; the redemption is then confirmed. Closing the popup stops the camera; without a camera the
// popup says so and typing the code still works. NX_SCREENSHOTS=1 also writes
// docs/screenshots/worker-merchant-scan{,-failed}-zh.png.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, request, type APIRequestContext, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { executablePath, launchArgs, shots } from './browser.js';

const baseUrl = process.env.NX_E2E_BASE_URL;
const PASSWORD = 'Nuanxin@2026';
const WORKER = '13800000001';
/** 陈店长（老街茶铺）. */
const MERCHANT = '13800000024';
const REWARD = '茶叶蛋两个';

// ---- a fake camera: a YUV4MPEG2 video of a QR code ------------------------------------------

const WIDTH = 480;
const HEIGHT = 360;
const FPS = 5;
/** Seconds of an empty grey picture before the code comes into view: time to look, and to close. */
const LEAD_IN_SECONDS = 6;
const CODE_SECONDS = 2;

/**
 * A Y4M file (4:2:0, what Chromium's file-backed fake camera reads): grey frames, then frames
 * with the text's QR code in the middle, black on white with its quiet zone.
 */
function qrVideo(text: string): Buffer {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const quiet = 4;
  const scale = Math.floor((HEIGHT * 0.8) / (size + 2 * quiet));
  const side = (size + 2 * quiet) * scale;
  const left = Math.floor((WIDTH - side) / 2);
  const top = Math.floor((HEIGHT - side) / 2);
  const grey = Buffer.alloc(WIDTH * HEIGHT, 110);
  const code = Buffer.alloc(WIDTH * HEIGHT, 110);
  for (let y = 0; y < side; y += 1) {
    for (let x = 0; x < side; x += 1) {
      const row = Math.floor(y / scale) - quiet;
      const col = Math.floor(x / scale) - quiet;
      const dark = row >= 0 && col >= 0 && row < size && col < size && qr.modules.get(row, col) === 1;
      code[(top + y) * WIDTH + left + x] = dark ? 16 : 235;
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const frame = (luma: Buffer) => [Buffer.from('FRAME\n'), luma, chroma];
  const parts = [Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F${FPS}:1 Ip A1:1 C420jpeg\n`)];
  for (let i = 0; i < LEAD_IN_SECONDS * FPS; i += 1) parts.push(...frame(grey));
  for (let i = 0; i < CODE_SECONDS * FPS; i += 1) parts.push(...frame(code));
  return Buffer.concat(parts);
}

// ---- the worker, through the API -------------------------------------------------------------

interface RedemptionJson {
  id: string;
  status: string;
  rewardTitle: string;
  codes: { token: string; shortCode: string } | null;
}

async function signedInApi(phone: string): Promise<{ api: APIRequestContext; csrf: string }> {
  const api = await request.newContext({ baseURL: baseUrl });
  const res = await api.post('/api/auth/sign-in', { data: { phone, password: PASSWORD } });
  expect(res.status()).toBe(200);
  const csrf = (await api.storageState()).cookies.find((c) => c.name === 'nx_csrf')?.value ?? '';
  return { api, csrf };
}

async function shot(page: Page, name: string): Promise<void> {
  if (!shots) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shots, name) });
}

(baseUrl ? describe : describe.skip)('the merchant scans a redemption code with the camera', () => {
  let dir = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let worker: { api: APIRequestContext; csrf: string };
  let redemption: RedemptionJson;

  async function merchantPage(on: Browser, permissions: string[]): Promise<Page> {
    const context = await on.newContext({ viewport: { width: 375, height: 780 }, locale: 'zh-CN', permissions });
    contexts.push(context);
    // Every stream the page opens, so the test can tell whether its tracks were stopped.
    await context.addInitScript(() => {
      const streams: MediaStream[] = [];
      (window as unknown as { nxStreams: MediaStream[] }).nxStreams = streams;
      const media = navigator.mediaDevices;
      if (!media?.getUserMedia) return;
      const original = media.getUserMedia.bind(media);
      media.getUserMedia = async (constraints) => {
        const stream = await original(constraints);
        streams.push(stream);
        return stream;
      };
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${baseUrl}/sign-in?redirect=${encodeURIComponent('/merchant')}`);
    await page.getByTestId('phone').locator('input').fill(MERCHANT);
    await page.getByTestId('password').locator('input').fill(PASSWORD);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('merchant-page').waitFor();
    await page.getByTestId('merchant-scan').waitFor();
    // The sign-in toast gone, so that it is not in the pictures.
    await page.locator('.van-toast').waitFor({ state: 'hidden' });
    return page;
  }

  /** The tracks of every stream the page opened: [opened, still live]. */
  const tracks = (page: Page) =>
    page.evaluate(() => {
      const all = (window as unknown as { nxStreams: MediaStream[] }).nxStreams.flatMap((s) => s.getTracks());
      return [all.length, all.filter((t) => t.readyState === 'live').length];
    });

  beforeAll(async () => {
    worker = await signedInApi(WORKER);
    const rewards = (await (await worker.api.get('/api/rewards')).json()) as { items: { id: string; title: string }[] };
    const reward = rewards.items.find((r) => r.title === REWARD);
    expect(reward).toBeDefined();
    const res = await worker.api.post(`/api/rewards/${reward?.id}/redemptions`, {
      headers: { 'x-csrf-token': worker.csrf, 'idempotency-key': `scan-e2e-${Date.now()}` },
    });
    expect(res.status()).toBe(201);
    redemption = (await res.json()) as RedemptionJson;
    expect(redemption.codes?.token).toMatch(/^[A-Za-z0-9_-]{32}$/);

    dir = mkdtempSync(path.join(tmpdir(), 'nx-e2e-scan-'));
    const video = path.join(dir, 'redemption-qr.y4m');
    writeFileSync(video, qrVideo(redemption.codes?.token ?? ''));
    browser = await chromium.launch({
      executablePath,
      args: [
        ...launchArgs,
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await worker?.api.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the camera in a popup, and closing the popup stops the camera', async () => {
    const page = await merchantPage(browser, ['camera']);
    await page.getByTestId('merchant-scan').click();
    const popup = page.locator('[data-testid="merchant-scan-popup"][data-state="scanning"]');
    await popup.waitFor();
    expect(await tracks(page)).toEqual([1, 1]);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'worker-merchant-scan-zh.png');
    // Still grey: nothing read yet, so nothing confirmed; closing ends the camera.
    await page.getByTestId('merchant-scan-type').click();
    await popup.waitFor({ state: 'hidden' });
    await expect.poll(() => tracks(page)).toEqual([1, 0]);
    const mine = (await (await worker.api.get('/api/me/redemptions')).json()) as { items: RedemptionJson[] };
    expect(mine.items.find((r) => r.id === redemption.id)?.status).toBe('pending');
  });

  it('reads the worker’s QR code from the camera and confirms the redemption', async () => {
    const page = await merchantPage(browser, ['camera']);
    await page.getByTestId('merchant-pending').filter({ hasText: REWARD }).waitFor();
    await page.getByTestId('merchant-scan').click();
    await page.locator('[data-testid="merchant-scan-popup"][data-state="scanning"]').waitFor();
    // The same message as a typed code, once the code comes into view.
    await page.getByText(`核销成功：${REWARD}`).waitFor({ timeout: 20_000 });
    await page.getByTestId('merchant-scan-popup').waitFor({ state: 'hidden' });
    expect(await tracks(page)).toEqual([1, 0]);

    const mine = (await (await worker.api.get('/api/me/redemptions')).json()) as { items: RedemptionJson[] };
    expect(mine.items.find((r) => r.id === redemption.id)).toMatchObject({ status: 'confirmed', codes: null });
  });

  it('without a camera the popup says so, and the code can still be typed', async () => {
    // A browser with no fake camera and no permission for one.
    const plain = await chromium.launch({ executablePath, args: launchArgs });
    try {
      const page = await merchantPage(plain, []);
      await page.getByTestId('merchant-scan').click();
      const error = page.getByTestId('merchant-scan-error');
      await error.waitFor();
      expect(await error.textContent()).toMatch(/相机.*请在上方输入 8 位数字码/);
      expect(await seriousViolations(page)).toEqual([]);
      await shot(page, 'worker-merchant-scan-failed-zh.png');
      await page.getByTestId('merchant-scan-type').click();
      await page.getByTestId('merchant-scan-popup').waitFor({ state: 'hidden' });
      // The typed path answers as before: a used code is refused with its message.
      await page
        .getByTestId('merchant-code')
        .locator('input')
        .fill(redemption.codes?.shortCode ?? '');
      await page.getByTestId('merchant-confirm').click();
      await page.getByText('该兑换码已使用').waitFor();
    } finally {
      await plain.close();
    }
  });
});
