import { afterAll, describe, expect, it } from 'vitest';
import { MailMessageSchema } from './mail-message.entity';
import { createMailer, type Mailer } from './mailer';
import { plainTextPart, startSmtpTestServer } from './smtp-test-server';
import { PasswordTokenSchema } from '../access/password-token.entity';
import { ClientSchema } from '../clients/client.entity';
import { createClient } from '../clients/client.service';
import { signIn } from '../../auth/sign-in.service';
import type { Actor } from '../../auth/actor';
import { useTestDatabase, loginGuardFor } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newUser, uniqueSuffix } from '../../../tests/integration/factories';
import type { EntityManager } from '@mikro-orm/postgresql';

const db = await useTestDatabase();
const smtp = await startSmtpTestServer();
const APP_URL = 'http://console.test';
const mailer = createMailer({ smtpUrl: smtp.url, from: 'Cirrus Console <no-reply@console.test>', appUrl: APP_URL });
afterAll(async () => {
	mailer.close();
	await smtp.close();
});

/** A tRPC caller whose app dependencies hold this file's mailer. */
function callerWithMailer(em: EntityManager, actor: Actor | null, withMailer: Mailer = mailer) {
	return callerFor(em, actor, { mailer: withMailer });
}

async function staffActor() {
	const em = db.em();
	return actorFor(em, await newUser(em, { kind: 'staff', roleKey: 'super_admin' }));
}

function newClientInput(email: string) {
	return { name: `Welcome ${uniqueSuffix()}`, email, type: 'organization', billingType: 'prepaid', currency: 'EUR', sendWelcome: true } as const;
}

const mailsTo = (address: string) => smtp.received.filter((mail) => mail.to.includes(address));

describe('creating a client with a welcome email', () => {
	it('mails the owner a set-password link over SMTP; the link sets the password and the owner signs in', async () => {
		const email = `owner-${uniqueSuffix()}@example.test`;
		const created = await callerWithMailer(db.em(), await staffActor()).clients.create(newClientInput(email));

		expect(created.welcomeMail?.status).toBe('sent');
		const received = mailsTo(email);
		expect(received).toHaveLength(1);
		const text = plainTextPart(received[0].raw);
		const link = text.match(/http:\/\/console\.test\/set-password\?token=([a-z2-7]+)/);
		expect(link).not.toBeNull();
		const token = link![1];

		const row = await db.em().findOneOrFail(MailMessageSchema, { id: created.welcomeMail!.id });
		expect(row).toMatchObject({ clientId: created.client.id, toAddress: email, template: 'welcome', status: 'sent' });
		expect(JSON.stringify(await db.em().getConnection().execute('select * from password_token'))).not.toContain(token);

		const signedOut = callerWithMailer(db.em(), null);
		expect(await signedOut.account.passwordTokenStatus({ token })).toMatchObject({ valid: true });
		await signedOut.account.setPassword({ token, password: 'quiet-meadow-orbit-58' });

		const session = await signIn(db.em(), loginGuardFor(db.em()), { email, password: 'quiet-meadow-orbit-58', ip: '198.51.100.20', userAgent: 'vitest' });
		expect(session.user.id).toBe(created.ownerUserId);
		expect(session.token).toMatch(/^[a-z2-7]{32}$/);
	});

	it('sends nothing when the creation is refused before its transaction (duplicate email)', async () => {
		const email = `dup-${uniqueSuffix()}@example.test`;
		const caller = callerWithMailer(db.em(), await staffActor());
		await caller.clients.create({ ...newClientInput(email), sendWelcome: false });
		const mails = await db.em().count(MailMessageSchema, {});
		const tokens = await db.em().count(PasswordTokenSchema, {});

		await expect(caller.clients.create(newClientInput(email.toUpperCase()))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		expect(mailsTo(email)).toHaveLength(0);
		expect(await db.em().count(MailMessageSchema, {})).toBe(mails);
		expect(await db.em().count(PasswordTokenSchema, {})).toBe(tokens);
	});

	it('sends nothing when the transaction rolls back after the mail and token were recorded', async () => {
		const email = `rollback-${uniqueSuffix()}@example.test`;
		const mails = await db.em().count(MailMessageSchema, {});
		const tokens = await db.em().count(PasswordTokenSchema, {});
		// Past the schema's checks (the service is called directly), the database refuses the name at commit.
		const input = { ...newClientInput(email), name: 'x'.repeat(300) };

		await expect(createClient(db.em(), await staffActor(), input, { mailer })).rejects.toThrow();
		expect(mailsTo(email)).toHaveLength(0);
		expect(await db.em().count(MailMessageSchema, {})).toBe(mails);
		expect(await db.em().count(PasswordTokenSchema, {})).toBe(tokens);
		expect(await db.em().count(ClientSchema, { email })).toBe(0);
	});

	it('keeps the client when the SMTP server refuses the welcome email, and marks the mail failed', async () => {
		const email = `refuse-${uniqueSuffix()}@example.test`;
		const created = await callerWithMailer(db.em(), await staffActor()).clients.create(newClientInput(email));

		expect(created.welcomeMail?.status).toBe('failed');
		expect(await db.em().count(ClientSchema, { id: created.client.id })).toBe(1);
		const row = await db.em().findOneOrFail(MailMessageSchema, { id: created.welcomeMail!.id });
		expect(row.status).toBe('failed');
		expect(row.error).toContain('No such mailbox');
	});

	it('without SMTP stores the welcome email where staff can read the link at /mail/<id>', async () => {
		const lines: string[] = [];
		const storing = createMailer({ smtpUrl: null, from: 'no-reply@console.test', appUrl: APP_URL, log: (line) => lines.push(line) });
		const email = `stored-${uniqueSuffix()}@example.test`;
		const staff = await staffActor();
		const created = await callerWithMailer(db.em(), staff, storing).clients.create(newClientInput(email));

		expect(created.welcomeMail?.status).toBe('stored');
		expect(mailsTo(email)).toHaveLength(0);
		expect(lines).toHaveLength(1);
		expect(lines[0]).toBe(`Mail to ${email}: "Welcome to Cirrus Console: set your password" stored — open ${APP_URL}/mail/${created.welcomeMail!.id}`);

		const stored = await callerWithMailer(db.em(), staff).mail.get({ id: created.welcomeMail!.id });
		const token = stored.text.match(/set-password\?token=([a-z2-7]+)/)?.[1];
		expect(token).toBeDefined();
		expect(lines[0]).not.toContain(token!);
		expect(await callerWithMailer(db.em(), null).account.passwordTokenStatus({ token: token! })).toMatchObject({ valid: true });
	});
});
