// The matter engine's view of working time: one calendar and one "now" per transition, so every
// deadline a transition computes agrees with the others.
import { addWorkingDays, addWorkingMinutes, workingMinutesBetween, type WorkCalendar } from '../calendar/work-time.js';

export interface Clock {
  now: Date;
  addWorkingDays(from: Date, days: number): Date;
  addWorkingMinutes(from: Date, minutes: number): Date;
  /** Whole working minutes, negative when `to` lies before `from`. */
  workingMinutesBetween(from: Date, to: Date): number;
  /** Whole working minutes left until `to`, rounded up: a paused clock gives back no less than it took. */
  workingMinutesLeft(from: Date, to: Date): number;
}

export function makeClock(cal: WorkCalendar, now: Date): Clock {
  return {
    now,
    addWorkingDays: (from, days) => addWorkingDays(cal, from, days),
    addWorkingMinutes: (from, minutes) => addWorkingMinutes(cal, from, minutes),
    workingMinutesBetween: (from, to) => Math.round(workingMinutesBetween(cal, from, to)),
    workingMinutesLeft: (from, to) => Math.max(0, Math.ceil(workingMinutesBetween(cal, from, to))),
  };
}
