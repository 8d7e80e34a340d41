import { Migration } from '@mikro-orm/migrations';

/**
 * Authentication: one-time email codes (only a hash of each code is kept), TOTP two-factor
 * (the secret encrypted at rest, recovery codes hashed), the short-lived second sign-in step,
 * and why a session ended (so a page that lost its session can say "This account is blocked").
 */
export class Migration20261125190000_authentication extends Migration {
	override async up(): Promise<void> {
		this.addSql(`
create table otp_code (
  id uuid primary key,
  user_id uuid references app_user (id) on delete cascade deferrable initially deferred,
  client_id uuid references client (id) on delete cascade deferrable initially deferred,
  channel text not null check (channel in ('email')),
  purpose varchar(60) not null,
  destination varchar(320) not null,
  code_hash varchar(64) not null,
  status text not null default 'sent' check (status in ('sent', 'verified', 'expired', 'failed')),
  attempts integer not null default 0,
  ip varchar(64),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  verified_at timestamptz
);`);
		// The Authentication tab's list (per client, newest first, with status as an optional filter)
		// and the issuance rate limits (per destination and per client in the last hour).
		this.addSql(`create index otp_code_client_idx on otp_code (client_id, created_at desc, id desc);`);
		this.addSql(`create index otp_code_client_status_idx on otp_code (client_id, status, created_at desc, id desc);`);
		this.addSql(`create index otp_code_destination_idx on otp_code (lower(destination), created_at desc);`);

		this.addSql(`
create table user_totp (
  user_id uuid primary key references app_user (id) on delete cascade deferrable initially deferred,
  secret_encrypted text not null,
  confirmed_at timestamptz,
  created_at timestamptz not null
);`);

		this.addSql(`
create table totp_recovery_code (
  id uuid primary key,
  user_id uuid not null references app_user (id) on delete cascade deferrable initially deferred,
  code_hash varchar(64) not null,
  used_at timestamptz,
  created_at timestamptz not null
);`);
		this.addSql(`create index totp_recovery_code_user_idx on totp_recovery_code (user_id) where used_at is null;`);

		this.addSql(`
create table sign_in_challenge (
  id varchar(64) primary key,
  user_id uuid not null references app_user (id) on delete cascade deferrable initially deferred,
  attempts integer not null default 0,
  ip varchar(64),
  user_agent text,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);`);
		this.addSql(`create index sign_in_challenge_user_idx on sign_in_challenge (user_id);`);

		this.addSql(`
create table session_end (
  session_id varchar(64) primary key,
  user_id uuid not null references app_user (id) on delete cascade deferrable initially deferred,
  reason text not null check (reason in ('blocked', 'revoked', 'password_changed', 'two_factor_reset')),
  created_at timestamptz not null
);`);
		this.addSql(`create index session_end_created_idx on session_end (created_at);`);
		// The failed-login history of one client's users, newest first.
		this.addSql(`create index login_attempt_failed_idx on login_attempt (user_id, id desc) where not succeeded;`);
	}
}
