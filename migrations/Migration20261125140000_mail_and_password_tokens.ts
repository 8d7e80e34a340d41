import { Migration } from '@mikro-orm/migrations';

/**
 * Outgoing mail (every message is recorded before it is sent, so staff can read what went out
 * even with no SMTP server configured) and single-use password setup/reset tokens, stored only
 * as SHA-256 hashes. Foreign keys are deferred to commit, as in the foundation migration.
 */
export class Migration20261125140000_mail_and_password_tokens extends Migration {
	override async up(): Promise<void> {
		this.addSql(`
create table mail_message (
  id uuid primary key,
  client_id uuid references client (id) on delete set null deferrable initially deferred,
  to_address varchar(320) not null,
  subject varchar(300) not null,
  template varchar(60) not null,
  text_body text not null,
  html_body text not null,
  status text not null default 'stored' check (status in ('stored', 'sent', 'failed')),
  error text,
  created_at timestamptz not null,
  sent_at timestamptz
);`);
		// The per-client email log and the staff-wide sent-mail page, both newest first with id as the keyset tie-break.
		this.addSql(`create index mail_message_client_idx on mail_message (client_id, created_at desc, id desc);`);
		this.addSql(`create index mail_message_created_idx on mail_message (created_at desc, id desc);`);

		this.addSql(`
create table password_token (
  id uuid primary key,
  user_id uuid not null references app_user (id) on delete cascade deferrable initially deferred,
  purpose text not null check (purpose in ('welcome', 'reset')),
  token_hash varchar(64) not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null
);`);
		this.addSql(`create unique index password_token_hash_idx on password_token (token_hash);`);
		// Revoking a user's outstanding links when one is used.
		this.addSql(`create index password_token_user_open_idx on password_token (user_id) where used_at is null;`);
	}
}
