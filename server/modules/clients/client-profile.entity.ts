import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const THEMES = ['light', 'dark', 'system'] as const;
export type Theme = (typeof THEMES)[number];

/**
 * The client account's contact record beyond name and email (those stay on `client`). One row
 * per client, written on the first save. A pending email change waits here for its OTP.
 */
export const ClientProfileSchema = defineEntity({
	name: 'ClientProfile',
	tableName: 'client_profile',
	properties: {
		clientId: p.uuid().primary(),
		/** E.164, as libphonenumber-js formats it. */
		phone: p.string().length(20).nullable(),
		addressLine1: p.string().length(200).nullable(),
		addressLine2: p.string().length(200).nullable(),
		city: p.string().length(120).nullable(),
		region: p.string().length(120).nullable(),
		postalCode: p.string().length(20).nullable(),
		/** ISO 3166-1 alpha-2. */
		country: p.string().length(2).nullable(),
		/** IANA name. */
		timeZone: p.string().length(64).nullable(),
		dateFormat: p.string().length(20).default('iso'),
		language: p.string().length(10).default('en'),
		theme: p.enum(THEMES).default('system'),
		pendingEmail: p.string().length(320).nullable(),
		pendingEmailOtpId: p.uuid().nullable(),
		pendingEmailRequestedAt: p.datetime().nullable(),
		updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date())
	}
});

export type ClientProfile = InferEntity<typeof ClientProfileSchema>;
