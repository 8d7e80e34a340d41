import { Migration } from '@mikro-orm/migrations';

/**
 * Subscriptions (tab 6) and unbilled charges.
 *
 * A subscription keeps the price it was sold at (unit price, currency, cycle, tax class are
 * copied from the catalogue), so a catalogue change never reprices it behind the client's back.
 * `version` grows on every change: a proration preview names the version it was computed on.
 *
 * An unbilled charge is a line the next invoice run will consume (signed: a proration credit is
 * negative). `invoice_id` stays null until then.
 */
export class Migration20261125240100_subscriptions extends Migration {
	override async up(): Promise<void> {
		this.addSql(`
create table subscription (
  id uuid primary key,
  client_id uuid not null references client (id) on delete cascade deferrable initially deferred,
  product_id uuid not null references product (id) deferrable initially deferred,
  product_name varchar(120) not null,
  billing_cycle text not null check (billing_cycle in ('hourly', 'monthly', 'yearly')),
  currency char(3) not null,
  unit_price_minor bigint not null check (unit_price_minor >= 0),
  quantity integer not null check (quantity between 1 and 10000),
  discount_bp integer not null default 0 check (discount_bp between 0 and 10000),
  tax_class text not null check (tax_class in ('standard', 'reduced', 'exempt')),
  status text not null check (status in ('trial', 'pending', 'active', 'suspended', 'cancellation_pending', 'cancelled', 'expired')),
  started_at timestamptz not null,
  trial_ends_at timestamptz,
  current_period_start timestamptz not null,
  current_period_end timestamptz not null,
  minimum_term_ends_at timestamptz,
  notice_days integer not null default 0 check (notice_days between 0 and 365),
  cancel_at timestamptz,
  cancelled_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (current_period_end > current_period_start),
  check ((status = 'cancellation_pending') = (cancel_at is not null))
);`);
		// The tab's list: newest first, keyset on (created_at, id), optionally by status or plan.
		this.addSql(`create index subscription_client_idx on subscription (client_id, created_at desc, id desc);`);
		this.addSql(`create index subscription_client_status_idx on subscription (client_id, status, created_at desc, id desc);`);
		this.addSql(`
create table unbilled_charge (
  id uuid primary key,
  client_id uuid not null references client (id) on delete cascade deferrable initially deferred,
  subscription_id uuid references subscription (id) on delete set null deferrable initially deferred,
  description text not null,
  amount_minor bigint not null,
  currency char(3) not null,
  tax_class text not null check (tax_class in ('standard', 'reduced', 'exempt')),
  period_start timestamptz not null,
  period_end timestamptz not null,
  invoice_id uuid,
  created_at timestamptz not null,
  check (period_end >= period_start)
);`);
		// What the next invoice of a client will hold.
		this.addSql(`create index unbilled_charge_open_idx on unbilled_charge (client_id, created_at) where invoice_id is null;`);
	}
}
