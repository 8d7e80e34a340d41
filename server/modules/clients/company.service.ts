import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ClientSchema, type Client } from './client.entity';
import { ClientCompanySchema, type ClientCompany } from './client-company.entity';
import { getClient, toClientHeader } from './client.service';
import { checkPhone } from './profile-phone';
import { checkVatId, isEuCountry } from './company-vat';
import type { UpdateCompanyValues } from './company.schemas';
import { diffFields, mutate, type OutboxEvent } from '../../db/mutation';
import { AppError } from '../../errors';
import type { Actor } from '../../auth/actor';

export interface CompanyView {
	clientId: string;
	/** organization or individual: decides whether an EU VAT id is required. */
	clientType: string;
	companyName: string | null;
	addressLine1: string | null;
	addressLine2: string | null;
	city: string | null;
	region: string | null;
	postalCode: string | null;
	country: string | null;
	billingPhone: string | null;
	vatId: string | null;
	taxExempt: boolean;
	taxExemptReason: string | null;
	billingEmails: string[];
}

/** What an invoice copies at issue time, so later edits never change an issued invoice. */
export type CompanySnapshot = Omit<CompanyView, 'clientType'> & { clientName: string; currency: string; takenAt: string };

type CompanyFields = Omit<CompanyView, 'clientId' | 'clientType'>;

export function toCompanyView(client: Client, company: ClientCompany | null): CompanyView {
	return {
		clientId: client.id,
		clientType: client.type,
		companyName: client.company ?? null,
		addressLine1: company?.addressLine1 ?? null,
		addressLine2: company?.addressLine2 ?? null,
		city: company?.city ?? null,
		region: company?.region ?? null,
		postalCode: company?.postalCode ?? null,
		country: company?.country?.trim() ?? null,
		billingPhone: company?.billingPhone ?? null,
		vatId: company?.vatId ?? null,
		taxExempt: company?.taxExempt ?? false,
		taxExemptReason: company?.taxExemptReason ?? null,
		// Until billing emails are set, invoices go to the account's email.
		billingEmails: company?.billingEmails?.length ? [...company.billingEmails] : [client.email]
	};
}

function fieldsOf(view: CompanyView): CompanyFields {
	const { clientId: _clientId, clientType: _clientType, ...fields } = view;
	return fields;
}

export async function getCompany(em: EntityManager, actor: Actor, clientId: string): Promise<CompanyView> {
	const client = await getClient(em, actor, clientId);
	return toCompanyView(client, await em.findOne(ClientCompanySchema, { clientId }));
}

/**
 * A plain copy of the billing identity for an invoice being issued (call it inside the invoice's
 * transaction). No access check: the invoice service has done its own.
 */
export async function getCompanySnapshot(em: EntityManager, clientId: string): Promise<CompanySnapshot> {
	const client = await em.findOneOrFail(ClientSchema, { id: clientId });
	const { clientType: _clientType, ...view } = toCompanyView(client, await em.findOne(ClientCompanySchema, { clientId }));
	return { ...view, billingEmails: [...view.billingEmails], clientName: client.name, currency: client.currency.trim(), takenAt: new Date().toISOString() };
}

/** Phone and VAT id in their stored forms, or every field error at once. */
function normalise(client: Client, input: UpdateCompanyValues): Pick<CompanyFields, 'billingPhone' | 'vatId'> {
	const errors: Record<string, string[]> = {};
	let billingPhone: string | null = null;
	if (input.billingPhone) {
		const checked = checkPhone(input.billingPhone, input.country);
		if (checked.ok) billingPhone = checked.e164;
		else errors.billingPhone = [checked.message];
	}
	let vatId: string | null = null;
	if (input.vatId) {
		const checked = checkVatId(input.vatId, input.country);
		if (checked.ok) vatId = checked.value;
		else errors.vatId = [checked.message];
	} else if (client.type === 'organization' && isEuCountry(input.country)) {
		errors.vatId = ['Organizations in the EU must give their VAT id.'];
	}
	if (Object.keys(errors).length) throw new AppError('BAD_REQUEST', 'Some fields need attention.', errors);
	return { billingPhone, vatId };
}

export function companyEvents(client: Client, view: CompanyView, companyNameChanged: boolean): OutboxEvent[] {
	const events: OutboxEvent[] = [{ event: 'company.updated', rooms: [`client:${client.id}`], payload: { company: view } }];
	// The company name is shown in the header and searched in the client list.
	if (companyNameChanged) events.push({ event: 'client.updated', rooms: [`client:${client.id}`, 'staff'], payload: { client: toClientHeader(client) } });
	return events;
}

/** Saves the Company Details form; unchanged values write nothing. */
export async function updateCompany(em: EntityManager, actor: Actor, input: UpdateCompanyValues): Promise<CompanyView> {
	const current = await getClient(em, actor, input.clientId);
	const { billingPhone, vatId } = normalise(current, input);
	const next: CompanyFields = {
		companyName: input.companyName,
		addressLine1: input.addressLine1,
		addressLine2: input.addressLine2,
		city: input.city,
		region: input.region,
		postalCode: input.postalCode,
		country: input.country,
		billingPhone,
		vatId,
		taxExempt: input.taxExempt,
		taxExemptReason: input.taxExempt ? input.taxExemptReason : null,
		billingEmails: input.billingEmails
	};
	return mutate(em, actor, async (tx) => {
		const client = await tx.findOneOrFail(ClientSchema, { id: input.clientId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
		const existing = await tx.findOne(ClientCompanySchema, { clientId: client.id });
		const diff = diffFields(fieldsOf(toCompanyView(client, existing)), next);
		if (!diff) return { result: toCompanyView(client, existing), activity: [] };
		const { companyName, ...rest } = next;
		client.company = companyName;
		const company = existing ?? tx.create(ClientCompanySchema, { clientId: client.id, ...rest, updatedAt: new Date() });
		Object.assign(company, rest);
		const view = toCompanyView(client, company);
		return {
			result: view,
			activity: {
				clientId: client.id,
				action: 'company.updated',
				targetType: 'client',
				targetId: client.id,
				summary: `Updated company details: ${Object.keys(diff.after).map(fieldLabel).join(', ')}`,
				before: diff.before,
				after: diff.after
			},
			events: companyEvents(client, view, 'companyName' in diff.after)
		};
	});
}

const FIELD_LABELS: Record<string, string> = {
	companyName: 'company name',
	addressLine1: 'address line 1',
	addressLine2: 'address line 2',
	city: 'city',
	region: 'region',
	postalCode: 'postal code',
	country: 'country',
	billingPhone: 'billing phone',
	vatId: 'VAT id',
	taxExempt: 'tax exemption',
	taxExemptReason: 'exemption reason',
	billingEmails: 'billing emails'
};

const fieldLabel = (key: string) => FIELD_LABELS[key] ?? key;
