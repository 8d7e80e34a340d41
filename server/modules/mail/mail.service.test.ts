import { TRPCError } from '@trpc/server';
import { afterAll, describe, expect, it } from 'vitest';
import { MailMessageSchema } from './mail-message.entity';
import { createMailer } from './mailer';
import { deliverMail, recordMail, sendMail, type MailInput } from './mail.service';
import { MAIL_PAGE_SIZE } from './mail.schemas';
import { plainTextPart, startSmtpTestServer } from './smtp-test-server';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser, uniqueSuffix } from '../../../tests/integration/factories';

const db = await useTestDatabase();
const smtp = await startSmtpTestServer();
afterAll(() => smtp.close());

const APP_URL = 'http://console.test';

function message(overrides: Partial<MailInput> = {}): MailInput {
	return {
		clientId: null,
		to: `someone-${uniqueSuffix()}@example.test`,
		subject: 'Your invoice',
		template: 'test',
		text: 'Secret body text https://console.test/set-password?token=abc',
		html: '<p>Secret body text</p>',
		...overrides
	};
}

describe('sendMail', () => {
	it('records the message and hands it to the SMTP server', async () => {
		const mailer = createMailer({ smtpUrl: smtp.url, from: 'Cirrus Console <no-reply@console.test>', appUrl: APP_URL });
		const input = message();
		const sent = await sendMail(db.em(), mailer, input);

		expect(sent.status).toBe('sent');
		const row = await db.em().findOneOrFail(MailMessageSchema, { id: sent.id });
		expect(row).toMatchObject({ toAddress: input.to, subject: input.subject, status: 'sent', error: null });
		expect(row.sentAt).toBeInstanceOf(Date);
		const received = smtp.received.filter((mail) => mail.to.includes(input.to));
		expect(received).toHaveLength(1);
		expect(received[0].from).toBe('no-reply@console.test');
		expect(plainTextPart(received[0].raw)).toBe(input.text);
		mailer.close();
	});

	it('marks the message failed with the reason when the SMTP server refuses it, without throwing', async () => {
		const mailer = createMailer({ smtpUrl: smtp.url, from: 'no-reply@console.test', appUrl: APP_URL });
		const sent = await sendMail(db.em(), mailer, message({ to: `refuse-${uniqueSuffix()}@example.test` }));

		expect(sent.status).toBe('failed');
		const row = await db.em().findOneOrFail(MailMessageSchema, { id: sent.id });
		expect(row.status).toBe('failed');
		expect(row.error).toContain('No such mailbox');
		expect(row.sentAt).toBeNull();
		mailer.close();
	});

	it('without SMTP stores the message and logs one line that points at it, with no body or link', async () => {
		const lines: string[] = [];
		const mailer = createMailer({ smtpUrl: null, from: 'no-reply@console.test', appUrl: `${APP_URL}/`, log: (line) => lines.push(line) });
		const input = message();
		const before = smtp.received.length;
		const sent = await sendMail(db.em(), mailer, input);

		expect(sent.status).toBe('stored');
		expect(lines).toEqual([`Mail to ${input.to}: "Your invoice" stored — open ${APP_URL}/mail/${sent.id}`]);
		expect(lines[0]).not.toContain('token');
		expect(lines[0]).not.toContain('Secret');
		expect(smtp.received.length).toBe(before);
		expect((await db.em().findOneOrFail(MailMessageSchema, { id: sent.id })).status).toBe('stored');
	});

	it('sends nothing from inside a transaction: recorded mail leaves only through deliverMail after commit', async () => {
		const mailer = createMailer({ smtpUrl: smtp.url, from: 'no-reply@console.test', appUrl: APP_URL });
		const input = message();
		const id = await db.em().transactional(async (tx) => {
			await expect(sendMail(tx, mailer, message())).rejects.toThrow(/inside a transaction/);
			const recorded = recordMail(tx, input);
			await expect(deliverMail(tx, mailer, recorded.id)).rejects.toThrow(/after the transaction/);
			return recorded.id;
		});
		expect(smtp.received.some((mail) => mail.to.includes(input.to))).toBe(false);

		expect(await deliverMail(db.em(), mailer, id)).toBe('sent');
		// Delivering again does not send it twice.
		expect(await deliverMail(db.em(), mailer, id)).toBe('sent');
		expect(smtp.received.filter((mail) => mail.to.includes(input.to))).toHaveLength(1);
		mailer.close();
	});
});

describe('mail.list and mail.get', () => {
	it('page through all mail newest first, 50 at a time, without skipping rows that share a time', async () => {
		const em = db.em();
		const client = await newClient(em);
		const createdAt = new Date('2026-01-01T10:00:00Z');
		for (let index = 0; index < 2 * MAIL_PAGE_SIZE + 7; index++) {
			recordMail(em, message({ clientId: client.id, subject: `Bulk ${index}` })).createdAt = index < 60 ? createdAt : new Date(createdAt.getTime() + index);
		}
		await em.flush();
		const staff = await actorFor(em, await newUser(em, { kind: 'staff', roleKey: 'super_admin' }));
		const caller = callerFor(db.em(), staff);

		const seen: string[] = [];
		let cursor: string | undefined;
		const pageSizes: number[] = [];
		do {
			const page = await caller.mail.list({ clientId: client.id, cursor });
			pageSizes.push(page.items.length);
			seen.push(...page.items.map((item) => item.id));
			cursor = page.nextCursor ?? undefined;
		} while (cursor);

		expect(pageSizes).toEqual([MAIL_PAGE_SIZE, MAIL_PAGE_SIZE, 7]);
		expect(new Set(seen).size).toBe(2 * MAIL_PAGE_SIZE + 7);
		const rows: { id: string }[] = await db
			.em()
			.getConnection()
			.execute('select id from mail_message where client_id = ? order by created_at desc, id desc', [client.id]);
		expect(seen).toEqual(rows.map((row) => row.id));

		const first = await caller.mail.get({ id: seen[0] });
		expect(first.text).toContain('Secret body text');
		await expect(caller.mail.list({ cursor: 'bm90IGEgY3Vyc29y' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});

	it('are hidden from client users and from staff without mail.read', async () => {
		const em = db.em();
		const client = await newClient(em);
		const id = (await sendMail(em, createMailer({ smtpUrl: null, from: 'x@console.test', appUrl: APP_URL, log: () => {} }), message({ clientId: client.id }))).id;
		const owner = await actorFor(em, await newUser(em, { kind: 'client', clientId: client.id, roleKey: 'owner' }));
		const agent = await actorFor(em, await newUser(em, { kind: 'staff', permissions: ['clients.read'] }));
		for (const actor of [owner, agent]) {
			const caller = callerFor(db.em(), actor);
			for (const call of [caller.mail.list({}), caller.mail.get({ id })]) {
				const error = await call.catch((caught: unknown) => caught);
				expect(error).toBeInstanceOf(TRPCError);
				expect((error as TRPCError).code).toBe('NOT_FOUND');
			}
		}
	});
});
