import type { EntityManager } from '@mikro-orm/postgresql';
import { ActivitySchema, type Activity } from '../modules/activity/activity.entity';
import { writeOutbox, type OutboxEvent } from '../realtime/outbox-writer';
import type { Actor } from '../auth/actor';

export interface ActivityEntry {
	clientId: string | null;
	action: string;
	targetType: string;
	targetId?: string | null;
	summary: string;
	before?: Record<string, unknown> | null;
	after?: Record<string, unknown> | null;
	/** Hidden from the client's own users (internal staff actions). */
	staffOnly?: boolean;
}

export type { OutboxEvent };

export interface MutationOutcome<T> {
	result: T;
	activity: ActivityEntry | ActivityEntry[];
	/** Extra events beyond the `activity.created` one every activity row gets. */
	events?: OutboxEvent[];
}

/**
 * Rooms that hear about an activity row: the client's room (or its staff-only twin for internal
 * entries, which the client's own users may not join) and the staff-wide feed.
 */
export function activityRooms(entry: Pick<ActivityEntry, 'clientId' | 'staffOnly'>): string[] {
	if (!entry.clientId) return ['staff'];
	return [entry.staffOnly ? `client:${entry.clientId}:staff` : `client:${entry.clientId}`, 'staff'];
}

/**
 * Runs a change in one transaction together with its activity row(s) and outbox event(s),
 * or writes nothing at all. Every mutation in every module goes through here.
 */
export async function mutate<T>(
	em: EntityManager,
	actor: Actor,
	change: (tx: EntityManager) => Promise<MutationOutcome<T>>
): Promise<T> {
	return em.transactional(async (tx) => {
		const outcome = await change(tx);
		await tx.flush();
		const entries = Array.isArray(outcome.activity) ? outcome.activity : [outcome.activity];
		const rows: Activity[] = entries.map((entry) =>
			tx.create(ActivitySchema, {
				clientId: entry.clientId,
				actorUserId: actor.userId,
				actorName: actor.name,
				actorKind: actor.kind,
				impersonatorUserId: actor.impersonator?.userId ?? null,
				impersonatorName: actor.impersonator?.name ?? null,
				action: entry.action,
				targetType: entry.targetType,
				targetId: entry.targetId ?? null,
				summary: entry.summary,
				before: entry.before ?? null,
				after: entry.after ?? null,
				staffOnly: entry.staffOnly ?? false,
				ip: actor.ip,
				userAgent: actor.userAgent,
				createdAt: new Date()
			})
		);
		await tx.flush();
		await writeOutbox(tx, [
			...rows.map((row, index) => ({
				event: 'activity.created',
				rooms: activityRooms(entries[index]),
				payload: { activity: serializeActivity(row) }
			})),
			...(outcome.events ?? [])
		]);
		return outcome.result;
	});
}

export interface ActivityView {
	id: string;
	clientId: string | null;
	actorName: string;
	actorKind: string;
	impersonatorName: string | null;
	action: string;
	targetType: string;
	targetId: string | null;
	summary: string;
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
	staffOnly: boolean;
	ip: string | null;
	userAgent: string | null;
	createdAt: string;
}

export function serializeActivity(row: Activity): ActivityView {
	return {
		id: String(row.id),
		clientId: row.clientId ?? null,
		actorName: row.actorName,
		actorKind: row.actorKind,
		impersonatorName: row.impersonatorName ?? null,
		action: row.action,
		targetType: row.targetType,
		targetId: row.targetId ?? null,
		summary: row.summary,
		before: row.before ?? null,
		after: row.after ?? null,
		staffOnly: row.staffOnly,
		ip: row.ip ?? null,
		userAgent: row.userAgent ?? null,
		createdAt: row.createdAt.toISOString()
	};
}

/** The fields whose values differ, for the before/after of an audit row. */
export function diffFields<T extends Record<string, unknown>>(
	before: T,
	after: Partial<T>
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
	const changedBefore: Record<string, unknown> = {};
	const changedAfter: Record<string, unknown> = {};
	for (const key of Object.keys(after)) {
		if (after[key] !== undefined && JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
			changedBefore[key] = before[key] ?? null;
			changedAfter[key] = after[key] ?? null;
		}
	}
	return Object.keys(changedAfter).length ? { before: changedBefore, after: changedAfter } : null;
}
