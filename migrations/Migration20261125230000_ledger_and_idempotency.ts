import { Migration } from '@mikro-orm/migrations';

/**
 * The money ledger (tab 12) and idempotency keys.
 *
 * ledger_entry: one row per money movement. `amount` is signed bigint minor units and its sign
 * is the movement's effect on the client's credit balance (purchase and payment +, refund and
 * credit applied -, adjustment either way), so the balance is the plain sum of the succeeded
 * rows. The table is append-only: a trigger refuses DELETE, TRUNCATE and every UPDATE except
 * the one-way settlement of a pending row (status pending -> succeeded | failed, with its
 * settled_at and failure reason); amounts, kinds and owners can never be rewritten.
 *
 * idempotency_key: the stored outcome of a money-moving request, unique per client, scope and
 * key, kept at least 24 hours (expired rows are deleted when the same key is seen again and by
 * the ledger's cleanup).
 */
export class Migration20261125230000_ledger_and_idempotency extends Migration {
	override async up(): Promise<void> {
		this.addSql(`
create table ledger_entry (
  id uuid primary key,
  client_id uuid not null references client (id) on delete restrict deferrable initially deferred,
  kind text not null check (kind in ('credit_purchase', 'payment', 'refund', 'credit_applied', 'adjustment')),
  amount bigint not null check (amount <> 0),
  currency char(3) not null,
  gateway varchar(40) not null,
  reference varchar(200),
  status text not null check (status in ('pending', 'succeeded', 'failed')),
  failure_reason text,
  reason text,
  refund_of_id uuid references ledger_entry (id) deferrable initially deferred,
  created_at timestamptz not null,
  created_by_user_id uuid references app_user (id) on delete set null deferrable initially deferred,
  created_by_name varchar(200) not null,
  settled_at timestamptz,
  check ((kind in ('credit_purchase', 'payment') and amount > 0) or (kind in ('refund', 'credit_applied') and amount < 0) or kind = 'adjustment'),
  check (kind <> 'adjustment' or length(trim(coalesce(reason, ''))) > 0),
  check ((kind = 'refund') = (refund_of_id is not null)),
  check ((status = 'pending') = (settled_at is null))
);`);
		// The tab's list and its filters, newest first with id as the keyset tie-break.
		this.addSql(`create index ledger_entry_client_idx on ledger_entry (client_id, created_at desc, id desc);`);
		this.addSql(`create index ledger_entry_client_kind_idx on ledger_entry (client_id, kind, created_at desc, id desc);`);
		this.addSql(`create index ledger_entry_client_status_idx on ledger_entry (client_id, status, created_at desc, id desc);`);
		// The balance: an index-only sum over the succeeded rows of one client.
		this.addSql(`create index ledger_entry_balance_idx on ledger_entry (client_id, currency) include (amount) where status = 'succeeded';`);
		// At most one refund per refunded entry (a full refund), also under concurrent requests.
		this.addSql(`create unique index ledger_entry_refund_once_idx on ledger_entry (refund_of_id) where refund_of_id is not null and status <> 'failed';`);
		// Pending gateway charges found by the polling job and the callback.
		this.addSql(`create index ledger_entry_pending_idx on ledger_entry (gateway, reference) where status = 'pending';`);
		this.addSql(`
create function ledger_entry_is_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE'
     and old.status = 'pending' and new.status in ('succeeded', 'failed')
     and (to_jsonb(new) - 'status' - 'settled_at' - 'failure_reason') = (to_jsonb(old) - 'status' - 'settled_at' - 'failure_reason') then
    return new;
  end if;
  raise exception 'ledger_entry is append-only: % is not allowed', tg_op using errcode = 'restrict_violation';
end $$;`);
		this.addSql(`create trigger ledger_entry_append_only before update or delete on ledger_entry for each row execute function ledger_entry_is_append_only();`);
		this.addSql(`create trigger ledger_entry_no_truncate before truncate on ledger_entry for each statement execute function ledger_entry_is_append_only();`);

		this.addSql(`
create table idempotency_key (
  client_id uuid not null references client (id) on delete cascade deferrable initially deferred,
  scope varchar(60) not null,
  key varchar(200) not null,
  request_hash char(64) not null,
  response jsonb,
  created_at timestamptz not null,
  primary key (client_id, scope, key)
);`);
		this.addSql(`create index idempotency_key_created_idx on idempotency_key (created_at);`);
	}
}
