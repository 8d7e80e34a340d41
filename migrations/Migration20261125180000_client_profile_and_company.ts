import { Migration } from '@mikro-orm/migrations';

/**
 * Personal Details and Company Details, one row each per client (written on the first save;
 * a client without a row reads as empty). Name, email and company name stay on `client`, where
 * the list and the header read them.
 */
export class Migration20261125180000_client_profile_and_company extends Migration {
	override async up(): Promise<void> {
		this.addSql(`
create table client_profile (
  client_id uuid primary key references client (id) on delete cascade deferrable initially deferred,
  phone varchar(20),
  address_line1 varchar(200),
  address_line2 varchar(200),
  city varchar(120),
  region varchar(120),
  postal_code varchar(20),
  country char(2),
  time_zone varchar(64),
  date_format varchar(20) not null default 'iso',
  language varchar(10) not null default 'en',
  theme text not null default 'system' check (theme in ('light', 'dark', 'system')),
  pending_email varchar(320),
  pending_email_otp_id uuid,
  pending_email_requested_at timestamptz,
  updated_at timestamptz not null
);`);

		this.addSql(`
create table client_company (
  client_id uuid primary key references client (id) on delete cascade deferrable initially deferred,
  address_line1 varchar(200),
  address_line2 varchar(200),
  city varchar(120),
  region varchar(120),
  postal_code varchar(20),
  country char(2),
  billing_phone varchar(20),
  vat_id varchar(32),
  tax_exempt boolean not null default false,
  tax_exempt_reason text,
  billing_emails jsonb not null default '[]'::jsonb,
  updated_at timestamptz not null,
  constraint client_company_exempt_reason check (not tax_exempt or tax_exempt_reason is not null)
);`);
	}
}
