import { TRPCClientError } from '@trpc/client';
import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClientSchema } from './client.entity';
import { UserSchema } from '../access/user.entity';
import { ActivitySchema } from '../activity/activity.entity';
import type { Actor } from '../../auth/actor';
import { readError } from '../../../src/lib/trpc';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newUser, uniqueSuffix } from '../../../tests/integration/factories';
import { httpClientFor } from '../../../tests/integration/http-client';

const db = await useTestDatabase();
let billing: Actor;

beforeAll(async () => {
	billing = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'billing_staff', name: 'Bea Billing' }));
});

async function rowCounts() {
	const em = db.em();
	return { clients: await em.count(ClientSchema, {}), users: await em.count(UserSchema, {}), activity: await em.count(ActivitySchema, {}) };
}

/** The error a page would read from a failed call: message, code and field errors. */
async function pageErrorOf(promise: Promise<unknown>) {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	if (!(error instanceof TRPCClientError)) throw new Error(`Expected the call to fail, got ${String(error)}`);
	return readError(error);
}

const validInput = () => ({
	name: 'Umbrella Corporation',
	email: `contact-${uniqueSuffix()}@umbrella.example`,
	company: 'Umbrella Corp',
	type: 'organization' as const,
	billingType: 'postpaid' as const,
	currency: 'EUR' as const,
	sendWelcome: false
});

describe('creating a client', () => {
	it('answers every invalid field at once, and writes nothing', async () => {
		const before = await rowCounts();
		const api = httpClientFor(db.em(), billing);
		const input = { ...validInput(), name: 'A', email: 'not-an-email', type: 'cooperative', currency: 'XXX' };
		const error = await pageErrorOf(api.clients.create.mutate(input as unknown as ReturnType<typeof validInput>));
		expect(error.code).toBe('BAD_REQUEST');
		expect(Object.keys(error.fieldErrors).sort()).toEqual(['currency', 'email', 'name', 'type']);
		expect(error.fieldErrors.name?.[0]).toMatch(/at least 2/);
		expect(error.fieldErrors.email?.[0]).toMatch(/valid email/);
		expect(await rowCounts()).toEqual(before);
	});

	it('rejects an email already in use, whatever its case, as an error on the email field', async () => {
		const api = httpClientFor(db.em(), billing);
		const first = validInput();
		await api.clients.create.mutate(first);
		const before = await rowCounts();
		const error = await pageErrorOf(api.clients.create.mutate({ ...validInput(), email: first.email.toUpperCase() }));
		expect(error.code).toBe('BAD_REQUEST');
		expect(error.fieldErrors.email?.[0]).toMatch(/already exists/);
		expect(await rowCounts()).toEqual(before);
	});

	it('creates the client, its owner user and the audit row', async () => {
		const input = validInput();
		const created = await callerFor(db.em(), billing).clients.create(input);
		const em = db.em();
		expect(await em.findOneOrFail(ClientSchema, { id: created.client.id })).toMatchObject({ name: input.name, email: input.email, status: 'active' });
		expect(await em.findOneOrFail(UserSchema, { id: created.ownerUserId })).toMatchObject({ kind: 'client', clientId: created.client.id });
		const activity = await em.find(ActivitySchema, { clientId: created.client.id });
		expect(activity.map((row) => [row.action, row.actorName])).toEqual([['client.created', 'Bea Billing']]);
	});
});

describe('changing a client status', () => {
	it('records the before and after in the activity log', async () => {
		const { client } = await callerFor(db.em(), billing).clients.create(validInput());
		const reason = 'Invoice 2026-000042 is 30 days overdue';
		const result = await callerFor(db.em(), billing).clients.setStatus({ clientId: client.id, status: 'suspended', reason });
		expect(result.status).toBe('suspended');
		expect(await db.em().findOneOrFail(ClientSchema, { id: client.id })).toMatchObject({ status: 'suspended', statusReason: reason });

		const row = await db.em().findOneOrFail(ActivitySchema, { clientId: client.id, action: 'client.status_changed' });
		expect(row.before).toEqual({ status: 'active', statusReason: null });
		expect(row.after).toEqual({ status: 'suspended', statusReason: reason });
		expect(row.actorName).toBe('Bea Billing');
	});

	it('answers field errors for a missing reason or an unchanged status', async () => {
		const { client } = await callerFor(db.em(), billing).clients.create(validInput());
		const api = httpClientFor(db.em(), billing);
		const noReason = await pageErrorOf(api.clients.setStatus.mutate({ clientId: client.id, status: 'blocked', reason: ' ' }));
		expect(Object.keys(noReason.fieldErrors)).toEqual(['reason']);
		const unchanged = await pageErrorOf(api.clients.setStatus.mutate({ clientId: client.id, status: 'active', reason: 'No change at all' }));
		expect(Object.keys(unchanged.fieldErrors)).toEqual(['status']);
		expect(await db.em().count(ActivitySchema, { clientId: client.id, action: 'client.status_changed' })).toBe(0);
	});
});

describe('listing clients with a tampered cursor', () => {
	const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const tampered = [
		{ what: 'not base64 JSON', sort: 'name', cursor: 'this is not a cursor' },
		{ what: 'the wrong shape', sort: 'name', cursor: cursor({ name: 'x' }) },
		{ what: 'a bad id', sort: 'name', cursor: cursor(['acme', 'not-a-uuid']) },
		{ what: 'a bad date', sort: 'createdAt', cursor: cursor(['yesterday', '00000000-0000-4000-8000-000000000000']) }
	] as const;

	it.for(tampered)('answers BAD_REQUEST to $what', async ({ sort, cursor }) => {
		const error = await callerFor(db.em(), billing).clients.list({ sort, cursor }).then(
			() => null,
			(caught: unknown) => caught
		);
		expect(error).toBeInstanceOf(TRPCError);
		expect((error as TRPCError).code).toBe('BAD_REQUEST');
	});
});
