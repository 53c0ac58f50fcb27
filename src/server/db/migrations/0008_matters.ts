// The matter engine: matters, their append-only timeline, in-app messages and the outbox of
// messages to send through other channels.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table matters (
      id uuid primary key default gen_random_uuid(),
      number bigint generated always as identity unique,
      kind text not null,
      status text not null,
      version integer not null,
      region_code text not null references regions (code),
      region_path ltree not null,
      district_code text,
      street_code text,
      category text not null,
      title text not null,
      body text not null,
      payload jsonb not null default '{}',
      channel text not null,
      raised_by uuid references users (id),
      contact_name text,
      contact_phone_cipher text,
      contact_phone_index text,
      contact_phone_masked text,
      owner_org_id uuid references organisations (id),
      owner_user_id uuid references users (id),
      priority smallint not null default 2,
      due_at timestamptz,
      paused_since timestamptz,
      clock_remaining_minutes integer,
      supervision_level smallint not null default 0,
      reopen_count integer not null default 0,
      outcome text,
      satisfaction text,
      money_recovered numeric(14, 2) not null default 0,
      merged_into uuid references matters (id),
      first_assigned_at timestamptz,
      assigned_at timestamptz,
      replied_at timestamptz,
      closed_at timestamptz,
      is_demo boolean not null default false,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  // The ledger's paths: newest first inside a district or a street, keyset by (created_at, id).
  await sql`create index matters_district_created on matters (district_code, created_at desc, id desc)`.execute(db);
  await sql`create index matters_street_created on matters (street_code, created_at desc, id desc)`.execute(db);
  await sql`create index matters_created on matters (created_at desc, id desc)`.execute(db);
  // … and by deadline (the desk's "what is due first") and by last change.
  await sql`create index matters_district_due on matters (district_code, due_at asc nulls last, id)`.execute(db);
  await sql`create index matters_street_due on matters (street_code, due_at asc nulls last, id)`.execute(db);
  await sql`create index matters_district_updated on matters (district_code, updated_at desc, id desc)`.execute(db);
  await sql`create index matters_street_updated on matters (street_code, updated_at desc, id desc)`.execute(db);
  await sql`create index matters_region_path on matters using gist (region_path)`.execute(db);
  await sql`create index matters_owner_org on matters (owner_org_id, status)`.execute(db);
  await sql`create index matters_owner_user on matters (owner_user_id, status)`.execute(db);
  await sql`create index matters_raised_by on matters (raised_by, created_at desc)`.execute(db);
  await sql`create index matters_due on matters (due_at) where due_at is not null and closed_at is null`.execute(db);
  await sql`create index matters_contact_phone on matters (contact_phone_index) where contact_phone_index is not null`.execute(db);
  await sql`create index matters_title_trgm on matters using gin (title gin_trgm_ops)`.execute(db);

  await sql`
    create table matter_events (
      id bigint generated always as identity primary key,
      matter_id uuid not null references matters (id),
      seq integer not null,
      type text not null,
      actor_id uuid references users (id),
      actor_role text,
      actor_org_id uuid references organisations (id),
      from_status text,
      to_status text,
      note text,
      data jsonb not null default '{}',
      files jsonb not null default '[]',
      at timestamptz not null,
      unique (matter_id, seq)
    )`.execute(db);
  await sql`create index matter_events_type_at on matter_events (type, at)`.execute(db);

  // The timeline is append-only. The one exception is erasure of a person's data, which sets
  // nuanxin.erasure for its own transaction.
  await sql`
    create function matter_events_append_only() returns trigger language plpgsql as $$
    begin
      if current_setting('nuanxin.erasure', true) = 'on' and tg_op = 'UPDATE' then
        return new;
      end if;
      raise exception 'matter_events is append-only' using errcode = '55000';
    end $$`.execute(db);
  await sql`
    create trigger matter_events_append_only before update or delete on matter_events
    for each row execute function matter_events_append_only()`.execute(db);

  await sql`
    create table notifications (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id),
      matter_id uuid references matters (id),
      event_seq integer,
      template text not null,
      params jsonb not null default '{}',
      read_at timestamptz,
      created_at timestamptz not null default now(),
      unique (user_id, matter_id, event_seq, template)
    )`.execute(db);
  await sql`create index notifications_user on notifications (user_id, created_at desc)`.execute(db);

  await sql`
    create table outbox (
      id uuid primary key default gen_random_uuid(),
      channel text not null check (channel in ('sms', 'wechat')),
      user_id uuid not null references users (id),
      template text not null,
      params jsonb not null default '{}',
      dedupe_key text not null unique,
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text,
      sent_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index outbox_pending on outbox (next_attempt_at) where status = 'pending'`.execute(db);
}
