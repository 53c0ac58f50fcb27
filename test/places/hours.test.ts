import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/server/errors.js';
import { beijingClock, formatClock, parseClock, parseWeek } from '../../src/server/modules/places/hours.js';

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
