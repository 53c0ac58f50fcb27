import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { originOf } from '../../http/origin.js';
import { errorResponses } from '../../http/schemas.js';
import { CalendarDayOut, CalendarYearOut, presentCalendarDay, presentCalendarYear } from './present.js';
import { CALENDAR_YEARS, getCalendarYear, resetCalendarDay, setCalendarDay } from './service.js';

const tags = ['calendar'];
// The shape only; service.ts rejects dates that do not exist (2026-02-30).
const DayParams = Type.Object({ day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) });

export async function calendarRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/calendar',
    {
      schema: {
        tags,
        summary: "A year's public holidays and make-up workdays (the days that break the Monday–Friday rule)",
        querystring: Type.Object(
          { year: Type.Integer({ minimum: CALENDAR_YEARS.min, maximum: CALENDAR_YEARS.max }) },
          { additionalProperties: false },
        ),
        response: { 200: CalendarYearOut, ...errorResponses(400, 401) },
      },
    },
    async (request) => presentCalendarYear(await getCalendarYear(ctx, request.actor, request.query.year)),
  );

  app.put(
    '/api/calendar/days/:day',
    {
      schema: {
        tags,
        summary: 'Make a day a workday or a rest day (administrators); it then stays so whatever the holiday package says',
        params: DayParams,
        body: Type.Object(
          {
            isWorkday: Type.Boolean(),
            name: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 200: CalendarDayOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => presentCalendarDay(await setCalendarDay(ctx, request.actor, request.params.day, request.body, originOf(request))),
  );

  app.delete(
    '/api/calendar/days/:day',
    {
      schema: {
        tags,
        summary: "Undo an administrator's setting of a day: back to the official arrangement, or to the weekday rule",
        params: DayParams,
        response: { 200: CalendarDayOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => presentCalendarDay(await resetCalendarDay(ctx, request.actor, request.params.day, originOf(request))),
  );
}
