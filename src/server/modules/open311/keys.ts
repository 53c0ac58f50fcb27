// Open311 API keys: made and revoked by city administrators in the console (the key is shown
// once; only its SHA-256 is kept — the key is random, so a fast hash is enough) plus those the
// environment gives (OPEN311_API_KEYS). Every change is audited.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppContext, Origin } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { appendAudit } from '../audit/service.js';
import { type Actor } from '../identity/access.js';
import { requireCityAdmin } from '../reports/categories.js';
import { reportErrors } from '../reports/errors.js';
import * as q from '../reports/queries.js';
import type { Open311Key } from '../reports/tables.js';

const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export interface KeyHolder {
  id: string | null;
  name: string;
}

/** The holder of a key, or null when it is missing, unknown or revoked. */
export async function keyHolder(ctx: AppContext, given: string | undefined): Promise<KeyHolder | null> {
  if (!given || given.length > 200) return null;
  const hash = hashKey(given);
  for (const key of ctx.config.open311ApiKeys) {
    if (timingSafeEqual(Buffer.from(hashKey(key), 'hex'), Buffer.from(hash, 'hex'))) return { id: null, name: `env:…${key.slice(-4)}` };
  }
  const row = await q.findKeyByHash(ctx.db, hash);
  return row ? { id: row.id, name: row.name } : null;
}

export async function createKey(db: Db, actor: Actor | null, name: string, origin: Origin): Promise<{ row: Open311Key; key: string }> {
  const me = requireCityAdmin(actor);
  const key = `o311_${randomBytes(24).toString('base64url')}`;
  return db.transaction().execute(async (trx) => {
    const row = await q.insertKey(trx, { name: name.trim(), key_hash: hashKey(key), key_hint: key.slice(-4), created_by: me.userId });
    await appendAudit(trx, {
      actor: me,
      action: 'open311_key.create',
      target: { type: 'open311_key', id: row.id },
      after: { name: row.name, hint: row.key_hint },
      origin,
    });
    return { row, key };
  });
}

export async function listKeys(db: Db, actor: Actor | null): Promise<Open311Key[]> {
  requireCityAdmin(actor);
  return q.findKeys(db);
}

export async function revokeKey(db: Db, actor: Actor | null, id: string, origin: Origin): Promise<void> {
  const me = requireCityAdmin(actor);
  await db.transaction().execute(async (trx) => {
    const row = await q.revokeKey(trx, id, me.userId);
    if (!row) throw reportErrors.keyNotFound({ id });
    await appendAudit(trx, {
      actor: me,
      action: 'open311_key.revoke',
      target: { type: 'open311_key', id },
      before: { name: row.name, hint: row.key_hint },
      origin,
    });
  });
}
