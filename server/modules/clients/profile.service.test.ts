import { TRPCClientError } from '@trpc/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClientSchema } from './client.entity';
import { ClientProfileSchema } from './client-profile.entity';
import { ActivitySchema } from '../activity/activity.entity';
import type { Actor } from '../../auth/actor';
import { readError } from '../../../src/lib/trpc';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser } from '../../../tests/integration/factories';
import { httpClientFor } from '../../../tests/integration/http-client';

const db = await useTestDatabase();
let admin: Actor;

beforeAll(async () => {
	admin = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'super_admin', name: 'Ada Admin' }));
});

async function pageErrorOf(promise: Promise<unknown>) {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	if (!(error instanceof TRPCClientError)) throw new Error(`Expected the call to fail, got ${String(error)}`);
	return readError(error);
}

const form = (clientId: string, overrides: Record<string, unknown> = {}) => ({
	clientId,
	name: 'Grace Hopper',
	phone: '',
	addressLine1: '',
	addressLine2: '',
	city: '',
	region: '',
	postalCode: '',
	country: '',
	timeZone: '',
	dateFormat: 'iso' as const,
	language: 'en' as const,
	theme: 'system' as const,
	...overrides
});

const activityOf = (clientId: string, action: string) => db.em().find(ActivitySchema, { clientId, action }, { orderBy: { id: 'asc' } });

async function outboxEvents(event: string): Promise<{ rooms: string[]; payload: Record<string, unknown> }[]> {
	return db.em().execute('select rooms, payload from outbox where event = ? order by id', [event]);
}

describe('Personal Details', () => {
	it('reads a national number in the chosen country and stores it E.164', async () => {
		const client = await newClient(db.em());
		const saved = await callerFor(db.em(), admin).profile.update(form(client.id, { country: 'DE', phone: '030 1234567', timeZone: 'Europe/Berlin' }));
		expect(saved.phone).toBe('+49301234567');
		const row = await db.em().findOneOrFail(ClientProfileSchema, { clientId: client.id });
		expect(row.phone).toBe('+49301234567');
		expect(row.timeZone).toBe('Europe/Berlin');

		// The same digits mean another number in another country; a + prefix wins over the country.
		const us = await callerFor(db.em(), admin).profile.update(form(client.id, { country: 'US', phone: '(202) 555-0123' }));
		expect(us.phone).toBe('+12025550123');
		const international = await callerFor(db.em(), admin).profile.update(form(client.id, { country: 'US', phone: '+44 20 7946 0958' }));
		expect(international.phone).toBe('+442079460958');
	});

	it('answers an invalid phone, time zone or country on its field and changes nothing', async () => {
		const client = await newClient(db.em());
		const api = httpClientFor(db.em(), admin);
		const activityBefore = await db.em().count(ActivitySchema, { clientId: client.id });

		const phone = await pageErrorOf(api.profile.update.mutate(form(client.id, { country: 'DE', phone: '12' })));
		expect(phone.fieldErrors.phone?.[0]).toMatch(/valid phone number/);
		const noCountry = await pageErrorOf(api.profile.update.mutate(form(client.id, { phone: '030 1234567' })));
		expect(noCountry.fieldErrors.phone?.[0]).toMatch(/country/);
		const fields = await pageErrorOf(api.profile.update.mutate(form(client.id, { timeZone: 'Mars/Olympus', country: 'XX', name: 'G' })));
		expect(Object.keys(fields.fieldErrors).sort()).toEqual(['country', 'name', 'timeZone']);

		expect(await db.em().count(ClientProfileSchema, { clientId: client.id })).toBe(0);
		expect(await db.em().count(ActivitySchema, { clientId: client.id })).toBe(activityBefore);
		expect((await db.em().findOneOrFail(ClientSchema, { id: client.id })).name).toBe(client.name);
	});

	it('audits only the changed fields with before and after, and tells open pages', async () => {
		const client = await newClient(db.em(), { name: 'Before Name' });
		const caller = callerFor(db.em(), admin);
		await caller.profile.update(form(client.id, { name: 'Before Name', city: 'Paris', country: 'FR', theme: 'dark' }));
		await caller.profile.update(form(client.id, { name: 'After Name', city: 'Lyon', country: 'FR', theme: 'dark' }));

		const rows = await activityOf(client.id, 'profile.updated');
		expect(rows).toHaveLength(2);
		expect(rows[1].before).toEqual({ name: 'Before Name', city: 'Paris' });
		expect(rows[1].after).toEqual({ name: 'After Name', city: 'Lyon' });
		expect(rows[1].actorName).toBe('Ada Admin');
		expect(rows[1].summary).toBe('Updated personal details: name, city');
		expect((await db.em().findOneOrFail(ClientSchema, { id: client.id })).name).toBe('After Name');

		const profileEvents = (await outboxEvents('profile.updated')).filter((event) => (event.payload.profile as { clientId: string }).clientId === client.id);
		expect(profileEvents).toHaveLength(2);
		expect(profileEvents[1].rooms).toEqual([`client:${client.id}`]);
		expect(profileEvents[1].payload.profile).toMatchObject({ name: 'After Name', city: 'Lyon', theme: 'dark' });
		// The name is the header's title and the list's column: those pages hear client.updated.
		const headerEvents = (await outboxEvents('client.updated')).filter((event) => (event.payload.client as { id: string }).id === client.id);
		expect(headerEvents.map((event) => (event.payload.client as { name: string }).name)).toEqual(['After Name']);
	});

	it('writes nothing when the form is saved unchanged', async () => {
		const client = await newClient(db.em());
		const caller = callerFor(db.em(), admin);
		await caller.profile.update(form(client.id, { name: client.name, language: 'de' }));
		await caller.profile.update(form(client.id, { name: client.name, language: 'de' }));
		expect(await activityOf(client.id, 'profile.updated')).toHaveLength(1);
	});

	it('lets a client user edit their own account when their role allows, read-only otherwise', async () => {
		const client = await newClient(db.em());
		const owner = await actorFor(db.em(), await newUser(db.em(), { kind: 'client', clientId: client.id, roleKey: 'owner' }));
		const saved = await callerFor(db.em(), owner).profile.update(form(client.id, { name: 'Owner Edit', country: 'GB', phone: '020 7946 0958' }));
		expect(saved).toMatchObject({ name: 'Owner Edit', phone: '+442079460958' });

		const reader = await actorFor(db.em(), await newUser(db.em(), { kind: 'client', clientId: client.id, permissions: ['summary.read', 'profile.read'] }));
		expect((await callerFor(db.em(), reader).profile.get({ clientId: client.id })).profile.name).toBe('Owner Edit');
		await expect(callerFor(db.em(), reader).profile.update(form(client.id, { name: 'Reader Edit' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
		expect((await db.em().findOneOrFail(ClientSchema, { id: client.id })).name).toBe('Owner Edit');
	});

	it('hides another tenant’s details, company and email log: NOT_FOUND, nothing changed', async () => {
		const acme = await newClient(db.em());
		const other = await newClient(db.em(), { name: 'Other Tenant' });
		const intruder = await actorFor(db.em(), await newUser(db.em(), { kind: 'client', clientId: acme.id, roleKey: 'owner' }));
		const caller = callerFor(db.em(), intruder);
		await expect(caller.profile.get({ clientId: other.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(caller.profile.update(form(other.id, { name: 'Taken Over' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(caller.profile.requestEmailChange({ clientId: other.id, email: 'thief@example.test' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(caller.company.get({ clientId: other.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(caller.mail.clientLog({ clientId: other.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
		expect((await db.em().findOneOrFail(ClientSchema, { id: other.id })).name).toBe('Other Tenant');
		expect(await db.em().count(ActivitySchema, { clientId: other.id })).toBe(0);
	});
});
