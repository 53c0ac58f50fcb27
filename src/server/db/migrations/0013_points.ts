// Red points (红色积分) as a double-entry ledger, the rules that award them, and rewards at
// merchants with their redemptions. A transfer is one movement; its entries (one per account,
// signed) sum to zero. Balances of worker and merchant accounts are cached on the account row,
// changed only in the transaction that writes the entries (checked by rebuild); the platform's
// own accounts (issuing, hold, expiry) keep no cached balance, so they are never a lock hot spot.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table point_accounts (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('issuing', 'hold', 'expiry', 'worker', 'merchant')),
      user_id uuid unique references users (id),
      organisation_id uuid unique references organisations (id),
      balance bigint,
      created_at timestamptz not null default now(),
      check ((kind = 'worker') = (user_id is not null)),
      check ((kind = 'merchant') = (organisation_id is not null)),
      check ((kind in ('worker', 'merchant')) = (balance is not null)),
      check (balance >= 0)
    )`.execute(db);
  // One each of the platform's accounts.
  await sql`create unique index point_accounts_platform on point_accounts (kind) where kind in ('issuing', 'hold', 'expiry')`.execute(db);
  await sql`insert into point_accounts (kind) values ('issuing'), ('hold'), ('expiry')`.execute(db);

  await sql`
    create table point_transfers (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('award', 'spend', 'hold', 'release', 'expiry', 'correction')),
      -- What caused it: (source, source_id) is unique for awards, so an award is made once.
      source text,
      source_id text,
      points integer not null check (points >= 0),
      region_code text references regions (code),
      actor_id uuid references users (id),
      note text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index point_transfers_award_source on point_transfers (source, source_id) where kind = 'award'`.execute(db);

  await sql`
    create table point_entries (
      id bigint generated always as identity primary key,
      transfer_id uuid not null references point_transfers (id),
      account_id uuid not null references point_accounts (id),
      amount integer not null check (amount <> 0),
      -- For credits that start a lot (awards, positive corrections): when the lot expires.
      expires_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index point_entries_account on point_entries (account_id, id)`.execute(db);
  await sql`create index point_entries_transfer on point_entries (transfer_id)`.execute(db);

  // Rules set by a city or district; the nearest one above a region applies.
  await sql`
    create table point_rules (
      region_code text primary key references regions (code),
      report_ordinary integer not null check (report_ordinary >= 0),
      report_useful integer not null check (report_useful >= 0),
      report_important integer not null check (report_important >= 0),
      per_volunteer_hour integer not null check (per_volunteer_hour >= 0),
      per_grid_shift integer not null check (per_grid_shift >= 0),
      monthly_cap integer not null check (monthly_cap >= 0),
      expiry_months integer not null check (expiry_months between 1 and 120),
      code_ttl_minutes integer not null check (code_ttl_minutes between 5 and 1440),
      updated_by uuid references users (id),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table rewards (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations (id),
      region_path ltree not null,
      title text not null,
      description text not null default '',
      points_price integer not null check (points_price > 0),
      valid_from timestamptz,
      valid_until timestamptz,
      is_active boolean not null default true,
      is_demo boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index rewards_organisation on rewards (organisation_id)`.execute(db);
  // A reward's stock is spread over a few slots: concurrent redemptions each take an item from
  // a slot no one else holds (FOR UPDATE SKIP LOCKED), so they do not queue behind one row
  // through every commit. The stock is the sum of the slots.
  await sql`
    create table reward_stock (
      reward_id uuid not null references rewards (id) on delete cascade,
      slot smallint not null,
      stock integer not null check (stock >= 0),
      primary key (reward_id, slot)
    )`.execute(db);
  await sql`create index rewards_region_path on rewards using gist (region_path)`.execute(db);

  await sql`
    create table redemptions (
      id uuid primary key default gen_random_uuid(),
      reward_id uuid not null references rewards (id),
      organisation_id uuid not null references organisations (id),
      user_id uuid not null references users (id),
      points integer not null check (points > 0),
      status text not null default 'pending' check (status in ('pending', 'confirmed', 'expired')),
      -- Only hashes of the codes are kept: the QR token (≥128 bits) and the 8-digit code.
      token_hash text not null unique,
      short_code_hash text not null,
      -- Which derivation of the 8-digit code is in use (a clash with a pending code moves on).
      short_code_attempt smallint not null default 0,
      idempotency_key text,
      hold_transfer_id uuid not null references point_transfers (id),
      settle_transfer_id uuid references point_transfers (id),
      expires_at timestamptz not null,
      confirmed_at timestamptz,
      confirmed_by uuid references users (id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index redemptions_idempotency on redemptions (user_id, idempotency_key) where idempotency_key is not null`.execute(db);
  // An 8-digit code is unique among the codes still waiting to be scanned.
  await sql`create unique index redemptions_short_code on redemptions (short_code_hash) where status = 'pending'`.execute(db);
  await sql`create index redemptions_short_code_any on redemptions (short_code_hash)`.execute(db);
  await sql`create index redemptions_pending_expiry on redemptions (expires_at) where status = 'pending'`.execute(db);
  await sql`create index redemptions_user on redemptions (user_id, created_at desc)`.execute(db);
  await sql`create index redemptions_organisation on redemptions (organisation_id, status, created_at desc)`.execute(db);
}
