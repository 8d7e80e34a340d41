import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { SessionSchema } from './session.entity';
import { MailMessageSchema } from '../mail/mail-message.entity';
import { PasswordTokenSchema } from './password-token.entity';
import { issueOtp } from './otp.service';
import { OtpSchema } from './otp.entity';
import { createSession, validateSessionToken } from '../../auth/session.service';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser, uniqueSuffix } from '../../../tests/integration/factories';
import type { Actor } from '../../auth/actor';
import type { Client } from '../clients/client.entity';
import type { User } from './user.entity';

const db = await useTestDatabase();
const REQUEST = { ip: '203.0.113.77', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/141.0 Safari/537.36' };
let acme: Client;
let globex: Client;
let acmeOwner: User;
let acmeColleague: User;
let globexOwner: User;
let staff: Actor;

async function failureOf(promise: Promise<unknown>): Promise<TRPCError> {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	if (!(error instanceof TRPCError)) throw new Error(`Expected a TRPCError, got ${String(error)}`);
	return error;
}

/** The user's actor as it would be from a real signed-in browser (with a session id). */
async function signedIn(user: User) {
	const { token, session } = await createSession(db.em(), user.id, REQUEST);
	const validated = await validateSessionToken(db.em(), token, REQUEST);
	if (!validated) throw new Error('no session');
	return { actor: validated.actor, session, token };
}

beforeAll(async () => {
	acme = await newClient(db.em());
	globex = await newClient(db.em());
	acmeOwner = await newUser(db.em(), { kind: 'client', clientId: acme.id, roleKey: 'owner', email: `owner-${uniqueSuffix()}@acme.test` });
	acmeColleague = await newUser(db.em(), { kind: 'client', clientId: acme.id, roleKey: 'owner' });
	globexOwner = await newUser(db.em(), { kind: 'client', clientId: globex.id, roleKey: 'owner' });
	staff = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'super_admin' }));
});

describe('sessions on the Authentication tab', () => {
	it('lists the client’s sessions with device and the current one marked; a user ends only their own', async () => {
		const mine = await signedIn(acmeOwner);
		const other = await signedIn(acmeOwner);
		const colleagues = await signedIn(acmeColleague);
		const caller = callerFor(db.em(), mine.actor);
		const overview = await caller.authentication.overview({ clientId: acme.id });
		const current = overview.sessions.find((row) => row.id === mine.session.id);
		expect(current).toMatchObject({ current: true, device: 'Chrome on Windows', ip: REQUEST.ip, canRevoke: false });
		expect(overview.sessions.find((row) => row.id === other.session.id)).toMatchObject({ current: false, canRevoke: true });
		expect(overview.sessions.find((row) => row.id === colleagues.session.id)).toMatchObject({ canRevoke: false });
		expect(overview.canManage).toBe(false);

		expect((await failureOf(caller.authentication.revokeSession({ clientId: acme.id, sessionId: colleagues.session.id }))).code).toBe('NOT_FOUND');
		expect((await failureOf(caller.authentication.revokeSession({ clientId: acme.id, sessionId: mine.session.id }))).code).toBe('BAD_REQUEST');
		await caller.authentication.revokeSession({ clientId: acme.id, sessionId: other.session.id });
		expect(await db.em().count(SessionSchema, { id: other.session.id })).toBe(0);
		expect(await db.em().count(SessionSchema, { id: colleagues.session.id })).toBe(1);

		// Staff with auth.manage end anyone's.
		await callerFor(db.em(), staff).authentication.revokeSession({ clientId: acme.id, sessionId: colleagues.session.id });
		expect(await db.em().count(SessionSchema, { id: colleagues.session.id })).toBe(0);
		expect(await callerFor(db.em(), null).auth.sessionEndReason({ token: colleagues.token })).toEqual({ reason: 'revoked' });
	});

	it('"sign out everywhere else" keeps only the current session', async () => {
		const mine = await signedIn(acmeColleague);
		await signedIn(acmeColleague);
		await signedIn(acmeColleague);
		const result = await callerFor(db.em(), mine.actor).authentication.meRevokeOtherSessions();
		expect(result.revoked).toBeGreaterThanOrEqual(2);
		expect((await db.em().find(SessionSchema, { userId: acmeColleague.id })).map((row) => row.id)).toEqual([mine.session.id]);
	});

	it('never shows or touches another client’s users or sessions', async () => {
		const foreign = await signedIn(globexOwner);
		const acmeSession = await signedIn(acmeOwner);
		const globexCaller = callerFor(db.em(), foreign.actor);
		for (const call of [
			() => globexCaller.authentication.overview({ clientId: acme.id }),
			() => globexCaller.authentication.otpRecords({ clientId: acme.id, limit: 10 }),
			() => globexCaller.authentication.failedLogins({ clientId: acme.id, limit: 10 }),
			() => globexCaller.authentication.revokeSession({ clientId: acme.id, sessionId: acmeSession.session.id }),
			// Its own client id with another client's session: still not found.
			() => globexCaller.authentication.revokeSession({ clientId: globex.id, sessionId: acmeSession.session.id }),
			() => globexCaller.authentication.meRevokeSession({ sessionId: acmeSession.session.id })
		]) {
			expect((await failureOf(call())).code).toBe('NOT_FOUND');
		}
		expect(await db.em().count(SessionSchema, { id: acmeSession.session.id })).toBe(1);
		const own = await globexCaller.authentication.overview({ clientId: globex.id });
		expect(own.users.map((user) => user.id)).toEqual([globexOwner.id]);
		expect(own.sessions.every((session) => session.userId === globexOwner.id)).toBe(true);

		// Staff on Acme's tab with Globex's user id: not found either.
		expect((await failureOf(callerFor(db.em(), staff).authentication.block({ clientId: acme.id, userId: globexOwner.id, reason: 'wrong tenant' }))).code).toBe('NOT_FOUND');
	});
});

describe('OTP records', () => {
	it('lists the client’s codes masked, filtered by status, in keyset pages', async () => {
		const client = await newClient(db.em());
		const user = await newUser(db.em(), { kind: 'client', clientId: client.id, roleKey: 'owner' });
		const issued: string[] = [];
		for (let i = 0; i < 3; i++) {
			const { otpId } = await db.em().transactional((tx) =>
				issueOtp(tx, { userId: user.id, clientId: client.id, channel: 'email', purpose: 'email_change', destination: `new${i}-${uniqueSuffix()}@mail.test`, ip: '192.0.2.9' })
			);
			issued.push(otpId);
		}
		await db.em().nativeUpdate(OtpSchema, { id: issued[0] }, { expiresAt: new Date(Date.now() - 1000) });
		const caller = callerFor(db.em(), staff);

		const first = await caller.authentication.otpRecords({ clientId: client.id, limit: 10 });
		expect(first.rows.map((row) => row.id)).toEqual([...issued].reverse());
		expect(first.rows[0].destination).toMatch(/^ne\*\*\*@mail\.test$/);
		expect(first.rows[0]).toMatchObject({ status: 'sent', userName: user.name, ip: '192.0.2.9', purpose: 'email_change' });
		expect(JSON.stringify(first)).not.toMatch(/code_?hash/i);

		const expired = await caller.authentication.otpRecords({ clientId: client.id, status: 'expired', limit: 10 });
		expect(expired.rows.map((row) => row.id)).toEqual([issued[0]]);
		const sent = await caller.authentication.otpRecords({ clientId: client.id, status: 'sent', limit: 10 });
		expect(sent.rows).toHaveLength(2);

		// Keyset pages of 10: the second page continues exactly where the first stopped.
		for (let i = 3; i < 12; i++) {
			await db.em().transactional((tx) =>
				issueOtp(tx, { userId: user.id, clientId: client.id, channel: 'email', purpose: 'email_change', destination: `more${i}-${uniqueSuffix()}@mail.test`, ip: null })
			);
		}
		const pageOne = await caller.authentication.otpRecords({ clientId: client.id, limit: 10 });
		expect(pageOne.rows).toHaveLength(10);
		expect(pageOne.nextCursor).toBeTruthy();
		const pageTwo = await caller.authentication.otpRecords({ clientId: client.id, limit: 10, cursor: pageOne.nextCursor! });
		expect(pageTwo.rows.map((row) => row.id)).toEqual([issued[1], issued[0]]);
		expect(pageTwo.nextCursor).toBeNull();
		expect((await failureOf(caller.authentication.otpRecords({ clientId: client.id, limit: 10, cursor: 'garbage' }))).code).toBe('BAD_REQUEST');
	});
});

describe('staff-sent password reset link', () => {
	it('mails a single-use, expiring link whose token is stored only hashed', async () => {
		const caller = callerFor(db.em(), staff);
		const sent = await caller.authentication.sendResetLink({ clientId: acme.id, userId: acmeOwner.id });
		expect(sent.sentTo).toMatch(/\*\*\*/);
		const mail = await db.em().findOneOrFail(MailMessageSchema, { toAddress: acmeOwner.email, template: 'password-reset' });
		const token = mail.textBody.match(/set-password\?token=([a-z2-7]{52})/)?.[1];
		expect(token).toBeTruthy();
		const rows = await db.em().find(PasswordTokenSchema, { userId: acmeOwner.id, purpose: 'reset' });
		expect(rows).toHaveLength(1);
		expect(JSON.stringify(rows)).not.toContain(token);
		expect(rows[0].expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60 * 60 * 1000);

		const anonymous = callerFor(db.em(), null);
		expect(await anonymous.account.passwordTokenStatus({ token: token! })).toMatchObject({ valid: true, purpose: 'reset' });
		await anonymous.account.setPassword({ token: token!, password: 'violet-harbour-lantern-42' });
		expect(await anonymous.account.passwordTokenStatus({ token: token! })).toMatchObject({ valid: false, reason: 'used' });
	});
});
