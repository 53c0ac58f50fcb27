import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHoursText } from '../../src/server/modules/places/import.js';
import { createTestApp, signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestApp;
let station: SessionHeaders;
let worker: SessionHeaders;
let haibinCode: string;

interface ImportJson {
  created: number;
  refused: number;
  rows: { row: number; name: string; status: string; id?: string; error?: { code: string } }[];
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  station = await signInAs(t.app, '13800000005');
  worker = await signInAs(t.app, '13800000001');
  const streets = (await t.app.inject({ method: 'GET', url: '/api/regions?parent=350502' })).json() as {
    items: { code: string; name: string }[];
  };
  haibinCode = streets.items.find((s) => s.name === '海滨街道')?.code ?? '';
});
afterAll(async () => t.close());

function upload(session: SessionHeaders, body: Buffer | string, type: string) {
  return t.app.inject({ method: 'POST', url: '/api/places/import', headers: { ...session, 'content-type': type }, payload: body });
}

describe('importing a list of places', () => {
  it('takes the good rows of a CSV file and refuses the broken one, saying which and why', async () => {
    const csv = [
      '名称,类型,区域代码,地址,纬度,经度,坐标系,设施,营业时间,24小时',
      `导入驿站甲,暖新驿站,${haibinCode},"中山路1号, 一楼",24.91,118.58,wgs84,手机充电、饮用水,08:00-20:00,`,
      `导入驿站乙,warm_station,${haibinCode},中山路2号,91,118.58,wgs84,,08:00-20:00,`,
      `导入驿站丙,暖新驿站,${haibinCode},中山路3号,24.912,118.58,gcj02,phone_charging,"1-5 08:00-18:00; 6,0 09:00-12:00",`,
      `导入驿站丁,暖新驿站,${haibinCode},中山路4号,24.913,118.58,wgs84,,18:00-09:00,`,
      `导入驿站戊,暖新驿站,${haibinCode},中山路5号,24.914,118.58,wgs84,按摩椅,,是`,
    ].join('\r\n');
    const res = await upload(station, csv, 'text/csv');
    expect(res.statusCode).toBe(200);
    const report = res.json() as ImportJson;
    expect(report.created).toBe(2);
    expect(report.refused).toBe(3);
    expect(report.rows.map((r) => [r.row, r.status])).toEqual([
      [2, 'created'],
      [3, 'refused'],
      [4, 'created'],
      [5, 'refused'],
      [6, 'refused'],
    ]);
    expect(report.rows[3]?.error?.code).toBe('hours_invalid');
    const place = (await t.app.inject({ method: 'GET', url: `/api/places/${report.rows[2]?.id}`, headers: worker })).json() as {
      sourceDatum: string;
      hours: unknown[];
      address: string;
    };
    expect(place.sourceDatum).toBe('gcj02');
    expect(place.hours).toHaveLength(7);
    const first = (await t.app.inject({ method: 'GET', url: `/api/places/${report.rows[0]?.id}`, headers: worker })).json() as {
      address: string;
    };
    expect(first.address).toBe('中山路1号, 一楼');
  });

  it('reads an Excel workbook the same way', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('场所');
    sheet.addRow(['名称', '类型', '区域代码', '纬度', '经度', '设施']);
    sheet.addRow(['表格驿站', '暖新驿站', haibinCode, 24.915, 118.59, '卫生间']);
    sheet.addRow(['表格驿站二', '不存在的类型', haibinCode, 24.916, 118.59, '']);
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    const res = await upload(station, bytes, XLSX);
    expect(res.statusCode).toBe(200);
    const report = res.json() as ImportJson;
    expect(report.rows.map((r) => r.status)).toEqual(['created', 'refused']);
  });

  it('rows outside the importer’s reach are refused, and a worker cannot import', async () => {
    const csv = `名称,类型,区域代码,纬度,经度\n越权驿站,暖新驿站,350502,24.91,118.58\n`;
    const report = (await upload(station, csv, 'text/csv')).json() as ImportJson;
    expect(report.rows[0]?.error?.code).toBe('forbidden');
    const byWorker = await upload(worker, `名称,类型,区域代码,纬度,经度\n甲,暖新驿站,${haibinCode},24.91,118.58\n`, 'text/csv');
    expect(byWorker.statusCode).toBe(403);
    expect(byWorker.json().error.code).toBe('forbidden');
  });

  it('derives the region from the location when a row has none, and refuses a point no region holds', async () => {
    const coordinator = await signInAs(t.app, '13800000008');
    const csv = [
      '名称,类型,纬度,经度,设施,营业时间,星级,启用',
      '无区域驿站甲,党建+邻里中心,24.905,118.585,饮用水,08:00-20:00,★★★,是',
      '无区域驿站乙,暖新驿站,24.3,117.55,,08:00-20:00,,',
      '无区域驿站丙,暖新驿站,24.906,118.585,,08:00-20:00,6,',
      '无区域驿站丁,暖新驿站,24.907,118.585,,08:00-20:00,,也许',
      '无区域驿站戊,流动服务,24.908,118.585,,08:00-20:00,,',
      '无区域驿站己,暖新驿站,24.909,118.585,,08:00-20:00,,否',
    ].join('\n');
    const report = (await upload(coordinator, csv, 'text/csv')).json() as ImportJson;
    expect(report.rows.map((r) => [r.status, r.error?.code])).toEqual([
      ['created', undefined],
      ['refused', 'region_required'],
      ['refused', 'invalid_request'],
      ['refused', 'invalid_request'],
      ['refused', 'invalid_request'],
      ['created', undefined],
    ]);
    const first = (await t.app.inject({ method: 'GET', url: `/api/places/${report.rows[0]?.id}` })).json() as {
      regionCode: string;
      starRating: number;
    };
    expect(first.regionCode.startsWith('350502')).toBe(true);
    expect(first.starRating).toBe(3);
    // Imported inactive: hidden from the public, shown to its editors.
    expect((await t.app.inject({ method: 'GET', url: `/api/places/${report.rows[5]?.id}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/places/${report.rows[5]?.id}`, headers: coordinator })).statusCode).toBe(200);
  });

  it('a file without the required headings is refused as a whole', async () => {
    expect((await upload(station, '名称,地址\n甲,乙\n', 'text/csv')).statusCode).toBe(400);
  });
});

describe('hours written in a list', () => {
  it('reads every-day hours and weekday ranges, Sunday as 0 or 7', () => {
    expect(parseHoursText('08:00-12:00,14:30-21:00')).toHaveLength(14);
    const week = parseHoursText('1-5 08:00-18:00; 6,7 9:00-12:00');
    expect(week.filter((h) => h.opens === '08:00').map((h) => h.weekday)).toEqual([1, 2, 3, 4, 5]);
    expect(week.filter((h) => h.opens === '09:00').map((h) => h.weekday)).toEqual([6, 0]);
  });
});
