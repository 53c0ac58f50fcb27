// Fixtures for the points and rewards tests: fresh workers and merchants on the demo district,
// and awards made the way other modules make them (awardPoints inside a transaction).
import { DEMO_PASSWORD } from '../../src/server/demo/accounts.js';
import { awardPoints, type AwardInput } from '../../src/server/modules/points/awards.js';
import { createAccount } from '../../src/server/modules/identity/service.js';
import type { Role } from '../../src/server/modules/identity/tables.js';
import { signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';

let counter = 0;
export function freshPhone(): string {
  counter += 1;
  return `1390066${String((process.pid * 7 + counter) % 10000).padStart(4, '0')}`;
}

export async function regionCode(t: TestApp, names: string[]): Promise<string> {
  let parent: string | null = null;
  let code = '';
  for (const name of names) {
    let query = t.ctx.db.selectFrom('regions').select('code').where('name', '=', name);
    if (parent) query = query.where('parent_code', '=', parent);
    code = (await query.executeTakeFirstOrThrow()).code;
    parent = code;
  }
  return code;
}

export async function newUser(
  t: TestApp,
  role: Role,
  regionCodeOf: string,
  organisationId: string | null = null,
): Promise<{ id: string; phone: string; session: SessionHeaders }> {
  const phone = freshPhone();
  const user = await createAccount(t.ctx, t.ctx.db, {
    phone,
    displayName: `${role}-${phone.slice(-4)}`,
    password: DEMO_PASSWORD,
    grants: [{ role, regionCode: regionCodeOf, organisationId }],
  });
  return { id: user.id, phone, session: await signInAs(t.app, phone) };
}

export function award(t: TestApp, input: Omit<AwardInput, 'actorId'> & { actorId?: string | null }) {
  return t.ctx.db.transaction().execute((trx) => awardPoints(trx, t.ctx, { actorId: null, ...input }));
}

export async function organisationId(t: TestApp, name: string): Promise<string> {
  return (await t.ctx.db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
}
