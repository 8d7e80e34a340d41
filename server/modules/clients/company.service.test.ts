import { TRPCClientError } from '@trpc/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClientSchema } from './client.entity';
import { ClientCompanySchema } from './client-company.entity';
import { getCompanySnapshot } from './company.service';
import { ActivitySchema } from '../activity/activity.entity';
import type { Actor } from '../../auth/actor';
import { readError } from '../../../src/lib/trpc';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser } from '../../../tests/integration/factories';
import { httpClientFor } from '../../../tests/integration/http-client';

const db = await useTestDatabase();
let billing: Actor;

beforeAll(async () => {
	billing = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'billing_staff', name: 'Bea Billing' }));
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
	companyName: 'Initech GmbH',
	addressLine1: 'Unter den Linden 1',
	addressLine2: '',
	city: 'Berlin',
	region: '',
	postalCode: '10117',
	country: 'DE',
	billingPhone: '',
	vatId: 'DE136695976',
	taxExempt: false,
	taxExemptReason: '',
	billingEmails: ['billing@initech.example'],
	...overrides
});

describe('Company Details: VAT ids per country', () => {
	it.each([
		['DE', 'de 136 695 976', 'DE136695976'],
		['FR', 'FR40303265045', 'FR40303265045'],
		['NL', 'NL004495445B01', 'NL004495445B01'],
		['AT', 'U13585627', 'ATU13585627'],
		['GR', '094259216', 'EL094259216'],
		['IT', 'IT00743110157', 'IT00743110157'],
		['GB', 'GB980780684', 'GB980780684']
	])('accepts a valid %s id typed as "%s" and stores %s', async (country, typed, stored) => {
		const client = await newClient(db.em());
		const saved = await callerFor(db.em(), billing).company.update(form(client.id, { country, vatId: typed }));
		expect(saved.vatId).toBe(stored);
		expect((await db.em().findOneOrFail(ClientCompanySchema, { clientId: client.id })).vatId).toBe(stored);
	});

	it.each([
		['DE', 'DE136695977', /check digits/],
		['FR', 'FR40303265046', /check digits/],
		['DE', 'DE12345', /not a Germany VAT id format/],
		['NL', 'DE136695976', /not a Netherlands VAT id format/]
	])('refuses %s id %s on the VAT field and changes nothing', async (country, vatId, message) => {
		const client = await newClient(db.em());
		const error = await pageErrorOf(httpClientFor(db.em(), billing).company.update.mutate(form(client.id, { country, vatId })));
		expect(error.fieldErrors.vatId?.[0]).toMatch(message);
		expect(await db.em().count(ClientCompanySchema, { clientId: client.id })).toBe(0);
		expect(await db.em().count(ActivitySchema, { clientId: client.id, action: 'company.updated' })).toBe(0);
	});

	it('requires the VAT id of an organization in the EU, not of an individual or outside the EU', async () => {
		const organization = await newClient(db.em(), { type: 'organization' });
		const error = await pageErrorOf(httpClientFor(db.em(), billing).company.update.mutate(form(organization.id, { country: 'FR', vatId: '' })));
		expect(error.fieldErrors.vatId).toEqual(['Organizations in the EU must give their VAT id.']);

		const individual = await newClient(db.em(), { type: 'individual' });
		expect((await callerFor(db.em(), billing).company.update(form(individual.id, { country: 'FR', vatId: '' }))).vatId).toBeNull();
		const american = await newClient(db.em(), { type: 'organization' });
		const us = await callerFor(db.em(), billing).company.update(form(american.id, { country: 'US', vatId: '12-3456789', billingPhone: '(202) 555-0123' }));
		expect(us).toMatchObject({ vatId: '123456789', billingPhone: '+12025550123' });
	});
});

describe('Company Details: other rules', () => {
	it('needs a reason for a tax exemption, and 1 to 5 valid billing emails', async () => {
		const client = await newClient(db.em());
		const api = httpClientFor(db.em(), billing);
		const exempt = await pageErrorOf(api.company.update.mutate(form(client.id, { taxExempt: true, taxExemptReason: '' })));
		expect(exempt.fieldErrors.taxExemptReason?.[0]).toMatch(/reason/);
		const none = await pageErrorOf(api.company.update.mutate(form(client.id, { billingEmails: ['  '] })));
		expect(none.fieldErrors.billingEmails).toEqual(['Give at least one billing email.']);
		const six = await pageErrorOf(api.company.update.mutate(form(client.id, { billingEmails: [1, 2, 3, 4, 5, 6].map((n) => `b${n}@x.example`) })));
		expect(six.fieldErrors.billingEmails).toEqual(['Give at most 5 billing emails.']);
		const invalid = await pageErrorOf(api.company.update.mutate(form(client.id, { billingEmails: ['ok@x.example', 'not-an-address'] })));
		expect(invalid.fieldErrors.billingEmails).toEqual(['“not-an-address” is not a valid email address.']);
		const phone = await pageErrorOf(api.company.update.mutate(form(client.id, { billingPhone: '123' })));
		expect(phone.fieldErrors.billingPhone?.[0]).toMatch(/valid phone/);
		expect(await db.em().count(ClientCompanySchema, { clientId: client.id })).toBe(0);

		const saved = await callerFor(db.em(), billing).company.update(
			form(client.id, { taxExempt: true, taxExemptReason: 'Registered charity', billingEmails: ['A@x.example', 'a@x.example', 'b@x.example'] })
		);
		expect(saved).toMatchObject({ taxExempt: true, taxExemptReason: 'Registered charity', billingEmails: ['a@x.example', 'b@x.example'] });
	});

	it('audits changed fields, renames the company on the client, and tells open pages', async () => {
		const client = await newClient(db.em(), { company: 'Old Co' });
		const caller = callerFor(db.em(), billing);
		await caller.company.update(form(client.id, { companyName: 'Old Co' }));
		await caller.company.update(form(client.id, { companyName: 'New Co', city: 'Munich' }));
		const rows = await db.em().find(ActivitySchema, { clientId: client.id, action: 'company.updated' }, { orderBy: { id: 'asc' } });
		expect(rows).toHaveLength(2);
		expect(rows[1].before).toEqual({ companyName: 'Old Co', city: 'Berlin' });
		expect(rows[1].after).toEqual({ companyName: 'New Co', city: 'Munich' });
		expect((await db.em().findOneOrFail(ClientSchema, { id: client.id })).company).toBe('New Co');
		const events: { rooms: string[]; payload: { company: { clientId: string; city: string } } }[] = await db
			.em()
			.execute(`select rooms, payload from outbox where event = 'company.updated' and payload->'company'->>'clientId' = ? order by id`, [client.id]);
		expect(events.map((event) => event.payload.company.city)).toEqual(['Berlin', 'Munich']);
		expect(events[1].rooms).toEqual([`client:${client.id}`]);
	});

	it('gives invoices a plain snapshot that later edits do not change', async () => {
		const client = await newClient(db.em(), { name: 'Snap Client', company: 'Snap GmbH' });
		await callerFor(db.em(), billing).company.update(form(client.id, { companyName: 'Snap GmbH' }));
		const snapshot = await getCompanySnapshot(db.em(), client.id);
		expect(snapshot).toMatchObject({ clientName: 'Snap Client', companyName: 'Snap GmbH', country: 'DE', vatId: 'DE136695976', billingEmails: ['billing@initech.example'], currency: 'EUR' });
		expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
		await callerFor(db.em(), billing).company.update(form(client.id, { companyName: 'Renamed GmbH' }));
		expect(snapshot.companyName).toBe('Snap GmbH');
	});

	it('lets staff without company.update read but not change', async () => {
		const client = await newClient(db.em());
		const agent = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'support_agent' }));
		expect((await callerFor(db.em(), agent).company.get({ clientId: client.id })).company.clientId).toBe(client.id);
		await expect(callerFor(db.em(), agent).company.update(form(client.id))).rejects.toMatchObject({ code: 'NOT_FOUND' });
	});
});
