import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { OtpSchema } from './otp.entity';
import { OTP_ISSUE_LIMITS, OTP_MESSAGES, effectiveOtpStatus, hashOtpCode, issueOtp, verifyOtp, type IssueOtpInput } from './otp.service';
import { AppError } from '../../errors';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { newClient, newUser, uniqueSuffix } from '../../../tests/integration/factories';

const db = await useTestDatabase();

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	if (!(error instanceof AppError)) throw new Error(`Expected an AppError, got ${String(error)}`);
	return error;
}

async function setup(): Promise<IssueOtpInput> {
	const em = db.em();
	const client = await newClient(em);
	const user = await newUser(em, { kind: 'client', clientId: client.id, roleKey: 'owner' });
	// A unique IP per test keeps the per-IP guess limit of one test out of the others.
	const ip = `198.51.100.${Math.floor(Math.random() * 250)}-${uniqueSuffix()}`;
	return { userId: user.id, clientId: client.id, channel: 'email', purpose: 'email_change', destination: `new-${uniqueSuffix()}@example.test`, ip };
}

const issue = (input: IssueOtpInput) => db.em().transactional((tx) => issueOtp(tx, input));
const row = (otpId: string) => db.em().findOneOrFail(OtpSchema, { id: otpId }, { refresh: true });
/** A code that is certainly not the right one. */
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('one-time codes', () => {
	it('issues a 6-digit code stored only as a hash, expiring in 10 minutes', async () => {
		const input = await setup();
		const before = Date.now();
		const { otpId, code } = await issue(input);
		expect(code).toMatch(/^\d{6}$/);
		const rows: Record<string, unknown>[] = await db.em().getConnection().execute('select * from otp_code where id = ?', [otpId]);
		expect(rows).toHaveLength(1);
		expect(JSON.stringify(rows)).not.toContain(`"${code}"`);
		expect(rows[0].code_hash).toBe(hashOtpCode(otpId, code));
		const saved = await row(otpId);
		expect(saved).toMatchObject({ status: 'sent', attempts: 0, channel: 'email', purpose: 'email_change', ip: input.ip, destination: input.destination });
		const lifetime = saved.expiresAt.getTime() - before;
		expect(lifetime).toBeGreaterThan(9 * 60 * 1000);
		expect(lifetime).toBeLessThanOrEqual(10 * 60 * 1000 + 5000);
	});

	it('verifies the right code once, then refuses it', async () => {
		const input = await setup();
		const { otpId, code } = await issue(input);
		const verified = await verifyOtp(db.em(), { otpId, code, ip: input.ip });
		expect(verified).toEqual({ destination: input.destination, purpose: 'email_change', userId: input.userId, clientId: input.clientId });
		const saved = await row(otpId);
		expect(saved.status).toBe('verified');
		expect(saved.verifiedAt).toBeInstanceOf(Date);

		const again = await failureOf(verifyOtp(db.em(), { otpId, code, ip: input.ip }));
		expect(again.message).toBe(OTP_MESSAGES.used);
	});

	it('counts wrong codes with a field error and fails the code after five', async () => {
		const input = await setup();
		const { otpId, code } = await issue(input);
		for (let attempt = 1; attempt <= 4; attempt++) {
			const error = await failureOf(verifyOtp(db.em(), { otpId, code: wrongCode(code), ip: input.ip }));
			expect(error.code).toBe('BAD_REQUEST');
			expect(error.fieldErrors).toEqual({ code: ['That code is not right.'] });
			expect((await row(otpId)).attempts).toBe(attempt);
		}
		const fifth = await failureOf(verifyOtp(db.em(), { otpId, code: wrongCode(code), ip: input.ip }));
		expect(fifth.fieldErrors).toEqual({ code: [OTP_MESSAGES.failed] });
		expect(await row(otpId)).toMatchObject({ status: 'failed', attempts: 5 });

		// Even the right code is refused now.
		const after = await failureOf(verifyOtp(db.em(), { otpId, code, ip: input.ip }));
		expect(after.message).toBe(OTP_MESSAGES.failed);
	});

	it('keeps a wrong guess counted when the caller rolls back its transaction', async () => {
		const input = await setup();
		const { otpId, code } = await issue(input);
		await failureOf(db.em().transactional((tx) => verifyOtp(tx, { otpId, code: wrongCode(code), ip: input.ip })));
		expect((await row(otpId)).attempts).toBe(1);
	});

	it('refuses an expired code and marks it expired', async () => {
		const input = await setup();
		const { otpId, code } = await issue(input);
		await db.em().nativeUpdate(OtpSchema, { id: otpId }, { expiresAt: new Date(Date.now() - 1000) });
		expect(effectiveOtpStatus(await row(otpId))).toBe('expired');
		const error = await failureOf(verifyOtp(db.em(), { otpId, code, ip: input.ip }));
		expect(error.fieldErrors).toEqual({ code: [OTP_MESSAGES.expired] });
		expect((await row(otpId)).status).toBe('expired');
	});

	it('refuses an unknown code id', async () => {
		const input = await setup();
		const error = await failureOf(verifyOtp(db.em(), { otpId: randomUUID(), code: '123456', ip: input.ip }));
		expect(error.fieldErrors).toEqual({ code: [OTP_MESSAGES.unknown] });
	});

	it('limits codes per destination per hour', async () => {
		const input = await setup();
		for (let i = 0; i < OTP_ISSUE_LIMITS.perDestination; i++) await issue(input);
		const error = await failureOf(issue({ ...input, destination: input.destination.toUpperCase() }));
		expect(error.code).toBe('TOO_MANY_REQUESTS');
		expect(await db.em().count(OtpSchema, { userId: input.userId })).toBe(OTP_ISSUE_LIMITS.perDestination);
	});

	it('limits codes per client per hour', async () => {
		const input = await setup();
		for (let i = 0; i < OTP_ISSUE_LIMITS.perClient; i++) await issue({ ...input, destination: `n${i}-${input.destination}` });
		const error = await failureOf(issue({ ...input, destination: `other-${input.destination}` }));
		expect(error.code).toBe('TOO_MANY_REQUESTS');
	});

	it('limits guesses from one IP address across codes', async () => {
		const input = await setup();
		const outcomes: string[] = [];
		for (let n = 0; n < 7; n++) {
			const { otpId, code } = await issue({ ...input, destination: `g${n}-${input.destination}` });
			for (let guess = 0; guess < 5; guess++) outcomes.push((await failureOf(verifyOtp(db.em(), { otpId, code: wrongCode(code), ip: input.ip }))).code);
		}
		expect(outcomes.slice(0, 30).every((code) => code === 'BAD_REQUEST')).toBe(true);
		expect(outcomes.slice(30).every((code) => code === 'TOO_MANY_REQUESTS')).toBe(true);
	});
});
