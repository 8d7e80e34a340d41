import type { EntityManager } from '@mikro-orm/postgresql';
import { UserSchema, type User } from '../modules/access/user.entity';
import { LoginAttemptSchema } from '../modules/access/login-attempt.entity';
import { accessChangedEvent, endSessions } from '../modules/access/authentication.sessions';
import { authChangedEvent } from '../modules/access/authentication.events';
import { usersChanged } from '../modules/access/users.events';
import { mutate } from '../db/mutation';
import { AppError, notFound } from '../errors';
import type { Actor } from './actor';
import type { LoginGuard } from './login-guard';

/** Staff only (auth.manage is a staff permission; a client role holding it by mistake still gets NOT_FOUND). */
async function clientUserForStaff(em: EntityManager, actor: Actor, clientId: string, userId: string): Promise<User> {
	if (actor.kind !== 'staff') throw notFound('That user');
	const user = await em.findOne(UserSchema, { id: userId, clientId, kind: 'client' });
	if (!user) throw notFound('That user');
	return user;
}

/**
 * Blocks a client user: every session ends in the same transaction, their open pages are told
 * at once (the socket drops and the page lands on sign-in saying why), and sign-in refuses them.
 */
export async function blockUser(em: EntityManager, actor: Actor, input: { clientId: string; userId: string; reason: string }): Promise<void> {
	const user = await clientUserForStaff(em, actor, input.clientId, input.userId);
	if (user.blockedAt) throw new AppError('CONFLICT', `${user.name} is already blocked.`);
	await mutate(em, actor, async (tx) => {
		const blockedAt = new Date();
		const changed = await tx.nativeUpdate(UserSchema, { id: user.id, blockedAt: null }, { blockedAt, blockedReason: input.reason });
		if (!changed) throw new AppError('CONFLICT', `${user.name} is already blocked.`);
		const ended = await endSessions(tx, { userId: user.id }, 'blocked');
		return {
			result: undefined,
			activity: {
				clientId: input.clientId,
				action: 'auth.user_blocked',
				targetType: 'user',
				targetId: user.id,
				summary: `${actor.name} blocked ${user.name}${ended.sessionIds.length ? ` and signed them out of ${ended.sessionIds.length} session${ended.sessionIds.length === 1 ? '' : 's'}` : ''}`,
				before: { blocked: false },
				after: { blocked: true, reason: input.reason }
			},
			events: [accessChangedEvent([user.id]), authChangedEvent(input.clientId, 'users', [user.id]), usersChanged(input.clientId)]
		};
	});
}

export async function unblockUser(em: EntityManager, actor: Actor, input: { clientId: string; userId: string; reason: string }): Promise<void> {
	const user = await clientUserForStaff(em, actor, input.clientId, input.userId);
	if (!user.blockedAt) throw new AppError('CONFLICT', `${user.name} is not blocked.`);
	await mutate(em, actor, async (tx) => {
		const changed = await tx.nativeUpdate(UserSchema, { id: user.id, blockedAt: { $ne: null } }, { blockedAt: null, blockedReason: null });
		if (!changed) throw new AppError('CONFLICT', `${user.name} is not blocked.`);
		return {
			result: undefined,
			activity: {
				clientId: input.clientId,
				action: 'auth.user_unblocked',
				targetType: 'user',
				targetId: user.id,
				summary: `${actor.name} unblocked ${user.name}`,
				before: { blocked: true, reason: user.blockedReason ?? null },
				after: { blocked: false, reason: input.reason }
			},
			events: [authChangedEvent(input.clientId, 'users'), usersChanged(input.clientId)]
		};
	});
}

/**
 * Lifts a lock-out from failed sign-ins. A marker attempt ends the run of failures, so the next
 * wrong password starts counting from zero instead of locking the account again at once.
 */
export async function unlockUser(em: EntityManager, actor: Actor, guard: LoginGuard, input: { clientId: string; userId: string }): Promise<void> {
	const user = await clientUserForStaff(em, actor, input.clientId, input.userId);
	const lockedUntil = user.lockedUntil && user.lockedUntil.getTime() > Date.now() ? user.lockedUntil : null;
	if (!lockedUntil) throw new AppError('CONFLICT', `${user.name} is not locked out.`);
	await mutate(em, actor, async (tx) => {
		await tx.nativeUpdate(UserSchema, { id: user.id }, { lockedUntil: null });
		tx.create(LoginAttemptSchema, {
			email: user.email.toLowerCase(),
			userId: user.id,
			succeeded: true,
			reason: 'unlocked_by_staff',
			ip: actor.ip,
			userAgent: actor.userAgent,
			createdAt: new Date()
		});
		return {
			result: undefined,
			activity: {
				clientId: input.clientId,
				action: 'auth.user_unlocked',
				targetType: 'user',
				targetId: user.id,
				summary: `${actor.name} lifted the sign-in lock-out of ${user.name}`,
				before: { lockedUntil: lockedUntil.toISOString() },
				after: { lockedUntil: null }
			},
			events: [authChangedEvent(input.clientId, 'users'), authChangedEvent(input.clientId, 'attempts')]
		};
	});
	await guard.reset(user.email);
}
