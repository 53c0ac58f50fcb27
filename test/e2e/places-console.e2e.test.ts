// The console's places pages, in a real browser, as the 鲤城区 coordinator (no second factor):
// a place is created with the map picker and the hours editor (an overlapping period is refused
// with the server's message first), a CSV with one bad row is imported and its report read, and
// the coverage view of 鲤城区 shows the share and ranked suggestions. Map tiles are blocked: the
// pages must work on a blank background. NX_SCREENSHOTS=1 also writes
// docs/screenshots/console-places*.png and console-coverage*.png (1440×900).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { executablePath, launchArgs, shots } from './browser.js';

const baseUrl = process.env.NX_E2E_BASE_URL;
const PASSWORD = 'Nuanxin@2026';
/** 郑协调员 (区党建办), coordinator over 鲤城区. */
const COORDINATOR = '13800000008';

async function shot(page: Page, name: string): Promise<void> {
  if (!shots) return;
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(shots, name) });
}

/** The text box of an Element Plus input, whichever element carries the test id. */
function field(page: Page, testId: string) {
  return page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}

/** Picks a value in an Element Plus select that filters as one types. */
async function pickOption(page: Page, select: ReturnType<Page['getByTestId']>, value: string): Promise<void> {
  await select.click();
  await page.keyboard.type(value);
  await page.locator('.el-select-dropdown__item:visible', { hasText: value }).first().click();
}

(baseUrl ? describe : describe.skip)('places in the console', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const stamp = String(Date.now()).slice(-6);
  const placeName = `测试驿站${stamp}`;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath, args: launchArgs });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    // No tiles from outside: the maps must stand on their own.
    await context.route(/tianditu\.gov\.cn/, (route) => route.abort());
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${baseUrl}/console/sign-in`);
    await page.getByTestId('phone').fill(COORDINATOR);
    await page.getByTestId('password').fill(PASSWORD);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('console-role').waitFor();
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close();
  });

  it('lists the district’s places beside a map, with kind, region, amenities and whether they are open now', async () => {
    await page.getByTestId('nav-places').click();
    await page.getByTestId('places-table').waitFor();
    await page.getByTestId('places-row').first().waitFor();
    const total = Number(await page.getByTestId('places-total').getAttribute('data-total'));
    expect(total).toBeGreaterThanOrEqual(43);
    // No tile key in the test server: a blank map with its markers and a notice saying so.
    await page.locator('[data-testid="map-canvas"][data-ready="true"]').waitFor();
    await page.getByTestId('map-no-tiles').waitFor();
    expect(await page.locator('.leaflet-interactive').count()).toBeGreaterThan(0);
    const table = await page.getByTestId('places-table').innerText();
    expect(table).toMatch(/暖新驿站|爱心商户取水点/);
    expect(table).toMatch(/营业中|已休息|24 小时/);
    await page.locator('.el-message').first().waitFor({ state: 'hidden', timeout: 8_000 });
    await shot(page, 'console-places-zh.png');
    expect(await seriousViolations(page)).toEqual([]);

    // The register exports as Excel (the import's headings), and each place has its QR poster.
    const workbook = page.waitForEvent('download');
    await page.getByTestId('places-export').click();
    await page.getByTestId('places-export-xlsx').click();
    expect((await workbook).suggestedFilename()).toMatch(/\.xlsx$/);
    const poster = page.waitForEvent('download');
    await page.getByTestId('places-poster').first().click();
    expect((await poster).suggestedFilename()).toMatch(/\.png$/);
  });

  it('creates a place with the map picker and the hours editor; overlapping hours are refused with the server’s message', async () => {
    await page.getByTestId('nav-places').click();
    await page.getByTestId('places-new').click();
    await page.getByTestId('place-form').waitFor();
    await page.locator('[data-testid="map-canvas"][data-ready="true"]').first().waitFor();
    await field(page, 'place-name').fill(placeName);
    await field(page, 'place-address').fill('泉州市鲤城区中山中路 88 号');

    // The picker: a click in the middle of the district's places sets the coordinates (WGS-84).
    const map = page.getByTestId('map-canvas').first();
    const box = await map.boundingBox();
    if (!box) throw new Error('no map');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(async () => field(page, 'place-lat').inputValue()).toMatch(/^2[45]\.\d+/);
    expect(await field(page, 'place-lng').inputValue()).toMatch(/^11[89]\.\d+/);
    expect(await page.locator('.nx-map-pin').count()).toBe(1);

    // The region chosen in the tree (left empty, it would be derived from the point).
    await page.getByTestId('place-form').getByTestId('place-region').click();
    await page.locator('.el-tree-node__content:visible', { hasText: '鲤城区' }).first().click();

    await page.getByTestId('amenity-phone_charging').click();
    await page.getByTestId('amenity-drinking_water').click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'console-places-editor-zh.png');

    // Monday gets a second period that overlaps 09:00–18:00: marked here, refused by the server.
    await page.getByTestId('hours-add-1').click();
    const monday = page.getByTestId('hours-day-1');
    await expect.poll(async () => monday.getByTestId('hours-period').count()).toBe(2);
    await pickOption(page, monday.getByTestId('hours-opens').nth(1), '10:00');
    await monday.getByTestId('hours-problem').filter({ hasText: '与同一天其他时段重叠' }).waitFor();
    await page.getByTestId('place-save').click();
    await page.getByTestId('hours-error').filter({ hasText: '营业时间不正确' }).waitFor();
    expect(page.url()).toMatch(/\/console\/places\/new$/);
    await shot(page, 'console-places-hours-error-zh.png');

    // Take the overlap away, copy Monday to the weekdays, close on a holiday, save.
    await monday.getByTestId('hours-remove').nth(1).click();
    await page.getByTestId('hours-add-6').click();
    await page.getByTestId('hours-copy-monday').click();
    await page.getByTestId('hours-add-exception').click();
    expect(await page.getByTestId('hours-exception').count()).toBe(1);
    await page.getByTestId('place-save').click();
    await page.waitForURL(/\/console\/places\/[0-9a-f-]{36}$/);
    await page.getByTestId('place-title').filter({ hasText: placeName }).waitFor();
    const id = page.url().split('/').pop() ?? '';

    // What the server kept: the picked point, Monday to Saturday 09:00–18:00, the closed day.
    const saved = (await page.evaluate(async (placeId) => (await fetch(`/api/places/${placeId}`)).json(), id)) as {
      location: { lat: number; lng: number };
      hours: { weekday: number; opens: string; closes: string }[];
      exceptions: { date: string; opens: string | null }[];
      amenities: { code: string }[];
      regionName: string;
    };
    expect(saved.hours.map((h) => h.weekday).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(saved.hours.every((h) => h.opens === '09:00' && h.closes === '18:00')).toBe(true);
    expect(saved.exceptions).toHaveLength(1);
    expect(saved.exceptions[0]?.opens).toBeNull();
    expect(saved.amenities.map((a) => a.code).sort()).toEqual(['drinking_water', 'phone_charging']);
    expect(saved.regionName).toContain('鲤城区');
    expect(saved.location.lat).toBeGreaterThan(24);

    // The station view of the new place: today's visitors and the amenities' switches.
    await page.getByRole('tab', { name: '驿站值守' }).click();
    await page.getByTestId('station-panel').waitFor();
    await page.getByTestId('station-checkins').waitFor();
    await page.getByTestId('station-amenity-phone_charging').locator('.el-switch').click();
    await page.getByTestId('station-amenity-phone_charging').getByText('暂停使用').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // Back in the register, a search finds it.
    await page.getByTestId('nav-places').click();
    await field(page, 'places-q').fill(placeName);
    await page.locator(`[data-testid="places-row"][data-name="${placeName}"]`).waitFor();
  });

  it('imports a CSV with one broken row among good ones and reports every row', async () => {
    await page.getByTestId('nav-places').click();
    await page.getByTestId('places-import').click();
    await page.getByTestId('import-dialog').waitFor();
    const csv = [
      '名称,类型,纬度,经度,地址,设施,营业时间',
      `导入驿站甲${stamp},暖新驿站,24.915,118.585,泉州市鲤城区一号,饮用水、手机充电,08:00-20:00`,
      `导入驿站乙${stamp},warm_station,91,118.586,泉州市鲤城区二号,饮用水,08:00-20:00`,
      `导入取水点丙${stamp},爱心商户取水点,24.918,118.588,泉州市鲤城区三号,饮用水,09:00-12:00`,
    ].join('\r\n');
    await page.getByTestId('import-file').setInputFiles({ name: '点位.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByTestId('import-file-name').filter({ hasText: '点位.csv' }).waitFor();
    await page.getByTestId('import-send').click();
    await page.getByTestId('import-report').waitFor();
    const summary = await page.getByTestId('import-summary').innerText();
    expect(summary).toContain('已导入 2 行');
    expect(summary).toContain('未导入 1 行');
    const rows = await page.getByTestId('import-rows').innerText();
    expect(rows).toContain(`导入驿站乙${stamp}`);
    expect(await page.getByTestId('import-reason').count()).toBe(1);
    // The refused row says which column was wrong.
    expect(await page.getByTestId('import-reason').innerText()).toContain('纬度');
    await shot(page, 'console-places-import-zh.png');
    expect(await seriousViolations(page)).toEqual([]);

    // The template is a header row the import takes back.
    const download = page.waitForEvent('download');
    await page.getByTestId('import-template').click();
    expect((await download).suggestedFilename()).toMatch(/\.csv$/);
    await page.keyboard.press('Escape');
  });

  it('schedules a mobile service stop at a spot picked on the map, then cancels it', async () => {
    await page.getByTestId('nav-placeStops').click();
    await page.getByTestId('stops-page').waitFor();
    await page.getByTestId('stops-new').click();
    const dialog = page.getByTestId('stops-dialog');
    await dialog.waitFor();
    const stopName = `流动服务车${stamp}`;
    await field(page, 'stops-name').fill(stopName);
    await dialog.locator('[data-testid="map-canvas"][data-ready="true"]').waitFor();
    const box = await dialog.getByTestId('map-canvas').boundingBox();
    if (!box) throw new Error('no map');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await dialog.locator('.nx-map-pin').waitFor();
    // Tomorrow 10:00–14:00, typed into the range picker.
    const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const ends = dialog.locator('.el-range-input');
    await ends.nth(0).fill(`${day} 10:00`);
    await ends.nth(0).press('Enter');
    await ends.nth(1).fill(`${day} 14:00`);
    await ends.nth(1).press('Enter');
    await page.getByTestId('stops-team').click();
    await page.locator('.el-select-dropdown__item:visible').first().click();
    await page.getByTestId('stops-save').click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByTestId('stops-table').locator('tr', { hasText: stopName });
    await row.getByText('待开始').waitFor();
    expect(await row.innerText()).toContain('10:00 – 14:00');
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByTestId('stops-cancel').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await row.getByText('已取消').waitFor();
  });

  it('shows the coverage of 鲤城区: the share, the cells and ranked suggested sites', async () => {
    await page.getByTestId('nav-coverage').click();
    await page.getByTestId('coverage-page').waitFor();
    await page.getByTestId('coverage-result').waitFor({ timeout: 40_000 });
    const share = Number(await page.getByTestId('coverage-share').getAttribute('data-share'));
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThanOrEqual(1);
    expect(await page.getByTestId('coverage-share').innerText()).toMatch(/^\d+(\.\d)?%$/);
    expect(await page.getByTestId('coverage-cells').innerText()).toMatch(/^[\d,]+ \/ [\d,]+$/);
    expect(await page.getByTestId('coverage-suggestion').count()).toBeGreaterThan(0);
    expect(await page.locator('.nx-map-badge').count()).toBe(await page.getByTestId('coverage-suggestion').count());
    await shot(page, 'console-coverage-zh.png');
    expect(await seriousViolations(page)).toEqual([]);

    // Walking reaches less than an e-bike does in the same 15 minutes.
    await page.getByTestId('coverage-mode').getByText('步行').click();
    await page.getByTestId('coverage-run').click();
    await expect
      .poll(async () => Number(await page.getByTestId('coverage-share').getAttribute('data-share')), { timeout: 40_000 })
      .toBeLessThan(share);

    // The same view in English.
    await page.getByTestId('lang-switch').getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: '15-minute circle' }).waitFor();
    await page.getByText('Suggested new sites').waitFor();
    await shot(page, 'console-coverage-en.png');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('lang-switch').getByText('中文', { exact: true }).click();
  });
});
