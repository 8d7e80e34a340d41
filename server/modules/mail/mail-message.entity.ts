import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** stored: recorded, not (yet) handed to SMTP; sent: accepted by the SMTP server; failed: SMTP refused it. */
export const MAIL_STATUSES = ['stored', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** One outgoing message, recorded in the transaction of the change that caused it. Indexes live in the migration. */
export const MailMessageSchema = defineEntity({
	name: 'MailMessage',
	tableName: 'mail_message',
	properties: {
		id: p.uuid().primary().onCreate(() => randomUUID()),
		clientId: p.uuid().nullable(),
		toAddress: p.string().length(320),
		subject: p.string().length(300),
		template: p.string().length(60),
		textBody: p.text(),
		htmlBody: p.text(),
		status: p.enum(MAIL_STATUSES).default('stored'),
		error: p.text().nullable(),
		createdAt: p.datetime().onCreate(() => new Date()),
		sentAt: p.datetime().nullable()
	}
});

export type MailMessage = InferEntity<typeof MailMessageSchema>;
