// Report categories: a table administrators edit (labels in Chinese and English, working days to
// handle, order, active). A category is never deleted — old reports keep their label — only
// made inactive, which takes it off the worker's form and Open311's service list.
import type { Origin } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { errors } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { requireActor, type Actor } from '../identity/access.js';
import { forgetCategories } from './intake.js';
import * as q from './queries.js';
import type { ReportCategory } from './tables.js';

/** Installation-wide settings (categories, Open311 keys) are for administrators at the city level. */
export function requireCityAdmin(actor: Actor | null): Actor {
  const me = requireActor(actor);
  if (!me.grants.some((g) => g.role === 'admin' && (g.regionLevel === 'city' || g.regionLevel === 'province'))) throw errors.forbidden();
  return me;
}

export function listCategories(db: Db, all = false): Promise<ReportCategory[]> {
  return q.findCategories(db, !all);
}

export interface CategoryInput {
  labelZh: string;
  labelEn: string;
  handleDays: number;
  sort?: number;
  active?: boolean;
}

export async function saveCategory(
  db: Db,
  actor: Actor | null,
  code: string,
  input: CategoryInput,
  origin: Origin,
): Promise<ReportCategory> {
  const me = requireCityAdmin(actor);
  const saved = await db.transaction().execute(async (trx) => {
    const before = await q.findCategory(trx, code);
    const row = await q.upsertCategory(trx, {
      code,
      label_zh: input.labelZh.trim(),
      label_en: input.labelEn.trim(),
      handle_days: input.handleDays,
      sort: input.sort ?? before?.sort ?? 100,
      active: input.active ?? before?.active ?? true,
    });
    await appendAudit(trx, {
      actor: me,
      action: before ? 'report_category.update' : 'report_category.create',
      target: { type: 'report_category', id: code },
      before: before ?? null,
      after: row,
      origin,
    });
    return row;
  });
  forgetCategories({ db });
  return saved;
}
