import { describe, expect, it } from 'vitest';
import { recordMail } from './mail.service';
import { MAIL_PAGE_SIZE } from './mail.schemas';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser } from '../../../tests/integration/factories';

const db = await useTestDatabase();

async function recordMails(clientId: string, count: number, template = 'welcome') {
	const em = db.em();
	for (let index = 0; index < count; index++) {
		recordMail(em, { clientId, to: `to-${index}@example.test`, subject: `Subject ${index}`, template, text: `Body ${index}`, html: `<p>Body ${index}</p>` });
	}
	await em.flush();
}

describe('a client’s email log', () => {
	it('pages newest first through only that client’s mail, each message once', async () => {
		const client = await newClient(db.em());
		const other = await newClient(db.em());
		await recordMails(client.id, MAIL_PAGE_SIZE + 5);
		await recordMails(other.id, 3);
		const owner = await actorFor(db.em(), await newUser(db.em(), { kind: 'client', clientId: client.id, roleKey: 'owner' }));
		const caller = callerFor(db.em(), owner);

		const first = await caller.mail.clientLog({ clientId: client.id });
		expect(first.items).toHaveLength(MAIL_PAGE_SIZE);
		expect(first.nextCursor).not.toBeNull();
		expect(first.live).toEqual({ [`client:${client.id}`]: expect.any(Number) });
		const second = await caller.mail.clientLog({ clientId: client.id, cursor: first.nextCursor! });
		expect(second.items).toHaveLength(5);
		expect(second.nextCursor).toBeNull();

		const all = [...first.items, ...second.items];
		expect(new Set(all.map((item) => item.id)).size).toBe(MAIL_PAGE_SIZE + 5);
		expect(all.every((item) => item.clientId === client.id)).toBe(true);
		const times = all.map((item) => new Date(item.createdAt).getTime());
		expect(times).toEqual([...times].sort((a, b) => b - a));
	});

	it('hides bodies that carry a link or code from users without mail.read, and shows them to staff who have it', async () => {
		const client = await newClient(db.em());
		await recordMails(client.id, 1, 'welcome');
		await recordMails(client.id, 1, 'email-change-notice');
		const agent = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'support_agent' }));
		const admin = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'super_admin' }));
		const { items } = await callerFor(db.em(), admin).mail.clientLog({ clientId: client.id });
		const notice = items.find((item) => item.template === 'email-change-notice')!;
		const welcome = items.find((item) => item.template === 'welcome')!;
		expect((await callerFor(db.em(), agent).mail.clientMessage({ clientId: client.id, id: welcome.id })).text).toBeNull();
		expect((await callerFor(db.em(), agent).mail.clientMessage({ clientId: client.id, id: notice.id })).text).toBe('Body 0');
		expect((await callerFor(db.em(), admin).mail.clientMessage({ clientId: client.id, id: welcome.id })).text).toBe('Body 0');
		// Staff follow both rooms of the client.
		expect(Object.keys((await callerFor(db.em(), agent).mail.clientLog({ clientId: client.id })).live).sort()).toEqual([`client:${client.id}`, `client:${client.id}:staff`]);
	});
});
