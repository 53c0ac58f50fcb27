// The worker app's service map on a phone: at 14:00 the nearest station with charging is closed
// for lunch, so two taps (the charging chip, the first item) lead to the nearest OPEN one; its
// page has navigation links in the map apps' own datums, and checking in twice in an hour says
// when the next check-in is allowed. Tiles are blocked throughout: the list must not need them.
// NX_SCREENSHOTS=1 also writes docs/screenshots/worker-map*.png and worker-places*.png.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { executablePath, launchArgs, shots } from './browser.js';

const baseUrl = process.env.NX_E2E_BASE_URL;

/** 14:00 Beijing time on an ordinary Wednesday: the lunch-closing stations (12:00–14:30) are shut. */
const AT = new Date('2026-11-25T06:00:00Z');

interface Loc {
  lat: number;
  lng: number;
}
interface Place {
  id: string;
  name: string;
  location: Loc;
  hours: { weekday: number; opens: string; closes: string }[];
  amenities: { code: string }[];
}
interface Near {
  place: Place;
  openNow: boolean;
  distanceM: number;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(`${baseUrl}${url}`);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

function nearest(at: Loc, openOnly: boolean): Promise<{ items: Near[] }> {
  const q = new URLSearchParams({
    lat: String(at.lat),
    lng: String(at.lng),
    amenity: 'phone_charging',
    openAt: AT.toISOString(),
    openOnly: String(openOnly),
    limit: '5',
  });
  return getJson(`/api/places/nearest?${q}`);
}

async function shot(page: Page, name: string): Promise<void> {
  if (!shots) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shots, name) });
}

(baseUrl ? describe : describe.skip)('a rider finds the nearest open place with charging at 14:00', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let rider: Loc;
  let closed: Near;
  let open: Near;
  const tileRequests: string[] = [];

  beforeAll(async () => {
    // A demo station with charging that closes over lunch; the rider stands next to it.
    const centre = { lat: 24.92, lng: 118.585 };
    const all = await nearest(centre, false);
    const wide = await getJson<{ items: Near[] }>(
      `/api/places/nearest?lat=${centre.lat}&lng=${centre.lng}&amenity=phone_charging&openOnly=false&limit=50&openAt=${AT.toISOString()}`,
    );
    const lunch = [...all.items, ...wide.items].find((n) => !n.openNow && n.place.hours.some((h) => h.closes === '12:00'));
    if (!lunch) throw new Error('no demo station with charging closes over lunch');
    rider = { lat: lunch.place.location.lat + 0.0001, lng: lunch.place.location.lng + 0.0001 };
    const [anyFirst] = (await nearest(rider, false)).items;
    const [openFirst] = (await nearest(rider, true)).items;
    if (!anyFirst || !openFirst) throw new Error('no places near the rider');
    closed = anyFirst;
    open = openFirst;

    browser = await chromium.launch({ executablePath, args: launchArgs });
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      geolocation: { latitude: rider.lat, longitude: rider.lng, accuracy: 20 },
      permissions: ['geolocation'],
    });
    // No tile server is reachable: every request leaving our origin fails.
    await context.route(
      (url) => url.origin !== new URL(baseUrl ?? '').origin,
      (route) => {
        tileRequests.push(route.request().url());
        return route.abort('internetdisconnected');
      },
    );
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.clock.setFixedTime(AT);
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close();
  });

  it('the nearest charging station is the closed one, so the list must skip it', () => {
    expect(closed.openNow).toBe(false);
    expect(closed.distanceM).toBeLessThan(50);
    expect(open.openNow).toBe(true);
    expect(open.place.id).not.toBe(closed.place.id);
  });

  it('two taps from the map tab: the charging chip, then the first item, the nearest open one', async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('tab-map').click();
    await page.getByTestId('place-item').first().waitFor();
    await expect.poll(() => page.getByTestId('map-position').getAttribute('data-source')).toBe('device');
    // "Open now" is on from the start.
    expect(await page.getByTestId('chip-open-now').getAttribute('aria-pressed')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'worker-places-list-zh.png');

    await page.getByTestId('chip-amenity-phone_charging').click();
    await expect.poll(() => page.getByTestId('place-item').first().getAttribute('data-place-id')).toBe(open.place.id);
    const first = page.getByTestId('place-item').first();
    expect(await first.getByTestId('place-item-state').textContent()).toContain('营业中');
    expect(await page.locator(`[data-place-id="${closed.place.id}"]`).count()).toBe(0);
    await shot(page, 'worker-places-charging-zh.png');

    await first.click();
    await page.waitForURL(`${baseUrl}/places/${open.place.id}`);
    await page.getByTestId('place-name').filter({ hasText: open.place.name }).waitFor();
    expect(await page.getByTestId('place-state').textContent()).toMatch(/营业中|24 小时/);
  });

  it('the place page links to AMap, Baidu and Apple Maps with converted coordinates', async () => {
    const gcj = await getJson<Place>(`/api/places/${open.place.id}?datum=gcj02`);
    const bd = await getJson<Place>(`/api/places/${open.place.id}?datum=bd09`);
    // The conversion moves the point by some hundred metres in Quanzhou: WGS-84 would be wrong.
    expect(Math.abs(gcj.location.lng - open.place.location.lng)).toBeGreaterThan(0.002);
    expect(Math.abs(bd.location.lng - gcj.location.lng)).toBeGreaterThan(0.002);
    const f = (n: number) => n.toFixed(6);
    await page.getByTestId('nav-amap').waitFor();
    const amap = new URL((await page.getByTestId('nav-amap').getAttribute('href')) ?? '');
    expect(amap.host).toBe('uri.amap.com');
    expect(amap.searchParams.get('position')).toBe(`${f(gcj.location.lng)},${f(gcj.location.lat)}`);
    expect(amap.searchParams.get('coordinate')).toBe('gaode');
    expect(amap.searchParams.get('name')).toBe(open.place.name);
    const baidu = new URL((await page.getByTestId('nav-baidu').getAttribute('href')) ?? '');
    expect(baidu.searchParams.get('location')).toBe(`${f(bd.location.lat)},${f(bd.location.lng)}`);
    expect(baidu.searchParams.get('coord_type')).toBe('bd09ll');
    const apple = new URL((await page.getByTestId('nav-apple').getAttribute('href')) ?? '');
    expect(apple.searchParams.get('ll')).toBe(`${f(gcj.location.lat)},${f(gcj.location.lng)}`);

    // Today is highlighted in the week's hours; the QR code holds this page's address.
    expect(await page.getByTestId('hours-today').textContent()).toContain('今天');
    await page.getByTestId('place-qr').waitFor();
    // Signed out: the button asks to sign in first.
    expect(await page.getByTestId('place-check-in').textContent()).toContain('登录后签到');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'worker-places-place-zh.png');
  });

  it('a signed-in worker checks in once an hour; the second try says when the next one is allowed', async () => {
    const res = await page.request.post(`${baseUrl}/api/auth/sign-in`, { data: { phone: '13800000001', password: 'Nuanxin@2026' } });
    expect(res.status()).toBe(200);
    await page.reload();
    await page.getByTestId('place-check-in').filter({ hasText: '到站签到' }).waitFor();
    await page.getByTestId('place-check-in').click();
    await page.getByTestId('place-check-in-message').filter({ hasText: '签到成功' }).waitFor();

    await page.getByTestId('place-check-in').click();
    const message = page.getByTestId('place-check-in-message').filter({ hasText: '已签到过' });
    await message.waitFor();
    // The time shown is the server's next allowed check-in, in Beijing time.
    const csrf = (await context.cookies()).find((c) => c.name === 'nx_csrf')?.value ?? '';
    const again = await page.request.post(`${baseUrl}/api/places/${open.place.id}/check-ins`, {
      headers: { 'x-csrf-token': csrf },
      data: {},
    });
    expect(again.status()).toBe(409);
    const body = (await again.json()) as { error: { code: string; details: { nextAllowedAt: string } } };
    expect(body.error.code).toBe('already_checked_in');
    const next = new Date(new Date(body.error.details.nextAllowedAt).getTime() + 8 * 3600_000).toISOString().slice(11, 16);
    expect(await message.textContent()).toContain(next);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('an amenity staff mark out of service is struck through with their note', async () => {
    const staff = await browser.newContext();
    try {
      const signIn = await staff.request.post(`${baseUrl}/api/auth/sign-in`, { data: { phone: '13800000008', password: 'Nuanxin@2026' } });
      expect(signIn.status()).toBe(200);
      const csrf = (await staff.cookies()).find((c) => c.name === 'nx_csrf')?.value ?? '';
      const marked = await staff.request.put(`${baseUrl}/api/places/${open.place.id}/amenities/drinking_water`, {
        headers: { 'x-csrf-token': csrf },
        data: { outOfService: true, note: '净水器维修中' },
      });
      expect(marked.status()).toBe(200);
    } finally {
      await staff.close();
    }
    await page.reload();
    const water = page.getByTestId('amenity-drinking_water');
    await water.filter({ hasText: '净水器维修中' }).waitFor();
    expect(await water.evaluate((el) => el.classList.contains('is-off'))).toBe(true);
    expect(await water.locator('.amenity__label').evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe('line-through');
    await page.getByTestId('place-hours').scrollIntoViewIfNeeded();
    await page.evaluate(() => document.querySelector('[data-testid="place-hours"]')?.scrollIntoView({ block: 'start' }));
    await shot(page, 'worker-places-hours-zh.png');
  });

  it('the map view draws the places without tiles and the list stays under it', async () => {
    await page.goto(`${baseUrl}/map`);
    await page.getByTestId('view-map').click();
    await page.getByTestId('place-map').waitFor();
    await page.getByTestId('place-map-notice').waitFor();
    // One marker per place in the list, and one for the rider.
    const items = await page.getByTestId('place-item').count();
    expect(items).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.leaflet-overlay-pane path.leaflet-interactive').count()).toBe(items + 1);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'worker-map-zh.png');

    await page.getByTestId('view-list').click();
    await page.getByTestId('place-item').first().waitFor();
    expect(await page.getByTestId('place-map').count()).toBe(0);
  });

  it("without the phone's position the list starts from the district centre and says so", async () => {
    const denied = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    try {
      const p = await denied.newPage();
      await p.clock.setFixedTime(AT);
      await p.goto(`${baseUrl}/map`);
      await p.getByTestId('place-item').first().waitFor({ timeout: 20_000 });
      expect(['denied', 'unavailable']).toContain(await p.getByTestId('map-position').getAttribute('data-source'));
      expect(await p.getByTestId('map-position').textContent()).toContain('按辖区中心排序');
      await p.getByTestId('map-relocate').waitFor();
    } finally {
      await denied.close();
    }
  });

  it('reads in English too', async () => {
    await page.evaluate(() => localStorage.setItem('nx.locale', 'en'));
    await page.goto(`${baseUrl}/map`);
    await page.getByTestId('view-list').click();
    await page.getByTestId('chip-open-now').filter({ hasText: 'Open now' }).waitFor();
    await page.getByTestId('place-item').first().waitFor();
    await shot(page, 'worker-places-list-en.png');
    await page.getByTestId('place-item').first().click();
    await page.getByTestId('place-check-in').filter({ hasText: 'Check in' }).waitFor();
    expect(await page.getByTestId('hours-today').textContent()).toContain('(today)');
    await shot(page, 'worker-places-place-en.png');
    await page.evaluate(() => localStorage.setItem('nx.locale', 'zh-CN'));
  });
});
