// Opening hours read on the phone, in Beijing time (UTC+8 all year: China keeps no summer time).
import type { Place, PlaceException, PlaceHours } from './api';

export interface BeijingMoment {
  /** yyyy-mm-dd */
  date: string;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** Minutes since Beijing midnight. */
  minute: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function beijing(at: Date): BeijingMoment {
  const shifted = new Date(at.getTime() + 8 * 60 * 60 * 1000);
  return {
    date: shifted.toISOString().slice(0, 10),
    weekday: shifted.getUTCDay(),
    minute: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
  };
}

export function clockMinutes(clock: string): number {
  const [h = '0', m = '0'] = clock.split(':');
  return Number(h) * 60 + Number(m);
}

/** The day's periods as [opens, closes) in minutes: a dated exception replaces the weekly hours. */
export function periodsOn(place: Pick<Place, 'hours' | 'exceptions'>, day: BeijingMoment): [number, number][] {
  const exception = place.exceptions.find((e) => e.date === day.date);
  if (exception) {
    if (exception.opens === null || exception.closes === null) return [];
    return [[clockMinutes(exception.opens), clockMinutes(exception.closes)]];
  }
  return place.hours
    .filter((h) => h.weekday === day.weekday)
    .map((h): [number, number] => [clockMinutes(h.opens), clockMinutes(h.closes)])
    .sort((a, b) => a[0] - b[0]);
}

export type OpenState = { kind: 'always' } | { kind: 'open'; closes: string } | { kind: 'closed'; opens: string | null; tomorrow: boolean };

export function formatMinutes(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** Open now (and until when), or closed (and when it opens next, today or tomorrow). */
export function openState(place: Pick<Place, 'alwaysOpen' | 'hours' | 'exceptions'>, at: Date): OpenState {
  if (place.alwaysOpen) return { kind: 'always' };
  const today = beijing(at);
  const periods = periodsOn(place, today);
  const current = periods.find(([opens, closes]) => opens <= today.minute && today.minute < closes);
  if (current) return { kind: 'open', closes: formatMinutes(current[1]) };
  const later = periods.find(([opens]) => opens > today.minute);
  if (later) return { kind: 'closed', opens: formatMinutes(later[0]), tomorrow: false };
  const first = periodsOn(place, beijing(new Date(at.getTime() + DAY_MS)))[0];
  return { kind: 'closed', opens: first ? formatMinutes(first[0]) : null, tomorrow: true };
}

export interface WeekRow {
  weekday: number;
  date: string;
  periods: string[];
  today: boolean;
  exception: PlaceException | null;
}

/** The next seven days from today, each with its hours (exceptions applied). */
export function weekFrom(place: Pick<Place, 'hours' | 'exceptions'>, at: Date): WeekRow[] {
  return Array.from({ length: 7 }, (_, i) => {
    const day = beijing(new Date(at.getTime() + i * DAY_MS));
    return {
      weekday: day.weekday,
      date: day.date,
      periods: periodsOn(place, day).map(([o, c]) => `${formatMinutes(o)}–${formatMinutes(c)}`),
      today: i === 0,
      exception: place.exceptions.find((e) => e.date === day.date) ?? null,
    };
  });
}

export type { PlaceHours };
