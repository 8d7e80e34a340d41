import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ClientSchema, type Client } from './client.entity';
import { ClientProfileSchema, type ClientProfile, type Theme } from './client-profile.entity';
import { getClient, toClientHeader } from './client.service';
import { checkPhone } from './profile-phone';
import type { UpdateProfileValues } from './profile.schemas';
import { diffFields, mutate, type OutboxEvent } from '../../db/mutation';
import { fieldError } from '../../errors';
import type { Actor } from '../../auth/actor';

export interface ProfileView {
	clientId: string;
	name: string;
	email: string;
	phone: string | null;
	addressLine1: string | null;
	addressLine2: string | null;
	city: string | null;
	region: string | null;
	postalCode: string | null;
	country: string | null;
	timeZone: string | null;
	dateFormat: string;
	language: string;
	theme: Theme;
	/** An email change waiting for its code, if any. */
	pendingEmail: string | null;
	pendingEmailRequestedAt: Date | null;
}

/** The editable fields, as the audit compares them. */
type ProfileFields = Omit<ProfileView, 'clientId' | 'email' | 'pendingEmail' | 'pendingEmailRequestedAt'>;

export function toProfileView(client: Client, profile: ClientProfile | null): ProfileView {
	return {
		clientId: client.id,
		name: client.name,
		email: client.email,
		phone: profile?.phone ?? null,
		addressLine1: profile?.addressLine1 ?? null,
		addressLine2: profile?.addressLine2 ?? null,
		city: profile?.city ?? null,
		region: profile?.region ?? null,
		postalCode: profile?.postalCode ?? null,
		country: profile?.country?.trim() ?? null,
		timeZone: profile?.timeZone ?? null,
		dateFormat: profile?.dateFormat ?? 'iso',
		language: profile?.language ?? 'en',
		theme: profile?.theme ?? 'system',
		pendingEmail: profile?.pendingEmail ?? null,
		pendingEmailRequestedAt: profile?.pendingEmailRequestedAt ?? null
	};
}

function fieldsOf(view: ProfileView): ProfileFields {
	const { clientId: _clientId, email: _email, pendingEmail: _pending, pendingEmailRequestedAt: _requested, ...fields } = view;
	return fields;
}

/** An empty profile row for a client that has none yet (written with the caller's transaction). */
export function newProfileRow(tx: EntityManager, clientId: string): ClientProfile {
	return tx.create(ClientProfileSchema, {
		clientId,
		phone: null,
		addressLine1: null,
		addressLine2: null,
		city: null,
		region: null,
		postalCode: null,
		country: null,
		timeZone: null,
		dateFormat: 'iso',
		language: 'en',
		theme: 'system',
		pendingEmail: null,
		pendingEmailOtpId: null,
		pendingEmailRequestedAt: null,
		updatedAt: new Date()
	});
}

export async function getProfile(em: EntityManager, actor: Actor, clientId: string): Promise<ProfileView> {
	const client = await getClient(em, actor, clientId);
	return toProfileView(client, await em.findOne(ClientProfileSchema, { clientId }));
}

/** The events that keep open pages current after a profile change. */
export function profileEvents(client: Client, view: ProfileView, headerChanged: boolean): OutboxEvent[] {
	const events: OutboxEvent[] = [{ event: 'profile.updated', rooms: [`client:${client.id}`], payload: { profile: view } }];
	// Name and email are the list's columns and the header's title: those pages follow client.updated.
	if (headerChanged) events.push({ event: 'client.updated', rooms: [`client:${client.id}`, 'staff'], payload: { client: toClientHeader(client) } });
	return events;
}

/**
 * Saves the Personal Details form (everything but the email, which changes only through its
 * code). The phone is read with the chosen country as its default region and stored E.164.
 * Saving unchanged values writes nothing.
 */
export async function updateProfile(em: EntityManager, actor: Actor, input: UpdateProfileValues): Promise<ProfileView> {
	await getClient(em, actor, input.clientId);
	let phone: string | null = null;
	if (input.phone) {
		const checked = checkPhone(input.phone, input.country);
		if (!checked.ok) throw fieldError('phone', checked.message);
		phone = checked.e164;
	}
	const next: ProfileFields = {
		name: input.name,
		phone,
		addressLine1: input.addressLine1,
		addressLine2: input.addressLine2,
		city: input.city,
		region: input.region,
		postalCode: input.postalCode,
		country: input.country,
		timeZone: input.timeZone,
		dateFormat: input.dateFormat,
		language: input.language,
		theme: input.theme
	};
	return mutate(em, actor, async (tx) => {
		// Read again under a row lock, so two saves at once each audit against what the other wrote.
		const client = await tx.findOneOrFail(ClientSchema, { id: input.clientId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
		const existing = await tx.findOne(ClientProfileSchema, { clientId: client.id });
		const diff = diffFields(fieldsOf(toProfileView(client, existing)), next);
		if (!diff) return { result: toProfileView(client, existing), activity: [] };
		const profile = existing ?? newProfileRow(tx, client.id);
		const { name, ...rest } = next;
		client.name = name;
		Object.assign(profile, rest);
		const view = toProfileView(client, profile);
		return {
			result: view,
			activity: {
				clientId: client.id,
				action: 'profile.updated',
				targetType: 'client',
				targetId: client.id,
				summary: `Updated personal details: ${Object.keys(diff.after).map(fieldLabel).join(', ')}`,
				before: diff.before,
				after: diff.after
			},
			events: profileEvents(client, view, 'name' in diff.after)
		};
	});
}

const FIELD_LABELS: Record<string, string> = {
	name: 'name',
	phone: 'phone',
	addressLine1: 'address line 1',
	addressLine2: 'address line 2',
	city: 'city',
	region: 'region',
	postalCode: 'postal code',
	country: 'country',
	timeZone: 'time zone',
	dateFormat: 'date format',
	language: 'language',
	theme: 'theme'
};

const fieldLabel = (key: string) => FIELD_LABELS[key] ?? key;
