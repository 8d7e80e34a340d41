import { Migration } from '@mikro-orm/migrations';

/**
 * The product catalogue (plans, add-ons, licences, tools) with one price per billing cycle and
 * currency, and tax rates with validity dates.
 *
 * Amounts are bigint minor units of their currency. A tax rate applies from `valid_from`
 * (inclusive) to `valid_to` (exclusive, open when null): a rate change is a new row, so documents
 * dated before it keep the old rate.
 */
export class Migration20261125240000_catalogue_and_tax extends Migration {
	override async up(): Promise<void> {
		this.addSql(`
create table product (
  id uuid primary key,
  kind text not null check (kind in ('plan', 'addon', 'licence', 'tool')),
  name varchar(120) not null,
  description text not null default '',
  tax_class text not null check (tax_class in ('standard', 'reduced', 'exempt')),
  active boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null
);`);
		// Names are unique regardless of case: staff pick products by name.
		this.addSql(`create unique index product_name_uq on product (lower(name));`);
		// The staff list: by kind, then name.
		this.addSql(`create index product_list_idx on product (kind, lower(name), id);`);
		this.addSql(`
create table product_price (
  id uuid primary key,
  product_id uuid not null references product (id) on delete cascade deferrable initially deferred,
  billing_cycle text not null check (billing_cycle in ('hourly', 'monthly', 'yearly')),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  amount_minor bigint not null check (amount_minor >= 0),
  unique (product_id, billing_cycle, currency)
);`);
		this.addSql(`
create table tax_rate (
  id uuid primary key,
  country char(2) not null check (country ~ '^[A-Z]{2}$'),
  tax_class text not null check (tax_class in ('standard', 'reduced', 'exempt')),
  rate_bp integer not null check (rate_bp between 0 and 10000),
  valid_from date not null,
  valid_to date,
  check (valid_to is null or valid_to > valid_from),
  unique (country, tax_class, valid_from)
);`);
	}
}
