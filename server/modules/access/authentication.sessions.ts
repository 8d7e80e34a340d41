import type { EntityManager } from '@mikro-orm/postgresql';
import { SessionSchema, type Session } from './session.entity';
import { UserSchema, type User } from './user.entity';
import { SessionEndSchema, type SessionEndReason } from './authentication.session-end.entity';
import { describeDevice } from './authentication.device';
import { authChangedEvent } from './authentication.events';
import { sessionIdFromToken } from '../../auth/session-token';
import type { Actor } from '../../auth/actor';
import { mutate, type OutboxEvent } from '../../db/mutation';
import { SYSTEM_ROOM } from '../../realtime/room-access';
import { AppError, notFound } from '../../errors';

const IMPERSONATING = 'Signed in as someone else, you cannot end their sessions.';
const DAY = 24 * 60 * 60 * 1000;
/** How long the sign-in page can still say why a session ended. */
const SESSION_END_KEPT_MS = 7 * DAY;

/** Tells every node to re-check these users' sockets: those whose session is gone are dropped. */
export function accessChangedEvent(userIds: string[]): OutboxEvent {
	return { event: 'access.changed', rooms: [SYSTEM_ROOM], payload: { userIds: [...new Set(userIds)] } };
}

/**
 * Deletes sessions inside the caller's transaction and remembers why, so each browser that held
 * one can be told on its sign-in page. Returns the ended sessions' ids and users.
 */
export async function endSessions(
	tx: EntityManager,
	where: { userId: string; exceptSessionId?: string | null } | { sessionIds: string[] },
	reason: SessionEndReason
): Promise<{ sessionIds: string[]; userIds: string[] }> {
	const filter =
		'sessionIds' in where
			? { id: { $in: where.sessionIds } }
			: { userId: where.userId, ...(where.exceptSessionId ? { id: { $ne: where.exceptSessionId } } : {}) };
	const sessions = await tx.find(SessionSchema, filter, { fields: ['id', 'userId'] });
	if (!sessions.length) return { sessionIds: [], userIds: [] };
	const sessionIds = sessions.map((session) => session.id);
	await tx.nativeDelete(SessionSchema, { id: { $in: sessionIds } });
	const now = new Date();
	await tx.nativeDelete(SessionEndSchema, { $or: [{ sessionId: { $in: sessionIds } }, { createdAt: { $lt: new Date(now.getTime() - SESSION_END_KEPT_MS) } }] });
	for (const session of sessions) tx.create(SessionEndSchema, { sessionId: session.id, userId: session.userId, reason, createdAt: now });
	await tx.flush();
	return { sessionIds, userIds: [...new Set(sessions.map((session) => session.userId))] };
}

export async function sessionEndReason(em: EntityManager, token: string): Promise<{ reason: SessionEndReason } | null> {
	if (!/^[a-z2-7]{32}$/.test(token)) return null;
	const row = await em.findOne(SessionEndSchema, { sessionId: sessionIdFromToken(token), createdAt: { $gt: new Date(Date.now() - SESSION_END_KEPT_MS) } });
	return row ? { reason: row.reason } : null;
}

export interface SessionView {
	id: string;
	userId: string;
	userName: string;
	device: string;
	/** Hidden from client users when staff opened the session ("sign in as"). */
	ip: string | null;
	userAgent: string | null;
	createdAt: string;
	lastSeenAt: string;
	current: boolean;
	/** Staff member who opened it by signing in as the user. */
	impersonatedBy: string | null;
	/** Whether the viewer may end it. */
	canRevoke: boolean;
}

/** Revoking someone else's session is staff work (auth.manage); anyone may end their own. */
export function canRevokeSessionOf(actor: Actor, userId: string): boolean {
	return actor.userId === userId || (actor.kind === 'staff' && actor.permissions.has('auth.manage'));
}

type SessionScope = { clientId: string } | { userId: string };

async function listSessions(em: EntityManager, actor: Actor, scope: SessionScope): Promise<SessionView[]> {
	const [where, param] = 'clientId' in scope ? ['u.client_id = ?', scope.clientId] : ['s.user_id = ?', scope.userId];
	const rows: {
		id: string;
		user_id: string;
		user_name: string;
		ip: string | null;
		user_agent: string | null;
		created_at: Date;
		last_seen_at: Date;
		impersonator_name: string | null;
	}[] = await em.execute(
		`select s.id, s.user_id, u.name as user_name, s.ip, s.user_agent, s.created_at, s.last_seen_at, i.name as impersonator_name
		   from session s
		   join app_user u on u.id = s.user_id
		   left join app_user i on i.id = s.impersonator_user_id
		  where ${where} and s.expires_at > now()
		  order by s.last_seen_at desc, s.id
		  limit 500`,
		[param]
	);
	return rows.map((row) => {
		const hideIp = actor.kind !== 'staff' && !!row.impersonator_name;
		return {
			// The id is the token's hash, never the token: safe to hand out as a handle for "revoke".
			id: row.id,
			userId: row.user_id,
			userName: row.user_name,
			device: describeDevice(row.user_agent),
			ip: hideIp ? null : row.ip,
			userAgent: hideIp ? null : row.user_agent,
			createdAt: new Date(row.created_at).toISOString(),
			lastSeenAt: new Date(row.last_seen_at).toISOString(),
			current: row.id === actor.sessionId,
			impersonatedBy: row.impersonator_name ? (actor.kind === 'staff' ? row.impersonator_name : 'Cirrus support') : null,
			canRevoke: canRevokeSessionOf(actor, row.user_id) && row.id !== actor.sessionId && !actor.impersonator
		};
	});
}

/** Live sessions of one client's users, most recently used first. */
export function listClientSessions(em: EntityManager, actor: Actor, clientId: string): Promise<SessionView[]> {
	return listSessions(em, actor, { clientId });
}

/** The signed-in user's own sessions (staff users included). */
export function listOwnSessions(em: EntityManager, actor: Actor): Promise<SessionView[]> {
	return actor.userId ? listSessions(em, actor, { userId: actor.userId }) : Promise.resolve([]);
}

/** Ends one of the signed-in user's own sessions (not the one in use: that is "Sign out"). */
export async function revokeOwnSession(em: EntityManager, actor: Actor, sessionId: string): Promise<void> {
	const session = actor.userId ? await em.findOne(SessionSchema, { id: sessionId, userId: actor.userId }) : null;
	if (!session) throw notFound('That session');
	const user = await em.findOneOrFail(UserSchema, { id: session.userId });
	await endOneSession(em, actor, user, session, user.clientId ?? null);
}

/** Ends one session of a user of this client. The ended browser goes to the sign-in page live. */
export async function revokeSession(em: EntityManager, actor: Actor, input: { clientId: string; sessionId: string }): Promise<void> {
	const session = await em.findOne(SessionSchema, { id: input.sessionId });
	const user = session ? await em.findOne(UserSchema, { id: session.userId, clientId: input.clientId }) : null;
	if (!session || !user || !canRevokeSessionOf(actor, user.id)) throw notFound('That session');
	await endOneSession(em, actor, user, session, input.clientId);
}

async function endOneSession(em: EntityManager, actor: Actor, user: User, session: Session, clientId: string | null): Promise<void> {
	if (actor.impersonator) throw new AppError('BAD_REQUEST', IMPERSONATING);
	if (session.id === actor.sessionId) throw new AppError('BAD_REQUEST', 'This is the session you are using. Sign out instead.');
	const device = describeDevice(session.userAgent);
	await mutate(em, actor, async (tx) => {
		const ended = await endSessions(tx, { sessionIds: [session.id] }, 'revoked');
		if (!ended.sessionIds.length) throw notFound('That session');
		return {
			result: undefined,
			activity: {
				clientId,
				action: 'auth.session_revoked',
				targetType: 'user',
				targetId: user.id,
				summary: actor.userId === user.id ? `${actor.name} signed out a session on ${device}` : `${actor.name} signed ${user.name} out of a session on ${device}`,
				after: { device, ip: session.ip ?? null }
			},
			events: [accessChangedEvent(ended.userIds), authChangedEvent(clientId, 'sessions', ended.userIds)]
		};
	});
}

/** "Sign out everywhere else": every session of the signed-in user but this one. */
export async function revokeOtherOwnSessions(em: EntityManager, actor: Actor): Promise<{ revoked: number }> {
	if (!actor.userId || !actor.sessionId) throw new AppError('UNAUTHORIZED', 'Sign in to continue.');
	if (actor.impersonator) throw new AppError('BAD_REQUEST', IMPERSONATING);
	const userId = actor.userId;
	return mutate(em, actor, async (tx) => {
		const ended = await endSessions(tx, { userId, exceptSessionId: actor.sessionId }, 'revoked');
		return {
			result: { revoked: ended.sessionIds.length },
			activity: {
				clientId: actor.clientId,
				action: 'auth.other_sessions_revoked',
				targetType: 'user',
				targetId: userId,
				summary: `${actor.name} signed out everywhere else (${ended.sessionIds.length} session${ended.sessionIds.length === 1 ? '' : 's'})`
			},
			events: [accessChangedEvent([userId]), authChangedEvent(actor.clientId, 'sessions', [userId])]
		};
	});
}
