import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The last seq of each room, read before a page's data: the page subscribes with it and gets
 * replayed whatever committed after (events are idempotent patches, so an overlap is harmless).
 */
export async function roomSeqs(em: EntityManager, rooms: string[]): Promise<Record<string, number>> {
	const rows: { room: string; last_seq: string }[] = await em.execute(
		'select room, last_seq from room_sequence where room in (select jsonb_array_elements_text(?::jsonb))',
		[JSON.stringify(rooms)]
	);
	const seqs = Object.fromEntries(rooms.map((room) => [room, 0]));
	for (const row of rows) seqs[row.room] = Number(row.last_seq);
	return seqs;
}
