import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ClientSchema } from './client.entity';
import { ClientProfileSchema } from './client-profile.entity';
import { UserSchema } from '../access/user.entity';
import { ActivitySchema } from '../activity/activity.entity';
import { MailMessageSchema } from '../mail/mail-message.entity';
import { createMailer } from '../mail/mailer';
import { plainTextPart, startSmtpTestServer } from '../mail/smtp-test-server';
import type { Actor } from '../../auth/actor';
import { readError } from '../../../src/lib/trpc';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser, uniqueSuffix } from '../../../tests/integration/factories';
import { httpClientFor } from '../../../tests/integration/http-client';

const db = await useTestDatabase();
const smtp = await startSmtpTestServer();
const mailer = createMailer({ smtpUrl: smtp.url, from: 'Cirrus Console <no-reply@console.test>', appUrl: 'http://console.test' });
afterAll(async () => {
	mailer.close();
	await smtp.close();
});

let admin: Actor;
beforeAll(async () => {
	admin = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'super_admin', name: 'Ada Admin' }));
});

const callerAs = (em: EntityManager, actor: Actor) => callerFor(em, actor, { mailer });
const mailsTo = (address: string) => smtp.received.filter((mail) => mail.to.includes(address));

/** The 6-digit code, read from the mail the new address received over SMTP. */
function codeFromMail(address: string): string {
	const received = mailsTo(address);
	expect(received).toHaveLength(1);
	const code = plainTextPart(received[0].raw).match(/Code: (\d{6})/)?.[1];
	expect(code).toBeDefined();
	return code!;
}

async function pageErrorOf(promise: Promise<unknown>) {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	if (!(error instanceof TRPCClientError)) throw new Error(`Expected the call to fail, got ${String(error)}`);
	return readError(error);
}

/** A client whose owner signs in with the client's own address. */
async function clientWithOwner() {
	const suffix = uniqueSuffix();
	const email = `old-${suffix}@example.test`;
	const client = await newClient(db.em(), { email, name: `Email Client ${suffix}` });
	const owner = await newUser(db.em(), { kind: 'client', clientId: client.id, roleKey: 'owner', email, name: 'Olive Owner' });
	return { client, owner, newEmail: `new-${suffix}@example.test` };
}

describe('changing the account email', () => {
	it('mails a code to the new address and a notice to the old one; the right code moves client and owner login together', async () => {
		const { client, owner, newEmail } = await clientWithOwner();
		const ownerActor = await actorFor(db.em(), owner);
		const pending = await callerAs(db.em(), ownerActor).profile.requestEmailChange({ clientId: client.id, email: newEmail.toUpperCase() });
		expect(pending).toMatchObject({ email: client.email, pendingEmail: newEmail });

		const code = codeFromMail(newEmail);
		const notice = mailsTo(client.email);
		expect(notice).toHaveLength(1);
		const noticeText = plainTextPart(notice[0].raw);
		expect(noticeText).toContain(`Olive Owner asked to change the email`);
		expect(noticeText).toContain(newEmail);
		expect(noticeText).not.toContain(code);
		// Nothing has moved yet.
		expect((await db.em().findOneOrFail(ClientSchema, { id: client.id })).email).toBe(client.email);
		// The email log hears when the mails' delivery status is known.
		const delivered: { rooms: string[] }[] = await db.em().execute(`select rooms from outbox where event = 'mail.delivered' and payload->'mailIds' @> jsonb_build_array(?::text)`, [
			(await db.em().findOneOrFail(MailMessageSchema, { clientId: client.id, template: 'email-change-code' })).id
		]);
		expect(delivered.map((row) => row.rooms)).toEqual([[`client:${client.id}`]]);

		const changed = await callerAs(db.em(), ownerActor).profile.confirmEmailChange({ clientId: client.id, code });
		expect(changed).toMatchObject({ email: newEmail, pendingEmail: null });
		expect((await db.em().findOneOrFail(ClientSchema, { id: client.id })).email).toBe(newEmail);
		expect((await db.em().findOneOrFail(UserSchema, { id: owner.id })).email).toBe(newEmail);

		const [audit] = await db.em().find(ActivitySchema, { clientId: client.id, action: 'profile.email_changed' });
		expect(audit.before).toEqual({ email: client.email, loginEmail: client.email });
		expect(audit.after).toEqual({ email: newEmail, loginEmail: newEmail });
		const [request] = await db.em().find(ActivitySchema, { clientId: client.id, action: 'profile.email_change_requested' });
		expect(request.after).toEqual({ pendingEmail: newEmail });
		// Codes never reach the audit trail.
		expect(JSON.stringify([audit, request])).not.toContain(code);

		// A code works once.
		const again = await pageErrorOf(httpClientFor(db.em(), ownerActor).profile.confirmEmailChange.mutate({ clientId: client.id, code }));
		expect(again.fieldErrors.code?.[0]).toMatch(/no email change waiting/);
	});

	it('answers a wrong code on the code field and changes nothing; the right code still works after', async () => {
		const { client, owner, newEmail } = await clientWithOwner();
		await callerAs(db.em(), admin).profile.requestEmailChange({ clientId: client.id, email: newEmail });
		const code = codeFromMail(newEmail);
		const wrong = code === '000000' ? '111111' : '000000';

		const error = await pageErrorOf(httpClientFor(db.em(), admin).profile.confirmEmailChange.mutate({ clientId: client.id, code: wrong }));
		expect(error.code).toBe('BAD_REQUEST');
		expect(error.fieldErrors.code).toEqual(['That code is not right.']);
		expect((await db.em().findOneOrFail(ClientSchema, { id: client.id })).email).toBe(client.email);
		expect((await db.em().findOneOrFail(UserSchema, { id: owner.id })).email).toBe(client.email);
		expect(await db.em().count(ActivitySchema, { clientId: client.id, action: 'profile.email_changed' })).toBe(0);
		expect((await db.em().findOneOrFail(ClientProfileSchema, { clientId: client.id })).pendingEmail).toBe(newEmail);

		await callerAs(db.em(), admin).profile.confirmEmailChange({ clientId: client.id, code });
		expect((await db.em().findOneOrFail(ClientSchema, { id: client.id })).email).toBe(newEmail);
	});

	it('refuses an expired code, and fails the code for good after too many wrong guesses', async () => {
		const expired = await clientWithOwner();
		await callerAs(db.em(), admin).profile.requestEmailChange({ clientId: expired.client.id, email: expired.newEmail });
		const expiredCode = codeFromMail(expired.newEmail);
		const { pendingEmailOtpId } = await db.em().findOneOrFail(ClientProfileSchema, { clientId: expired.client.id });
		await db.em().execute(`update otp_code set expires_at = now() - interval '1 second' where id = ?`, [pendingEmailOtpId]);
		const late = await pageErrorOf(httpClientFor(db.em(), admin).profile.confirmEmailChange.mutate({ clientId: expired.client.id, code: expiredCode }));
		expect(late.fieldErrors.code?.[0]).toMatch(/expired/);
		expect((await db.em().findOneOrFail(ClientSchema, { id: expired.client.id })).email).toBe(expired.client.email);

		const guessed = await clientWithOwner();
		await callerAs(db.em(), admin).profile.requestEmailChange({ clientId: guessed.client.id, email: guessed.newEmail });
		const code = codeFromMail(guessed.newEmail);
		const wrong = code === '000000' ? '111111' : '000000';
		const api = httpClientFor(db.em(), admin);
		const answers: string[] = [];
		for (let guess = 0; guess < 5; guess++) {
			answers.push((await pageErrorOf(api.profile.confirmEmailChange.mutate({ clientId: guessed.client.id, code: wrong }))).fieldErrors.code![0]);
		}
		expect(answers.at(-1)).toMatch(/Too many wrong codes/);
		const tooLate = await pageErrorOf(api.profile.confirmEmailChange.mutate({ clientId: guessed.client.id, code }));
		expect(tooLate.fieldErrors.code?.[0]).toMatch(/Too many wrong codes/);
		expect((await db.em().findOneOrFail(ClientSchema, { id: guessed.client.id })).email).toBe(guessed.client.email);
	});

	it('refuses an address another user signs in with, before any mail', async () => {
		const { client } = await clientWithOwner();
		const someoneElse = await newUser(db.em(), { kind: 'staff', roleKey: 'support_agent' });
		const error = await pageErrorOf(httpClientFor(db.em(), admin).profile.requestEmailChange.mutate({ clientId: client.id, email: someoneElse.email }));
		expect(error.fieldErrors.email).toEqual(['Another user already signs in with this address.']);
		expect(mailsTo(someoneElse.email)).toHaveLength(0);
		expect(await db.em().count(MailMessageSchema, { clientId: client.id })).toBe(0);
	});

	it('lists both mails in the client’s email log; a client user reads the notice but not the code', async () => {
		const { client, owner, newEmail } = await clientWithOwner();
		await callerAs(db.em(), admin).profile.requestEmailChange({ clientId: client.id, email: newEmail });
		const code = codeFromMail(newEmail);
		const ownerCaller = callerAs(db.em(), await actorFor(db.em(), owner));

		const log = await ownerCaller.mail.clientLog({ clientId: client.id });
		expect(log.items.map((item) => [item.to, item.template, item.status])).toEqual(
			expect.arrayContaining([
				[newEmail, 'email-change-code', 'sent'],
				[client.email, 'email-change-notice', 'sent']
			])
		);
		const codeItem = log.items.find((item) => item.template === 'email-change-code')!;
		const noticeItem = log.items.find((item) => item.template === 'email-change-notice')!;
		expect((await ownerCaller.mail.clientMessage({ clientId: client.id, id: codeItem.id })).text).toBeNull();
		expect((await ownerCaller.mail.clientMessage({ clientId: client.id, id: noticeItem.id })).text).toContain(newEmail);
		expect((await callerAs(db.em(), admin).mail.clientMessage({ clientId: client.id, id: codeItem.id })).text).toContain(code);

		const otherClient = await newClient(db.em());
		await expect(ownerCaller.mail.clientMessage({ clientId: otherClient.id, id: codeItem.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(callerAs(db.em(), admin).mail.clientMessage({ clientId: otherClient.id, id: codeItem.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
	});

	it('cancels a pending change, after which its code leads nowhere', async () => {
		const { client, newEmail } = await clientWithOwner();
		await callerAs(db.em(), admin).profile.requestEmailChange({ clientId: client.id, email: newEmail });
		const code = codeFromMail(newEmail);
		await callerAs(db.em(), admin).profile.cancelEmailChange({ clientId: client.id });
		const error = await pageErrorOf(httpClientFor(db.em(), admin).profile.confirmEmailChange.mutate({ clientId: client.id, code }));
		expect(error.fieldErrors.code?.[0]).toMatch(/no email change waiting/);
		expect((await db.em().findOneOrFail(ClientSchema, { id: client.id })).email).toBe(client.email);
	});
});
