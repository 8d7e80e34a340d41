import { Migration } from '@mikro-orm/migrations';

/**
 * Activity tab tuning, measured on 400,000 entries of one client: finer statistics for the search
 * column (a rare word 180 ms -> 0.4 ms, the planner stops guessing its frequency) and a date index
 * for windows far in the past (a day a year back read every newer entry first: 0.5 s).
 */
export class Migration20261125220000_activity_tuning extends Migration {
	override async up(): Promise<void> {
		this.addSql(`alter table activity alter column search set statistics 1000;`);
		this.addSql(`create index activity_client_created_idx on activity (client_id, created_at desc, id desc);`);
		this.addSql(`analyze activity;`);
	}
}
