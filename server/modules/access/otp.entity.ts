import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const OTP_CHANNELS = ['email'] as const;
export type OtpChannel = (typeof OTP_CHANNELS)[number];
export const OTP_STATUSES = ['sent', 'verified', 'expired', 'failed'] as const;
export type OtpStatus = (typeof OTP_STATUSES)[number];

/**
 * A one-time code sent to prove control of a destination (an email address). Only the SHA-256
 * of id + code is kept: the code itself exists only in the message that carries it.
 */
export const OtpSchema = defineEntity({
	name: 'Otp',
	tableName: 'otp_code',
	properties: {
		id: p.uuid().primary().onCreate(() => randomUUID()),
		userId: p.uuid().nullable(),
		clientId: p.uuid().nullable(),
		channel: p.enum(OTP_CHANNELS),
		purpose: p.string().length(60),
		destination: p.string().length(320),
		codeHash: p.string().length(64),
		status: p.enum(OTP_STATUSES).default('sent'),
		attempts: p.integer().default(0),
		ip: p.string().length(64).nullable(),
		createdAt: p.datetime().onCreate(() => new Date()),
		expiresAt: p.datetime(),
		verifiedAt: p.datetime().nullable()
	}
});

export type Otp = InferEntity<typeof OtpSchema>;
