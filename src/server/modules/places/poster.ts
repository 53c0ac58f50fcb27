// The printable QR poster of a place (A4 at 150 dpi, PNG, in Chinese): an SVG drawn here,
// rasterised by sharp (librsvg with the system's Noto CJK fonts). Scanning opens the worker
// app's place page, where a signed-in worker checks in.
import QRCode from 'qrcode';
import { formatClock } from './hours.js';
import type { HoursTuple, PlaceRow } from './queries.js';
import { PLACE_KINDS } from './tables.js';

export const POSTER_WIDTH = 1240;
export const POSTER_HEIGHT = 1754;
const QR_SIZE = 640;

const WEEKDAY_ZH = ['日', '一', '二', '三', '四', '五', '六'];

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** Splits text into lines of at most `width` characters (CJK text has no spaces to break at). */
function wrap(text: string, width: number, maxLines: number): string[] {
  const chars = [...text];
  const lines: string[] = [];
  for (let i = 0; i < chars.length && lines.length < maxLines; i += width) lines.push(chars.slice(i, i + width).join(''));
  if (chars.length > width * maxLines && lines.length > 0) lines[lines.length - 1] = `${lines[lines.length - 1]?.slice(0, -1)}…`;
  return lines;
}

/** "周一至周五 08:00-18:00；周六、周日 09:00-12:00": days with the same periods grouped, Monday first. */
export function hoursSummary(place: Pick<PlaceRow, 'always_open' | 'hours' | 'available_from' | 'available_until'>): string[] {
  if (place.available_from && place.available_until) {
    const at = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    return [`服务时间 ${at(place.available_from)} 至 ${at(place.available_until).slice(11)}`];
  }
  if (place.always_open) return ['24小时开放'];
  if (place.hours.length === 0) return ['开放时间请咨询现场'];
  const byDay = new Map<number, string>();
  for (const [weekday, opens, closes] of place.hours as HoursTuple[]) {
    const span = `${formatClock(opens)}-${formatClock(closes)}`;
    byDay.set(weekday, byDay.has(weekday) ? `${byDay.get(weekday)}、${span}` : span);
  }
  const groups = new Map<string, number[]>();
  for (const day of [1, 2, 3, 4, 5, 6, 0]) {
    const spans = byDay.get(day);
    if (spans) groups.set(spans, [...(groups.get(spans) ?? []), day]);
  }
  const name = (days: number[]) => {
    if (days.length === 7) return '每天';
    const order = [1, 2, 3, 4, 5, 6, 0];
    const first = days[0] ?? 1;
    const contiguous = days.every((d, i) => order.indexOf(d) === order.indexOf(first) + i);
    if (contiguous && days.length > 2) return `周${WEEKDAY_ZH[first]}至周${WEEKDAY_ZH[days[days.length - 1] ?? 0]}`;
    return days.map((d) => `周${WEEKDAY_ZH[d]}`).join('、');
  };
  return [...groups.entries()].map(([spans, days]) => `${name(days)} ${spans}`);
}

/** The QR code as SVG rectangles, one path, at the given size. */
function qrSvg(url: string, x: number, y: number, size: number): string {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4;
  const cell = size / (n + quiet * 2);
  let d = '';
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (qr.modules.get(row, col)) d += `M${(col + quiet) * cell} ${(row + quiet) * cell}h${cell}v${cell}h${-cell}z`;
    }
  }
  return `<g transform="translate(${x} ${y})"><rect width="${size}" height="${size}" fill="#fff"/><path d="${d}" fill="#000"/></g>`;
}

export function placePageUrl(publicUrl: string, placeId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/places/${placeId}`;
}

export function posterSvg(place: PlaceRow, publicUrl: string): string {
  const url = placePageUrl(publicUrl, place.id);
  const font = `font-family="Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, sans-serif"`;
  const text = (y: number, size: number, body: string, opts = '') =>
    `<text x="${POSTER_WIDTH / 2}" y="${y}" ${font} font-size="${size}" text-anchor="middle" ${opts}>${escapeXml(body)}</text>`;
  const kind = PLACE_KINDS[place.kind].zh + (place.star_rating ? ` ${'★'.repeat(place.star_rating)}` : '');
  const parts: string[] = [];
  let y = 330;
  for (const line of wrap(place.name, 15, 2)) {
    parts.push(text(y, 72, line, 'font-weight="bold" fill="#1f1f1f"'));
    y += 88;
  }
  parts.push(text(y, 40, kind, 'fill="#c2410c"'));
  y += 64;
  for (const line of wrap(place.address || place.region_name, 26, 2)) {
    parts.push(text(y, 34, line, 'fill="#444"'));
    y += 48;
  }
  for (const line of hoursSummary(place).slice(0, 3)) {
    parts.push(text(y, 34, line, 'fill="#444"'));
    y += 48;
  }
  const qrY = Math.max(y + 20, 760);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${POSTER_WIDTH}" height="${POSTER_HEIGHT}" viewBox="0 0 ${POSTER_WIDTH} ${POSTER_HEIGHT}">
  <rect width="100%" height="100%" fill="#fffaf5"/>
  <rect width="100%" height="200" fill="#c2410c"/>
  ${text(125, 64, '暖新 · 新就业群体服务', 'font-weight="bold" fill="#fff"')}
  ${parts.join('\n  ')}
  ${qrSvg(url, (POSTER_WIDTH - QR_SIZE) / 2, qrY, QR_SIZE)}
  ${text(qrY + QR_SIZE + 90, 60, '扫码打卡 / 查看驿站', 'font-weight="bold" fill="#1f1f1f"')}
  ${text(qrY + QR_SIZE + 150, 30, '微信或浏览器扫一扫，登录后即可打卡', 'fill="#666"')}
  ${text(POSTER_HEIGHT - 60, 24, url, 'fill="#999"')}
</svg>`;
}

/** The poster as PNG bytes. */
export async function renderPoster(place: PlaceRow, publicUrl: string): Promise<Buffer> {
  // Loaded on first use: sharp is native and large, and most requests never draw a poster.
  const { default: sharp } = await import('sharp');
  return sharp(Buffer.from(posterSvg(place, publicUrl)), { density: 72 })
    .png({ compressionLevel: 9, palette: true })
    .toBuffer();
}
