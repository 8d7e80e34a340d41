import { Migration } from '@mikro-orm/migrations';

/**
 * Per-room event sequences for the live pipeline, and the NOTIFY that wakes the relay.
 * Outbox ids are assigned in commit order (mutate() takes a transaction advisory lock before
 * writing them), so the relay can follow a simple id watermark; the per-room sequence lets a
 * client see a gap and ask for exactly what it missed.
 */
export class Migration20261125160000_live_pipeline extends Migration {
	override async up(): Promise<void> {
		this.addSql(`create table room_sequence (room text primary key, last_seq bigint not null);`);
		this.addSql(`
create table outbox_room (
  room text not null,
  seq bigint not null,
  outbox_id bigint not null references outbox (id) deferrable initially deferred,
  primary key (room, seq)
);`);
		this.addSql(`create index outbox_room_outbox_idx on outbox_room (outbox_id);`);
		// The payload is only a hint: the relay always reads the table.
		this.addSql(`
create function outbox_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('cirrus_outbox', '');
  return null;
end $$;`);
		this.addSql(`create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify();`);
		// @socket.io/postgres-adapter's table for broadcasts too large for a NOTIFY payload.
		this.addSql(`create table socket_io_attachments (id bigserial unique, created_at timestamptz default now(), payload bytea);`);
		// The outbox's relayed_at flag is not used: the relay keeps a watermark instead.
		this.addSql(`drop index outbox_unrelayed_idx;`);
		this.addSql(`alter table outbox drop column relayed_at;`);
	}
}
