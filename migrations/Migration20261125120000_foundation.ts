import { Migration } from '@mikro-orm/migrations';

/**
 * Foreign keys are deferred to commit: entities hold scalar ids, so the unit of work may insert
 * a child before its parent within one transaction.
 *
 * Clients, users, roles, sessions, login attempts, the append-only activity log and the outbox. */
export class Migration20261125120000_foundation extends Migration {
	override async up(): Promise<void> {
		this.addSql(`create extension if not exists pg_trgm;`);

		this.addSql(`
create table client (
  id uuid primary key,
  name varchar(200) not null,
  email varchar(320) not null,
  company varchar(200),
  type text not null check (type in ('organization', 'individual')),
  billing_type text not null check (billing_type in ('prepaid', 'postpaid', 'manual')),
  currency char(3) not null,
  status text not null default 'active' check (status in ('active', 'suspended', 'blocked', 'terminated')),
  status_reason text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);`);
		// One index per list sort (and per status filter + sort), each ending in id for the keyset tie-break.
		this.addSql(`create index client_name_idx on client (lower(name), id);`);
		this.addSql(`create index client_email_idx on client (lower(email), id);`);
		this.addSql(`create index client_created_idx on client (created_at, id);`);
		this.addSql(`create index client_status_name_idx on client (status, lower(name), id);`);
		this.addSql(`create index client_status_email_idx on client (status, lower(email), id);`);
		this.addSql(`create index client_status_created_idx on client (status, created_at, id);`);
		this.addSql(`create index client_search_trgm_idx on client using gin ((lower(name || ' ' || email || ' ' || coalesce(company, ''))) gin_trgm_ops);`);

		this.addSql(`
create table role (
  id uuid primary key,
  built_in_key varchar(40) unique,
  audience text not null check (audience in ('staff', 'client')),
  client_id uuid references client (id) on delete cascade deferrable initially deferred,
  name varchar(80) not null,
  description text not null default '',
  permissions text[] not null,
  created_at timestamptz not null
);`);
		this.addSql(`create unique index role_client_name_idx on role (client_id, lower(name)) where client_id is not null;`);

		this.addSql(`
create table app_user (
  id uuid primary key,
  kind text not null check (kind in ('staff', 'client')),
  client_id uuid references client (id) on delete cascade deferrable initially deferred,
  role_id uuid not null references role (id) deferrable initially deferred,
  email varchar(320) not null,
  name varchar(200) not null,
  password_hash text,
  active boolean not null default true,
  blocked_at timestamptz,
  blocked_reason text,
  locked_until timestamptz,
  created_at timestamptz not null,
  check ((kind = 'staff') = (client_id is null))
);`);
		this.addSql(`create unique index app_user_email_idx on app_user (lower(email));`);
		this.addSql(`create index app_user_client_idx on app_user (client_id);`);

		this.addSql(`
create table session (
  id varchar(64) primary key,
  user_id uuid not null references app_user (id) on delete cascade deferrable initially deferred,
  impersonator_user_id uuid references app_user (id) on delete cascade deferrable initially deferred,
  expires_at timestamptz not null,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  ip varchar(64),
  user_agent text
);`);
		this.addSql(`create index session_user_idx on session (user_id);`);

		this.addSql(`
create table login_attempt (
  id bigint generated always as identity primary key,
  email varchar(320) not null,
  user_id uuid references app_user (id) on delete cascade deferrable initially deferred,
  succeeded boolean not null,
  reason varchar(40) not null,
  ip varchar(64),
  user_agent text,
  created_at timestamptz not null
);`);
		this.addSql(`create index login_attempt_user_idx on login_attempt (user_id, id desc);`);

		this.addSql(`
create table activity (
  id bigint generated always as identity primary key,
  client_id uuid references client (id) deferrable initially deferred,
  actor_user_id uuid,
  actor_name varchar(200) not null,
  actor_kind varchar(16) not null,
  impersonator_user_id uuid,
  impersonator_name varchar(200),
  action varchar(80) not null,
  target_type varchar(60) not null,
  target_id varchar(80),
  summary text not null,
  before jsonb,
  after jsonb,
  staff_only boolean not null default false,
  ip varchar(64),
  user_agent text,
  created_at timestamptz not null
);`);
		this.addSql(`create index activity_client_idx on activity (client_id, id desc);`);
		this.addSql(`create index activity_client_action_idx on activity (client_id, action, id desc);`);
		this.addSql(`create index activity_all_idx on activity (id desc);`);
		// The audit log is append-only: history cannot be rewritten, not even by the application.
		this.addSql(`
create function activity_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'activity is append-only: % is not allowed', tg_op using errcode = 'restrict_violation';
end $$;`);
		this.addSql(`create trigger activity_append_only before update or delete on activity for each row execute function activity_is_append_only();`);
		this.addSql(`create trigger activity_no_truncate before truncate on activity for each statement execute function activity_is_append_only();`);

		this.addSql(`
create table outbox (
  id bigint generated always as identity primary key,
  rooms text[] not null,
  event varchar(80) not null,
  payload jsonb not null,
  created_at timestamptz not null,
  relayed_at timestamptz
);`);
		// rate-limiter-flexible's table, created here so the app never needs DDL rights at run time.
		this.addSql(`create table rate_limit (key varchar(255) primary key, points integer not null default 0, expire bigint);`);
		this.addSql(`create index outbox_unrelayed_idx on outbox (id) where relayed_at is null;`);
	}
}
