import { Migration } from '@mikro-orm/migrations';

/**
 * Billing Setup (tab 10). The billing type and the currency stay on `client` (the client list and
 * every other module read them there); billing_settings holds the rest, one row per client,
 * created with these defaults on the first read or save.
 *
 * budget_alert is the record that a threshold fired: its unique (client_id, period, threshold) is
 * what makes an alert fire once per period per threshold, whatever retries or nodes do.
 */
export class Migration20261125250000_billing_settings extends Migration {
	override async up(): Promise<void> {
		this.addSql(`
create table billing_settings (
  client_id uuid primary key references client (id) on delete cascade deferrable initially deferred,
  invoice_language varchar(5) not null default 'en',
  reminder_interval_days integer not null default 7 check (reminder_interval_days between 1 and 90),
  payment_retry_attempts integer not null default 3 check (payment_retry_attempts between 0 and 10),
  billing_cycle text not null default 'monthly' check (billing_cycle in ('monthly', 'yearly')),
  invoice_day integer not null default 1 check (invoice_day between 1 and 28),
  payment_terms_days integer not null default 14 check (payment_terms_days between 0 and 120),
  tax_profile text not null default 'standard' check (tax_profile in ('standard', 'reverse_charge', 'exempt')),
  credit_limit bigint check (credit_limit >= 0),
  suspend_after_days integer check (suspend_after_days between 1 and 365),
  terminate_after_days integer check (terminate_after_days between 1 and 730),
  low_balance_threshold bigint check (low_balance_threshold >= 0),
  auto_apply_credit boolean not null default false,
  monthly_budget bigint check (monthly_budget > 0),
  alert_thresholds jsonb not null default '[50, 80, 100]',
  updated_at timestamptz not null default now(),
  check (terminate_after_days is null or suspend_after_days is null or terminate_after_days > suspend_after_days)
);

create table budget_alert (
  id uuid primary key,
  client_id uuid not null references client (id) on delete cascade deferrable initially deferred,
  period char(7) not null,
  threshold integer not null check (threshold between 1 and 200),
  budget bigint not null,
  spent bigint not null,
  currency char(3) not null,
  fired_at timestamptz not null,
  unique (client_id, period, threshold)
);
`);
	}

	override async down(): Promise<void> {
		this.addSql('drop table if exists budget_alert;');
		this.addSql('drop table if exists billing_settings;');
	}
}
