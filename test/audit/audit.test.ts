// The audit log's service on a real database: the hash chain, concurrent appends, tamper
// detection, retention and the audit administrator's scope.
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPostgres, type Db } from '../../src/server/db/connect.js';
import { AppError } from '../../src/server/errors.js';
import {
  appendAudit,
  GENESIS_HASH,
  hashAuditRow,
  listAudit,
  pruneAudit,
  sealAudit,
  startAuditSealer,
  verifyAuditChain,
  type AuditEntry,
} from '../../src/server/modules/audit/service.js';
import type { Actor } from '../../src/server/modules/identity/access.js';
import type { Role } from '../../src/server/modules/identity/tables.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let db: Db;

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  db = t.ctx.db;
});
afterAll(async () => t.close());
afterEach(() => {
  vi.useRealTimers();
});

const DAY = 24 * 3600_000;
const origin = { ip: '10.0.0.7', userAgent: 'vitest', requestId: 'req-1' };

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return { actor: null, action: 'test.event', origin, ...overrides };
}

/** A fresh, empty log, for the tests that need to know exactly what is in it. */
async function emptyLog(): Promise<void> {
  await db.deleteFrom('audit_log').execute();
}

/** A row put back as it was, but for the write order the database gives it. */
function withoutId<T extends { id: number }>(row: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = row;
  return rest;
}

/** The chain's seqs, after sealing what was written. */
async function seqs(on: Db = db): Promise<number[]> {
  await sealAudit(on);
  return (await on.selectFrom('audit_log').select('seq').where('seq', 'is not', null).orderBy('seq').execute()).map((r) => Number(r.seq));
}

/** Appends n rows one after another and seals them; returns their seqs. */
async function appendMany(n: number, action = 'test.event'): Promise<number[]> {
  for (let i = 0; i < n; i += 1) await appendAudit(db, entry({ action, after: { i } }));
  return (await seqs()).slice(-n);
}

function actorWith(role: Role, regionPath: string): Actor {
  const code = regionPath.split('.').at(-1) ?? regionPath;
  return {
    userId: '00000000-0000-4000-8000-000000000001',
    sessionId: '00000000-0000-4000-8000-000000000002',
    pending: null,
    twoFactorEnabled: true,
    displayName: 'test',
    phoneMasked: '138****0000',
    grants: [
      { role, regionCode: code, regionName: code, regionNameEn: null, regionLevel: 'district', regionKind: 'admin', scope: [regionPath] },
    ],
  };
}

describe('appending builds a hash chain', () => {
  it('the first row follows the genesis hash and each row links to the hash of the one before', async () => {
    await emptyLog();
    await appendAudit(db, entry({ action: 'test.first', before: { b: 1, a: [2, { z: 1, y: null }] } }));
    await appendAudit(db, entry({ action: 'test.second', after: { when: new Date('2026-01-02T03:04:05.678Z') } }));
    await appendAudit(db, entry({ action: 'test.third', note: '备注' }));
    // Written, not yet in the chain.
    const unsealed = await db.selectFrom('audit_log').select(['seq', 'prev_hash', 'hash']).execute();
    expect(unsealed).toEqual([0, 1, 2].map(() => ({ seq: null, prev_hash: null, hash: null })));
    const last = await sealAudit(db);
    const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => [r.seq, r.action])).toEqual([
      [1, 'test.first'],
      [2, 'test.second'],
      [3, 'test.third'],
    ]);
    expect(rows.map((r) => r.prev_hash)).toEqual([GENESIS_HASH, rows[0]?.hash, rows[1]?.hash]);
    expect(last).toEqual({ seq: 3, hash: rows[2]?.hash });
    // Sealing again changes nothing.
    expect(await sealAudit(db)).toEqual(last);
    for (const r of rows) expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    // What is stored is what was hashed: dates inside before/after become ISO strings.
    expect(rows[1]?.after).toEqual({ when: '2026-01-02T03:04:05.678Z' });
    expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 3, firstBadSeq: null, problem: null });
  });

  it('records who, from where and what, with the target’s region', async () => {
    const user = await db.selectFrom('users').select('id').limit(1).executeTakeFirstOrThrow();
    const actor = { ...actorWith('coordinator', '350500.350502'), userId: user.id };
    await appendAudit(db, {
      actor,
      action: 'organisation.create',
      target: { type: 'organisation', id: 'org-1', regionPath: '350500.350502.350502001', districtCode: '350502' },
      after: { name: '测试组织' },
      origin,
    });
    const { seq } = (await sealAudit(db)) ?? { seq: 0 };
    const row = await db.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      actor_id: actor.userId,
      actor_role: 'coordinator',
      action: 'organisation.create',
      target_type: 'organisation',
      target_id: 'org-1',
      region_path: '350500.350502.350502001',
      district_code: '350502',
      ip: '10.0.0.7',
      user_agent: 'vitest',
      request_id: 'req-1',
      after: { name: '测试组织' },
    });
    expect(row.at).toBeInstanceOf(Date);
  });

  it('an append inside the caller’s transaction is rolled back with it', async () => {
    const before = await seqs();
    await expect(
      db.transaction().execute(async (trx) => {
        await appendAudit(trx, entry({ action: 'test.rolled_back' }));
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await seqs()).toEqual(before);
    expect((await appendMany(1))[0]).toBe((before.at(-1) ?? 0) + 1);
  });

  it('fifty concurrent appends, each in its own transaction, make one gap-free chain', async () => {
    const start = (await seqs()).at(-1) ?? 0;
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0
          ? db.transaction().execute((trx) => appendAudit(trx, entry({ action: 'test.concurrent', after: { i } })))
          : appendAudit(db, entry({ action: 'test.concurrent', after: { i } })),
      ),
    );
    const all = await seqs();
    expect(all.filter((s) => s > start)).toEqual(Array.from({ length: 50 }, (_, i) => start + 1 + i));
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, problem: null });
  });

  it('appends from two separate connection pools (two processes) never fork the chain', async (ctx) => {
    const url = t.ctx.config.databaseUrl;
    if (t.ctx.dbKind !== 'postgres' || !url) return ctx.skip('PGlite is one process by design');
    const other = openPostgres(url, 5).db;
    try {
      const start = (await seqs()).at(-1) ?? 0;
      await Promise.all(
        Array.from({ length: 60 }, (_, i) => appendAudit(i % 2 === 0 ? db : other, entry({ action: 'test.two_pools', after: { i } }))),
      );
      // Both processes seal at once: the lock makes one wait, and nothing is sealed twice.
      await Promise.all([sealAudit(db), sealAudit(other), sealAudit(db)]);
      expect((await seqs(other)).filter((s) => s > start)).toEqual(Array.from({ length: 60 }, (_, i) => start + 1 + i));
      expect(await verifyAuditChain(other)).toMatchObject({ ok: true });
    } finally {
      await other.destroy();
    }
  });
});

describe('appends do not wait for each other; sealing follows the commits', () => {
  it('an append in an open transaction does not hold up another, and each is sealed after its commit', async (ctx) => {
    const url = t.ctx.config.databaseUrl;
    if (t.ctx.dbKind !== 'postgres' || !url) return ctx.skip('PGlite runs one transaction at a time by design');
    const start = (await seqs()).at(-1) ?? 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let appended!: () => void;
    const inside = new Promise<void>((resolve) => (appended = resolve));
    const slow = db.transaction().execute(async (trx) => {
      await appendAudit(trx, entry({ action: 'test.slow' }));
      appended();
      await held;
    });
    await inside;
    // The other append commits while the first transaction is still open.
    await appendAudit(db, entry({ action: 'test.quick' }));
    await sealAudit(db);
    const sealedWhileOpen = await db.selectFrom('audit_log').select(['seq', 'action']).where('seq', '>', start).orderBy('seq').execute();
    expect(sealedWhileOpen).toEqual([{ seq: start + 1, action: 'test.quick' }]);
    release();
    await slow;
    expect(await seqs()).toContain(start + 2);
    const slowRow = await db.selectFrom('audit_log').select('seq').where('action', '=', 'test.slow').executeTakeFirstOrThrow();
    expect(slowRow.seq).toBe(start + 2);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('a process’s sealer links what it wrote within moments', async () => {
    const stop = startAuditSealer(db, { error: () => undefined }, 20, 60_000);
    try {
      await appendAudit(db, entry({ action: 'test.sealer' }));
      let row: { seq: number | null } | undefined;
      for (let i = 0; i < 100 && !row?.seq; i += 1) {
        await new Promise((r) => setTimeout(r, 20));
        row = await db.selectFrom('audit_log').select('seq').where('action', '=', 'test.sealer').executeTakeFirst();
      }
      expect(row?.seq).toEqual(expect.any(Number));
    } finally {
      stop();
    }
  });
});

describe('verification finds changed and missing rows', () => {
  it('a changed "after" is a hash mismatch at that row; putting it back makes the chain whole again', async () => {
    await appendMany(5);
    const all = await seqs();
    const target = all[all.length - 3] ?? 0;
    const original = await db.selectFrom('audit_log').select('after').where('seq', '=', target).executeTakeFirstOrThrow();
    await sql`update audit_log set after = '{"i": 999}'::jsonb where seq = ${target}`.execute(db);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, firstBadSeq: target, problem: 'hash_mismatch' });
    await db
      .updateTable('audit_log')
      .set({ after: JSON.stringify(original.after) })
      .where('seq', '=', target)
      .execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('a row rewritten together with its own hash breaks the link from the next row', async () => {
    const all = await seqs();
    const target = all[all.length - 2] ?? 0;
    const row = await db.selectFrom('audit_log').selectAll().where('seq', '=', target).executeTakeFirstOrThrow();
    const forged = { ...row, seq: target, prev_hash: row.prev_hash ?? '', note: 'forged' };
    await db
      .updateTable('audit_log')
      .set({ note: forged.note, hash: hashAuditRow(forged) })
      .where('seq', '=', target)
      .execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, firstBadSeq: target + 1, problem: 'broken_link' });
    await db.updateTable('audit_log').set({ note: row.note, hash: row.hash }).where('seq', '=', target).execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('a deleted row in the middle is a gap at its seq', async () => {
    const all = await seqs();
    const target = all[Math.floor(all.length / 2)] ?? 0;
    const row = await db.selectFrom('audit_log').selectAll().where('seq', '=', target).executeTakeFirstOrThrow();
    await db.deleteFrom('audit_log').where('seq', '=', target).execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, firstBadSeq: target, problem: 'gap' });
    await db
      .insertInto('audit_log')
      .values({
        ...withoutId(row),
        before: row.before === null ? null : JSON.stringify(row.before),
        after: row.after === null ? null : JSON.stringify(row.after),
      })
      .execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('rows deleted from the start without a prune are a gap at seq 1', async () => {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '<=', 2).execute();
    await db.deleteFrom('audit_log').where('seq', '<=', 2).execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, firstBadSeq: 1, problem: 'gap' });
    for (const row of rows) {
      await db
        .insertInto('audit_log')
        .values({
          ...withoutId(row),
          before: row.before === null ? null : JSON.stringify(row.before),
          after: row.after === null ? null : JSON.stringify(row.after),
        })
        .execute();
    }
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('walks a chain longer than one page', async () => {
    await emptyLog();
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 2100; i += 1) await appendAudit(trx, entry({ after: { i } }));
    });
    expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 2100, firstBadSeq: null, problem: null });
    await db.deleteFrom('audit_log').where('seq', '=', 1500).execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, checked: 1499, firstBadSeq: 1500, problem: 'gap' });
  });
});

describe('retention', () => {
  it('refuses to keep less than 180 days', async () => {
    for (const days of [0, 30, 179, 180.5, -1]) {
      await expect(pruneAudit(db, days)).rejects.toBeInstanceOf(AppError);
    }
  });

  it('deletes old rows only from the start of the chain, records the prune, and the rest still verifies', async () => {
    await emptyLog();
    const now = Date.now();
    vi.useFakeTimers({ toFake: ['Date'] });
    // A clock that was wrong for one row: an old-looking row after a recent one stays.
    const ages = [400, 300, 10, 250, 0];
    for (const age of ages) {
      vi.setSystemTime(now - age * DAY);
      await appendAudit(db, entry({ action: `test.age_${age}` }));
    }
    vi.useRealTimers();
    expect(await pruneAudit(db, 180)).toEqual({ deleted: 2, firstSeq: 3 });
    const rows = await db.selectFrom('audit_log').select(['seq', 'action', 'after']).orderBy('seq').execute();
    expect(rows.map((r) => r.action)).toEqual(['test.age_10', 'test.age_250', 'test.age_0', 'audit.prune']);
    expect(rows.at(-1)?.after).toEqual({ retentionDays: 180, deleted: 2, firstSeq: 3 });
    expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 4, firstBadSeq: null, problem: null });

    // Nothing is old enough now: a second prune deletes nothing and records nothing.
    expect(await pruneAudit(db, 180)).toEqual({ deleted: 0, firstSeq: 3 });
    expect(await seqs()).toEqual([3, 4, 5, 6]);

    // Deleting beyond what the prune kept is noticed.
    await db.deleteFrom('audit_log').where('seq', '=', 3).execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'gap' });
  });

  it('when every row is old the newest one stays, so the chain goes on from it', async () => {
    await emptyLog();
    await appendMany(3);
    expect(await pruneAudit(db, 180, new Date(Date.now() + 365 * DAY))).toEqual({ deleted: 2, firstSeq: 3 });
    expect(await seqs()).toEqual([3, 4]);
    await appendMany(1);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: 3 });
  });
});

describe('the audit administrator’s view', () => {
  const city = '350500';
  const licheng = '350500.350502';

  beforeAll(async () => {
    await emptyLog();
    await appendAudit(db, entry({ action: 'auth.sign_in' }));
    await appendAudit(db, entry({ action: 'auth.sign_in_failed', note: 'wrong password' }));
    await appendAudit(
      db,
      entry({ action: 'organisation.create', target: { type: 'organisation', id: 'a', regionPath: `${licheng}.350502001` } }),
    );
    await appendAudit(db, entry({ action: 'organisation.create', target: { type: 'organisation', id: 'b', regionPath: '350500.350503' } }));
  });

  it('only audit administrators may read it; signed out is unauthenticated', async () => {
    await expect(listAudit(db, null, { limit: 10 })).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(listAudit(db, actorWith('coordinator', city), { limit: 10 })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listAudit(db, actorWith('security_admin', city), { limit: 10 })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('a city-level audit administrator sees everything, rows of no region included', async () => {
    const page = await listAudit(db, actorWith('audit_admin', city), { limit: 10 });
    expect(page.items.map((r) => r.target_id ?? r.action)).toEqual(['b', 'a', 'auth.sign_in_failed', 'auth.sign_in']);
  });

  it('a district audit administrator sees only their subtree and no rows of no region', async () => {
    const page = await listAudit(db, actorWith('audit_admin', licheng), { limit: 10 });
    expect(page.items.map((r) => r.target_id)).toEqual(['a']);
  });

  it('the action filter matches a prefix, literally', async () => {
    const auditor = actorWith('audit_admin', city);
    expect((await listAudit(db, auditor, { action: 'auth.', limit: 10 })).items).toHaveLength(2);
    expect((await listAudit(db, auditor, { action: 'auth%', limit: 10 })).items).toHaveLength(0);
    expect((await listAudit(db, auditor, { text: 'WRONG', limit: 10 })).items.map((r) => r.action)).toEqual(['auth.sign_in_failed']);
  });
});
