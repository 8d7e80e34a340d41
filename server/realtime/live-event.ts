/** What a socket receives for each committed event in a room it joined. */
export interface LiveEvent {
	room: string;
	/** Gap-free per room: a client that sees seq jump asks for the missing ones. */
	seq: number;
	event: string;
	payload: Record<string, unknown>;
	committedAt: string;
}

export interface SubscribeRequest {
	room: string;
	/** Last seq this client saw in the room; omitted on a first subscription. */
	afterSeq?: number;
}

export type SubscribeReply =
	| { ok: true; seq: number; missed: LiveEvent[] }
	| { ok: true; seq: number; refetch: true }
	| { ok: false; error: string };

/** Above this many missed events the client is told to refetch instead. */
export const MAX_REPLAY = 1000;
