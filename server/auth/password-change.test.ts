import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { SessionSchema } from '../modules/access/session.entity';
import { MailMessageSchema } from '../modules/mail/mail-message.entity';
import { ActivitySchema } from '../modules/activity/activity.entity';
import { UserSchema } from '../modules/access/user.entity';
import { SessionEndSchema } from '../modules/access/authentication.session-end.entity';
import { OutboxSchema } from '../realtime/outbox.entity';
import { createSession, validateSessionToken } from './session.service';
import { verifyPassword } from './password';
import { passwordStrength } from './password-change.strength';
import { useTestDatabase } from '../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser, uniqueSuffix } from '../../tests/integration/factories';

const db = await useTestDatabase();
const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'violet-harbour-lantern-42';
const REQUEST = { ip: '203.0.113.50', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15' };

async function failureOf(promise: Promise<unknown>): Promise<TRPCError> {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	if (!(error instanceof TRPCError)) throw new Error(`Expected a TRPCError, got ${String(error)}`);
	return error;
}
const fieldErrorsOf = (error: TRPCError) => (error.cause as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors;

/** A client user signed in on three devices; the first one is "this" session. */
async function userWithSessions() {
	const client = await newClient(db.em());
	const user = await newUser(db.em(), { kind: 'client', clientId: client.id, roleKey: 'owner', password: PASSWORD, name: 'Dana Scully', email: `dana-${uniqueSuffix()}@example.test` });
	const sessions = [];
	for (let i = 0; i < 3; i++) sessions.push(await createSession(db.em(), user.id, REQUEST));
	const validated = await validateSessionToken(db.em(), sessions[0].token, REQUEST);
	if (!validated) throw new Error('session did not validate');
	return { user, sessions, caller: callerFor(db.em(), validated.actor, { request: REQUEST }) };
}

describe('password strength', () => {
	it('scores zxcvbn-style and refuses below 3, naming why', () => {
		const user = { email: 'dana@example.test', name: 'Dana Scully' };
		expect(passwordStrength('qwertyuiop12345', user)).toMatchObject({ acceptable: false, score: 1 });
		expect(passwordStrength('danascully2024!', user).acceptable).toBe(false);
		expect(passwordStrength(NEW_PASSWORD, user)).toMatchObject({ acceptable: true, problem: null });
		// The house rules still apply before the score.
		expect(passwordStrength('Xk9#mq', user).problem).toMatch(/at least 12/);
	});
});

describe('changing one’s own password', () => {
	it('refuses a wrong current password and a weak new one with field errors, changing nothing', async () => {
		const { user, caller } = await userWithSessions();
		const wrong = await failureOf(caller.authentication.meChangePassword({ currentPassword: 'nope', newPassword: NEW_PASSWORD }));
		expect(fieldErrorsOf(wrong)?.currentPassword).toEqual(['That is not your current password.']);

		const weak = await failureOf(caller.authentication.meChangePassword({ currentPassword: PASSWORD, newPassword: 'password12345' }));
		expect(weak.code).toBe('BAD_REQUEST');
		expect(fieldErrorsOf(weak)?.newPassword?.[0]).toBeTruthy();

		const stored = await db.em().findOneOrFail(UserSchema, { id: user.id });
		expect(await verifyPassword(stored.passwordHash!, PASSWORD)).toBe(true);
		expect(await db.em().count(SessionSchema, { userId: user.id })).toBe(3);
	});

	it('sets an argon2id hash, keeps this session, ends the others with a reason, audits and mails', async () => {
		const { user, sessions, caller } = await userWithSessions();
		const result = await caller.authentication.meChangePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
		expect(result).toEqual({ signedOut: 2 });

		const stored = await db.em().findOneOrFail(UserSchema, { id: user.id });
		expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
		expect(await verifyPassword(stored.passwordHash!, NEW_PASSWORD)).toBe(true);

		const left = await db.em().find(SessionSchema, { userId: user.id });
		expect(left.map((session) => session.id)).toEqual([sessions[0].session.id]);
		const ends = await db.em().find(SessionEndSchema, { userId: user.id });
		expect(ends.map((end) => end.sessionId).sort()).toEqual([sessions[1].session.id, sessions[2].session.id].sort());
		expect(ends.every((end) => end.reason === 'password_changed')).toBe(true);
		expect(await callerFor(db.em(), null).auth.sessionEndReason({ token: sessions[1].token })).toEqual({ reason: 'password_changed' });

		const activity = await db.em().findOneOrFail(ActivitySchema, { targetId: user.id, action: 'auth.password_changed' });
		expect(JSON.stringify(activity)).not.toContain(NEW_PASSWORD);
		const mail = await db.em().findOneOrFail(MailMessageSchema, { toAddress: user.email, template: 'password-changed' });
		expect(mail.textBody).toContain('Safari on macOS');
		expect(mail.textBody).not.toContain(NEW_PASSWORD);

		const events = await db.em().find(OutboxSchema, { event: 'access.changed' });
		expect(events.some((event) => (event.payload as { userIds: string[] }).userIds.includes(user.id))).toBe(true);
	});

	it('is refused to staff signed in as the user', async () => {
		const { user } = await userWithSessions();
		const staff = await newUser(db.em(), { kind: 'staff', roleKey: 'support_agent' });
		const actor = { ...(await actorFor(db.em(), user)), impersonator: { userId: staff.id, name: staff.name }, sessionId: 'x'.repeat(64) };
		const error = await failureOf(callerFor(db.em(), actor).authentication.meChangePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }));
		expect(error.code).toBe('BAD_REQUEST');
	});
});
