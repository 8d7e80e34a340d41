import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword, verifyPassword } from './password';
import { passwordStrength } from './password-change.strength';
import type { Actor } from './actor';
import { UserSchema } from '../modules/access/user.entity';
import { accessChangedEvent, endSessions } from '../modules/access/authentication.sessions';
import { authChangedEvent } from '../modules/access/authentication.events';
import { consumeAuthLimit } from '../modules/access/authentication.rate-limit';
import { describeDevice } from '../modules/access/authentication.device';
import { PASSWORD_CHANGED_TEMPLATE, renderPasswordChangedMail } from '../modules/access/authentication.mail';
import { deliverMail, recordMail } from '../modules/mail/mail.service';
import type { Mailer } from '../modules/mail/mailer';
import { mutate } from '../db/mutation';
import { AppError, fieldError } from '../errors';

export interface ChangePasswordInput {
	currentPassword: string;
	newPassword: string;
}

/**
 * The signed-in user changes their own password: the current one first (rate-limited), then the
 * strength rules. Every other session of the user ends (this one stays), and the account's
 * address is told by email.
 */
export async function changeOwnPassword(
	em: EntityManager,
	actor: Actor,
	input: ChangePasswordInput,
	deps: { mailer: Mailer }
): Promise<{ signedOut: number }> {
	if (!actor.userId || !actor.sessionId || actor.kind === 'system') throw new AppError('UNAUTHORIZED', 'Sign in to continue.');
	if (actor.impersonator) throw new AppError('BAD_REQUEST', 'Signed in as someone else, you cannot change their password.');
	const user = await em.findOneOrFail(UserSchema, { id: actor.userId }, { refresh: true });
	await consumeAuthLimit(em, 'passwordCheckPerUser', user.id);
	if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
		throw fieldError('currentPassword', 'That is not your current password.');
	}
	if (input.newPassword === input.currentPassword) throw fieldError('newPassword', 'Choose a password different from the current one.');
	const strength = passwordStrength(input.newPassword, user);
	if (strength.problem) throw fieldError('newPassword', strength.problem);
	const passwordHash = await hashPassword(input.newPassword);
	const currentSessionId = actor.sessionId;

	const outcome = await mutate(em, actor, async (tx) => {
		await tx.nativeUpdate(UserSchema, { id: user.id }, { passwordHash });
		const ended = await endSessions(tx, { userId: user.id, exceptSessionId: currentSessionId }, 'password_changed');
		const changedAt = new Date();
		const mail = recordMail(tx, {
			clientId: user.clientId ?? null,
			to: user.email,
			template: PASSWORD_CHANGED_TEMPLATE,
			...renderPasswordChangedMail({ name: user.name, changedAt, ip: actor.ip, device: describeDevice(actor.userAgent), signedOut: ended.sessionIds.length })
		});
		const signedOut = ended.sessionIds.length;
		return {
			result: { signedOut, mailId: mail.id },
			activity: {
				clientId: user.clientId ?? null,
				action: 'auth.password_changed',
				targetType: 'user',
				targetId: user.id,
				summary: `${user.name} changed their password${signedOut ? ` (signed out of ${signedOut} other session${signedOut === 1 ? '' : 's'})` : ''}`,
				after: { strength: strength.label, otherSessionsSignedOut: signedOut }
			},
			events: [accessChangedEvent([user.id]), authChangedEvent(user.clientId ?? null, 'sessions', [user.id])]
		};
	});
	await deliverMail(em, deps.mailer, outcome.mailId);
	return { signedOut: outcome.signedOut };
}
