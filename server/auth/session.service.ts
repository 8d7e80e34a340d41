import type { EntityManager } from '@mikro-orm/postgresql';
import { SessionSchema, type Session } from '../modules/access/session.entity';
import { UserSchema, type User } from '../modules/access/user.entity';
import { RoleSchema } from '../modules/access/role.entity';
import { ClientSchema } from '../modules/clients/client.entity';
import { generateSessionToken, sessionIdFromToken } from './session-token';
import { isPermission, type Permission } from './permissions';
import type { Actor } from './actor';

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY;
/** Sliding expiry: a session used in its second half is pushed out to a full lifetime again. */
const RENEW_WHEN_LEFT_MS = 15 * DAY;
const LAST_SEEN_GRANULARITY_MS = 60 * 1000;

export interface NewSession {
	token: string;
	session: Session;
}

export async function createSession(
	em: EntityManager,
	userId: string,
	meta: { ip: string | null; userAgent: string | null; impersonatorUserId?: string | null }
): Promise<NewSession> {
	const token = generateSessionToken();
	const now = new Date();
	const session = em.create(SessionSchema, {
		id: sessionIdFromToken(token),
		userId,
		impersonatorUserId: meta.impersonatorUserId ?? null,
		expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
		createdAt: now,
		lastSeenAt: now,
		ip: meta.ip,
		userAgent: meta.userAgent
	});
	await em.flush();
	return { token, session };
}

export interface ValidatedSession {
	session: Session;
	user: User;
	actor: Actor;
}

/** Resolves a cookie token to its session, user and permissions; null when unknown, expired or the user is barred. */
export async function validateSessionToken(
	em: EntityManager,
	token: string,
	request: { ip: string | null; userAgent: string | null }
): Promise<ValidatedSession | null> {
	if (!/^[a-z2-7]{32}$/.test(token)) return null;
	const session = await em.findOne(SessionSchema, { id: sessionIdFromToken(token) });
	if (!session) return null;
	const now = Date.now();
	if (session.expiresAt.getTime() <= now) {
		await em.nativeDelete(SessionSchema, { id: session.id });
		return null;
	}
	const user = await em.findOne(UserSchema, { id: session.userId });
	if (!user || !user.active || user.blockedAt) {
		await em.nativeDelete(SessionSchema, { id: session.id });
		return null;
	}
	if (user.clientId) {
		// A blocked or terminated client's users are signed out everywhere at once.
		const client = await em.findOne(ClientSchema, { id: user.clientId }, { fields: ['status'] });
		if (!client || client.status === 'blocked' || client.status === 'terminated') {
			await em.nativeDelete(SessionSchema, { id: session.id });
			return null;
		}
	}
	const role = await em.findOneOrFail(RoleSchema, { id: user.roleId });
	const impersonator = session.impersonatorUserId
		? await em.findOne(UserSchema, { id: session.impersonatorUserId })
		: null;

	const changes: Partial<Session> = {};
	if (session.expiresAt.getTime() - now < RENEW_WHEN_LEFT_MS) changes.expiresAt = new Date(now + SESSION_LIFETIME_MS);
	if (now - session.lastSeenAt.getTime() > LAST_SEEN_GRANULARITY_MS) changes.lastSeenAt = new Date(now);
	if (Object.keys(changes).length) {
		await em.nativeUpdate(SessionSchema, { id: session.id }, changes);
		Object.assign(session, changes);
	}

	const permissions = new Set<Permission>(role.permissions.filter(isPermission));
	return {
		session,
		user,
		actor: {
			kind: user.kind,
			userId: user.id,
			name: user.name,
			email: user.email,
			clientId: user.clientId ?? null,
			roleName: role.name,
			permissions,
			impersonator: impersonator ? { userId: impersonator.id, name: impersonator.name } : null,
			sessionId: session.id,
			ip: request.ip,
			userAgent: request.userAgent
		}
	};
}

export async function invalidateSession(em: EntityManager, sessionId: string): Promise<void> {
	await em.nativeDelete(SessionSchema, { id: sessionId });
}
