import { Migration } from '@mikro-orm/migrations';

/**
 * Invitations of sub-users (only the SHA-256 of the link token is stored, as for password links)
 * and the indexes the Users tab reads with. Foreign keys are deferred to commit, as in the
 * foundation migration.
 */
export class Migration20261125200000_users_and_invitations extends Migration {
	override async up(): Promise<void> {
		this.addSql(`
create table invitation (
  id uuid primary key,
  client_id uuid not null references client (id) on delete cascade deferrable initially deferred,
  email varchar(320) not null,
  role_id uuid not null references role (id) deferrable initially deferred,
  token_hash varchar(64) not null,
  invited_by_user_id uuid references app_user (id) on delete set null deferrable initially deferred,
  invited_by_name varchar(200) not null,
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_user_id uuid references app_user (id) on delete set null deferrable initially deferred,
  revoked_at timestamptz,
  created_at timestamptz not null
);`);
		this.addSql(`create unique index invitation_token_hash_idx on invitation (token_hash);`);
		// One open invitation per address and client: a second invite is a resend, not a duplicate.
		this.addSql(`create unique index invitation_open_email_idx on invitation (client_id, lower(email)) where accepted_at is null and revoked_at is null;`);
		// The Users tab's list of open invitations, newest first.
		this.addSql(`create index invitation_client_open_idx on invitation (client_id, created_at desc, id desc) where accepted_at is null and revoked_at is null;`);
		// Deleting a role checks whether an open invitation still names it.
		this.addSql(`create index invitation_role_idx on invitation (role_id) where accepted_at is null and revoked_at is null;`);

		// The Users tab's keyset list (oldest first: the owner leads) and the "role in use" check.
		this.addSql(`create index app_user_client_created_idx on app_user (client_id, created_at, id);`);
		this.addSql(`create index app_user_role_idx on app_user (role_id);`);
		// "Last sign-in" per user: the newest successful attempt.
		this.addSql(`create index login_attempt_user_success_idx on login_attempt (user_id, id desc) where succeeded;`);
	}
}
