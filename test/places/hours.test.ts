import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/server/errors.js';
import { hoursText } from '../../src/server/modules/places/export.js';
import { beijingClock, formatClock, parseClock, parseWeek } from '../../src/server/modules/places/hours.js';
import { parseHoursText } from '../../src/server/modules/places/import.js';
import { hoursSummary } from '../../src/server/modules/places/poster.js';

describe('opening hours', () => {
  it('reads the clock in Beijing time (+08:00) whatever the instant’s offset', () => {
    expect(beijingClock(new Date('2026-11-25T06:00:00Z'))).toEqual({ weekday: 3, minute: 840, date: '2026-11-25' });
    // 23:30 UTC on Saturday is 07:30 on Sunday in Beijing.
    expect(beijingClock(new Date('2026-11-28T23:30:00Z'))).toEqual({ weekday: 0, minute: 450, date: '2026-11-29' });
  });

  it('reads and writes HH:MM, with 24:00 as the end of the day', () => {
    expect(parseClock('08:30')).toBe(510);
    expect(parseClock('24:00')).toBe(1440);
    expect(formatClock(1440)).toBe('24:00');
    for (const bad of ['8:30', '24:30', '25:00', '12:60', 'noon']) expect(() => parseClock(bad)).toThrow(AppError);
  });

  it('refuses a period that closes before it opens, or two that overlap on one day', () => {
    expect(() => parseWeek([{ weekday: 1, opens: '18:00', closes: '09:00' }])).toThrow(AppError);
    expect(() => parseWeek([{ weekday: 1, opens: '09:00', closes: '09:00' }])).toThrow(AppError);
    expect(() => parseWeek([{ weekday: 1, opens: '24:00', closes: '24:00' }])).toThrow(AppError);
    expect(() =>
      parseWeek([
        { weekday: 1, opens: '13:00', closes: '18:00' },
        { weekday: 1, opens: '08:00', closes: '13:30' },
      ]),
    ).toThrow(AppError);
  });

  it('accepts periods that only touch, and the same period on different days', () => {
    const week = parseWeek([
      { weekday: 1, opens: '14:00', closes: '18:00' },
      { weekday: 1, opens: '08:00', closes: '14:00' },
      { weekday: 2, opens: '08:00', closes: '14:00' },
    ]);
    expect(week.map((h) => [h.weekday, h.opens, h.closes])).toEqual([
      [1, 480, 840],
      [1, 840, 1080],
      [2, 480, 840],
    ]);
  });
});

describe('hours written out for people and for files', () => {
  const split = [1, 2, 3, 4, 5].flatMap((d) => [
    [d, 510, 720],
    [d, 870, 1260],
  ]) as [number, number, number][];
  const weekend = [
    [6, 540, 720],
    [0, 540, 720],
  ] as [number, number, number][];
  const place = { always_open: false, available_from: null, available_until: null };

  it('the poster groups the days that share their periods, Monday first', () => {
    expect(hoursSummary({ ...place, hours: [...split, ...weekend] })).toEqual([
      '周一至周五 08:30-12:00、14:30-21:00',
      '周六、周日 09:00-12:00',
    ]);
    expect(hoursSummary({ ...place, hours: [0, 1, 2, 3, 4, 5, 6].map((d) => [d, 480, 1200]) as [number, number, number][] })).toEqual([
      '每天 08:00-20:00',
    ]);
    expect(hoursSummary({ ...place, always_open: true, hours: [] })).toEqual(['24小时开放']);
    expect(hoursSummary({ ...place, hours: [] })).toEqual(['开放时间请咨询现场']);
    const stop = {
      ...place,
      hours: [],
      available_from: new Date('2026-11-25T01:00:00Z'),
      available_until: new Date('2026-11-25T04:00:00Z'),
    };
    expect(hoursSummary(stop)).toEqual(['服务时间 2026-11-25 09:00 至 12:00']);
  });

  it('the export writes the import notation, which reads back to the same week', () => {
    const text = hoursText([...split, ...weekend]);
    expect(text).toBe('1,2,3,4,5 08:30-12:00,14:30-21:00; 6,0 09:00-12:00');
    const back = parseHoursText(text).map((h) => [h.weekday, parseClock(h.opens), parseClock(h.closes)]);
    expect(back.sort()).toEqual([...split, ...weekend].sort());
    expect(hoursText([0, 1, 2, 3, 4, 5, 6].map((d) => [d, 480, 1200]) as [number, number, number][])).toBe('08:00-20:00');
  });
});
