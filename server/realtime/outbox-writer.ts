import type { EntityManager } from '@mikro-orm/postgresql';

export interface OutboxEvent {
	event: string;
	rooms: string[];
	payload: Record<string, unknown>;
}

/** Held until commit, so outbox ids are handed out in commit order (see the live pipeline migration). */
const OUTBOX_ORDER_LOCK = 7_313_001;

/** Writes events and their per-room sequence numbers inside the caller's transaction. */
export async function writeOutbox(tx: EntityManager, events: OutboxEvent[]): Promise<void> {
	if (!events.length) return;
	await tx.execute('select pg_advisory_xact_lock(?)', [OUTBOX_ORDER_LOCK]);
	for (const event of events) {
		// Rooms travel as JSON: the query layer would expand a JS array into a value list.
		const rooms = JSON.stringify([...new Set(event.rooms)]);
		await tx.execute(
			`with r as (
			   select array(select jsonb_array_elements_text(?::jsonb)) as rooms
			 ), o as (
			   insert into outbox (rooms, event, payload, created_at) select r.rooms, ?, ?::jsonb, now() from r returning id
			 ), s as (
			   insert into room_sequence (room, last_seq) select room, 1 from r, unnest(r.rooms) as room
			   on conflict (room) do update set last_seq = room_sequence.last_seq + 1
			   returning room, last_seq
			 )
			 insert into outbox_room (room, seq, outbox_id) select s.room, s.last_seq, o.id from s, o`,
			[rooms, event.event, JSON.stringify(event.payload)]
		);
	}
}
