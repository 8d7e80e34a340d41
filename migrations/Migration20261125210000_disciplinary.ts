import { Migration } from '@mikro-orm/migrations';

/**
 * Disciplinary actions (tab 13). Rows are never deleted: lifting or expiry only sets the status
 * and who/when/why, so the history stays complete.
 *
 * The pg-boss tables are not created here: pg-boss installs and migrates its own schema
 * (`pgboss`) when the job runner starts.
 */
export class Migration20261125210000_disciplinary extends Migration {
	override async up(): Promise<void> {
		this.addSql(`
create table disciplinary_action (
  id uuid primary key,
  client_id uuid not null references client (id) on delete cascade deferrable initially deferred,
  type text not null check (type in ('warning', 'restriction', 'suspension', 'termination')),
  no_new_resources boolean not null default false,
  no_subuser_logins boolean not null default false,
  no_api boolean not null default false,
  reason_category text not null check (reason_category in ('abuse', 'fraud', 'non_payment', 'spam', 'tos')),
  reason text not null,
  evidence_note text,
  starts_at timestamptz not null,
  ends_at timestamptz,
  lifts_on_payment boolean not null default false,
  status text not null check (status in ('scheduled', 'active', 'lifted', 'expired')),
  acted_by_user_id uuid references app_user (id) on delete set null deferrable initially deferred,
  acted_by_name varchar(200) not null,
  created_at timestamptz not null,
  lifted_at timestamptz,
  lifted_by_user_id uuid references app_user (id) on delete set null deferrable initially deferred,
  lifted_by_name varchar(200),
  lift_reason text,
  ended_at timestamptz,
  check (ends_at is null or ends_at > starts_at),
  check (type = 'restriction' or not (no_new_resources or no_subuser_logins or no_api)),
  check (type <> 'restriction' or no_new_resources or no_subuser_logins or no_api),
  check (type <> 'termination' or ends_at is null),
  check (lifts_on_payment = (type = 'suspension' and reason_category = 'non_payment')),
  check ((status = 'lifted') = (lifted_at is not null))
);`);
		// The tab's history, newest first.
		this.addSql(`create index disciplinary_action_client_idx on disciplinary_action (client_id, created_at desc, id desc);`);
		// Enforcement and the banner read only the actions still in force or waiting to start.
		this.addSql(`create index disciplinary_action_open_idx on disciplinary_action (client_id) where status in ('scheduled', 'active');`);
	}
}
