import type pg from 'pg';
import { MAX_REPLAY, type LiveEvent } from './live-event';

/** The room's current seq, and what came after `afterSeq` (or a refetch order when too much). */
export async function replayRoom(
	pool: pg.Pool,
	room: string,
	afterSeq: number | undefined
): Promise<{ seq: number; missed: LiveEvent[] } | { seq: number; refetch: true }> {
	const current = await pool.query<{ last_seq: string }>('select last_seq from room_sequence where room = $1', [room]);
	const seq = Number(current.rows[0]?.last_seq ?? 0);
	if (afterSeq === undefined || afterSeq >= seq) return { seq, missed: [] };
	if (seq - afterSeq > MAX_REPLAY) return { seq, refetch: true };
	const { rows } = await pool.query<{ seq: string; event: string; payload: Record<string, unknown>; created_at: Date }>(
		`select r.seq, o.event, o.payload, o.created_at
		   from outbox_room r join outbox o on o.id = r.outbox_id
		  where r.room = $1 and r.seq > $2
		  order by r.seq`,
		[room, afterSeq]
	);
	return {
		seq,
		missed: rows.map((row) => ({ room, seq: Number(row.seq), event: row.event, payload: row.payload, committedAt: row.created_at.toISOString() }))
	};
}
