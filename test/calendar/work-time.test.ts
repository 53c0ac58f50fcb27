// Working-time arithmetic, on the official arrangements as the holiday package publishes them.
import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { PACKAGE_DAYS, PACKAGE_YEARS, packageDay } from '../../src/server/modules/calendar/holidays.js';
import {
  addWorkingDays,
  addWorkingMinutes,
  isWorkday,
  localDay,
  makeWorkCalendar,
  workingMinutesBetween,
  workingMinutesPerDay,
} from '../../src/server/modules/calendar/work-time.js';

const cal = makeWorkCalendar(PACKAGE_DAYS.map((d) => [d.day, d.isWorkday] as const));
/** A wall-clock time in China. */
const at = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) => d.toISOString();

describe('the official arrangements come from the holiday package', () => {
  it('knows 2025 and 2026', () => {
    expect(PACKAGE_YEARS.has(2025)).toBe(true);
    expect(PACKAGE_YEARS.has(2026)).toBe(true);
  });

  it('agrees with the package’s own answer on every day it covers', () => {
    const years = [...PACKAGE_YEARS].sort();
    for (let d = Date.UTC(years[0] ?? 2025, 0, 1); d < Date.UTC((years.at(-1) ?? 2026) + 1, 0, 1); d += 86_400_000) {
      const day = new Date(d).toISOString().slice(0, 10);
      if (isWorkday(cal, day) !== chineseDays.isWorkday(day)) expect.fail(`${day} disagrees`);
    }
  });

  it('National Day 2025: 1–8 October off, Sunday 28 September and Saturday 11 October worked', () => {
    for (const day of ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08']) {
      expect(packageDay(day)).toMatchObject({ isWorkday: false });
    }
    // 4 and 5 October are a weekend anyway: not an exception, so not stored.
    expect(packageDay('2025-10-04')).toBeUndefined();
    expect(packageDay('2025-09-28')).toEqual({ day: '2025-09-28', isWorkday: true, name: '国庆节' });
    expect(packageDay('2025-10-11')).toEqual({ day: '2025-10-11', isWorkday: true, name: '国庆节' });
    expect(packageDay('2025-10-09')).toBeUndefined();
  });

  it('Spring Festival 2026: 16–20 and 23 February off, Saturdays 14 and 28 February worked', () => {
    for (const day of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23']) {
      expect(packageDay(day)).toMatchObject({ isWorkday: false, name: '春节' });
    }
    expect(packageDay('2026-02-14')).toMatchObject({ isWorkday: true });
    expect(packageDay('2026-02-28')).toMatchObject({ isWorkday: true });
  });
});

describe('isWorkday', () => {
  it('follows Monday–Friday unless the calendar says otherwise', () => {
    expect(isWorkday(cal, '2026-03-06')).toBe(true); // a Friday
    expect(isWorkday(cal, '2026-03-07')).toBe(false); // a Saturday
    expect(isWorkday(cal, '2025-09-28')).toBe(true); // make-up Sunday
    expect(isWorkday(cal, '2025-10-06')).toBe(false); // Mid-autumn, a Monday
  });

  it('refuses what is not a date', () => {
    expect(() => isWorkday(cal, '2026-02-30')).toThrow(RangeError);
    expect(() => isWorkday(cal, '26-2-3')).toThrow(RangeError);
  });
});

describe('deadlines across holidays', () => {
  it('3 working days from Tuesday 30 September 2025 skip the whole National Day week and end on the make-up Saturday', () => {
    // Day 1 is 9 October, day 2 is 10 October, day 3 the make-up Saturday 11 October.
    expect(iso(addWorkingDays(cal, at('2025-09-30T10:00'), 3))).toBe(iso(at('2025-10-11T17:30')));
  });

  it('1 working day from Saturday 27 September 2025 is the make-up Sunday', () => {
    expect(iso(addWorkingDays(cal, at('2025-09-27T10:00'), 1))).toBe(iso(at('2025-09-28T17:30')));
  });

  it('2 working hours from 16:30 on 30 September 2025 end at 10:00 on 9 October', () => {
    expect(iso(addWorkingMinutes(cal, at('2025-09-30T16:30'), 120))).toBe(iso(at('2025-10-09T10:00')));
  });

  it('Spring Festival 2026: Friday 13 February runs on into the make-up Saturday, then jumps to 24 February', () => {
    expect(iso(addWorkingMinutes(cal, at('2026-02-13T16:30'), 120))).toBe(iso(at('2026-02-14T10:00')));
    expect(iso(addWorkingMinutes(cal, at('2026-02-14T17:00'), 60))).toBe(iso(at('2026-02-24T09:30')));
    expect(iso(addWorkingDays(cal, at('2026-02-13T10:00'), 2))).toBe(iso(at('2026-02-24T17:30')));
    expect(workingMinutesBetween(cal, at('2026-02-13T09:00'), at('2026-02-24T09:00'))).toBe(2 * workingMinutesPerDay(cal));
  });

  it('a day arriving before work starts counts as day 1; arriving during the day it does not', () => {
    expect(iso(addWorkingDays(cal, at('2026-03-10T08:00'), 1))).toBe(iso(at('2026-03-10T17:30')));
    expect(iso(addWorkingDays(cal, at('2026-03-10T09:00'), 1))).toBe(iso(at('2026-03-10T17:30')));
    expect(iso(addWorkingDays(cal, at('2026-03-10T09:01'), 1))).toBe(iso(at('2026-03-11T17:30')));
  });
});

describe('a start outside working hours rolls forward', () => {
  it('from a weekend to Monday morning', () => {
    expect(iso(addWorkingMinutes(cal, at('2026-03-07T10:00'), 60))).toBe(iso(at('2026-03-09T10:00')));
  });

  it('from an evening to the next morning', () => {
    expect(iso(addWorkingMinutes(cal, at('2026-03-10T20:00'), 30))).toBe(iso(at('2026-03-11T09:30')));
  });

  it('from the lunch break to the afternoon', () => {
    expect(iso(addWorkingMinutes(cal, at('2026-03-10T12:15'), 30))).toBe(iso(at('2026-03-10T14:00')));
  });

  it('0 minutes is the moment the clock starts; a deadline at the end of a period stays there', () => {
    expect(iso(addWorkingMinutes(cal, at('2026-03-10T07:00'), 0))).toBe(iso(at('2026-03-10T09:00')));
    expect(iso(addWorkingMinutes(cal, at('2026-03-10T12:00'), 0))).toBe(iso(at('2026-03-10T13:30')));
    expect(iso(addWorkingMinutes(cal, at('2026-03-10T09:00'), 180))).toBe(iso(at('2026-03-10T12:00')));
    expect(iso(addWorkingMinutes(cal, at('2026-03-10T09:00'), 181))).toBe(iso(at('2026-03-10T13:31')));
  });

  it('counts no time outside working hours', () => {
    expect(workingMinutesBetween(cal, at('2026-03-10T17:30'), at('2026-03-11T09:00'))).toBe(0);
    expect(workingMinutesBetween(cal, at('2026-03-10T11:00'), at('2026-03-10T14:00'))).toBe(60 + 30);
    expect(workingMinutesBetween(cal, at('2026-03-06T17:00'), at('2026-03-09T09:30'))).toBe(60);
  });
});

describe('workingMinutesBetween and addWorkingMinutes agree', () => {
  it('round-trips for many starts and durations, inside and outside working hours', () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const start = at('2025-01-01T00:00').getTime();
    const span = at('2026-12-31T00:00').getTime() - start;
    for (let i = 0; i < 500; i += 1) {
      const from = new Date(start + Math.floor(random() * span));
      const minutes = Math.floor(random() * 20_000);
      const due = addWorkingMinutes(cal, from, minutes);
      expect(workingMinutesBetween(cal, from, due)).toBe(minutes);
      expect(workingMinutesBetween(cal, due, from)).toBe(-minutes);
    }
  });

  it('gives a negative count for a time already past, e.g. how overdue a matter is', () => {
    expect(workingMinutesBetween(cal, at('2026-03-10T11:00'), at('2026-03-10T10:00'))).toBe(-60);
  });

  it('is fast: ten thousand deadlines well within a second or two', () => {
    const began = performance.now();
    for (let i = 0; i < 10_000; i += 1) addWorkingDays(cal, new Date(at('2025-09-20T10:00').getTime() + i * 3_600_000), 10);
    expect(performance.now() - began).toBeLessThan(2000);
  });
});

describe('time zone', () => {
  it('does not depend on the machine’s time zone', () => {
    const saved = process.env.TZ;
    const expected = iso(addWorkingDays(cal, at('2025-09-30T10:00'), 3));
    try {
      for (const tz of ['America/New_York', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = tz;
        expect(iso(addWorkingDays(cal, at('2025-09-30T10:00'), 3))).toBe(expected);
        expect(localDay(at('2025-10-01T00:30'))).toBe('2025-10-01');
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('bad input', () => {
  it('refuses negative or non-finite durations and invalid times', () => {
    expect(() => addWorkingMinutes(cal, at('2026-03-10T10:00'), -1)).toThrow(RangeError);
    expect(() => addWorkingMinutes(cal, new Date('nonsense'), 1)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, at('2026-03-10T10:00'), 1.5)).toThrow(RangeError);
  });

  it('stops instead of looping when a calendar has no workday at all', () => {
    const allRest = makeWorkCalendar(
      Array.from({ length: 4000 }, (_, i) => [new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10), false] as const),
    );
    expect(() => addWorkingMinutes(allRest, at('2026-01-01T10:00'), 10)).toThrow(RangeError);
  });
});
