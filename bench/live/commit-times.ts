import pg from 'pg';

/**
 * When each event of a room committed, read back from PostgreSQL itself
 * (pg_xact_commit_timestamp of the outbox row's inserting transaction), a few times a second.
 * The bench's clock and the database's are the same machine's.
 */
export class CommitTimes {
	private readonly client: pg.Client;
	private afterSeq = 0;
	private timer: NodeJS.Timeout | null = null;
	private polling: Promise<void> | null = null;

	constructor(
		databaseUrl: string,
		private readonly room: string,
		private readonly onCommitted: (seq: number, committedAt: number) => void
	) {
		this.client = new pg.Client({ connectionString: databaseUrl });
	}

	async start(afterSeq: number, everyMs = 200): Promise<void> {
		this.afterSeq = afterSeq;
		await this.client.connect();
		this.timer = setInterval(() => void this.poll(), everyMs);
	}

	/** Reads what committed since the last read (also called once more at the end). */
	poll(): Promise<void> {
		this.polling ??= this.read().finally(() => (this.polling = null));
		return this.polling;
	}

	private async read(): Promise<void> {
		const { rows } = await this.client.query<{ seq: string; committed_ms: string | null }>(
			`select r.seq, extract(epoch from pg_xact_commit_timestamp(o.xmin)) * 1000 as committed_ms
			   from outbox_room r join outbox o on o.id = r.outbox_id
			  where r.room = $1 and r.seq > $2
			  order by r.seq`,
			[this.room, this.afterSeq]
		);
		for (const row of rows) {
			if (row.committed_ms === null) throw new Error(`No commit timestamp for ${this.room} seq ${row.seq}: is track_commit_timestamp on?`);
			this.afterSeq = Number(row.seq);
			this.onCommitted(this.afterSeq, Number(row.committed_ms));
		}
	}

	async stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		await this.polling?.catch(() => {});
		await this.client.end().catch(() => {});
	}
}
