import type { EntityManager } from '@mikro-orm/postgresql';
import { MailMessageSchema, type MailMessage, type MailStatus } from './mail-message.entity';
import type { Mailer } from './mailer';
import { notFound } from '../../errors';

export interface MailInput {
	clientId: string | null;
	to: string;
	subject: string;
	/** Name of the template that rendered it (`welcome`, ...), for the mail log. */
	template: string;
	text: string;
	html: string;
}

const MAX_ERROR_LENGTH = 1000;

/**
 * Records a message in the caller's transaction (flushed with it). Nothing is sent here: call
 * deliverMail once that transaction has committed, so a rolled-back change sends no mail.
 */
export function recordMail(tx: EntityManager, input: MailInput): MailMessage {
	return tx.create(MailMessageSchema, {
		clientId: input.clientId,
		toAddress: input.to,
		subject: input.subject,
		template: input.template,
		textBody: input.text,
		htmlBody: input.html,
		status: 'stored',
		error: null,
		createdAt: new Date(),
		sentAt: null
	});
}

/**
 * Sends a recorded message, after its transaction committed. Never throws: the change that
 * caused the mail is already committed, so a refused send only marks the row `failed`.
 */
export async function deliverMail(em: EntityManager, mailer: Mailer, messageId: string): Promise<MailStatus> {
	if (em.isInTransaction()) throw new Error('deliverMail runs after the transaction that recorded the mail has committed.');
	const fork = em.fork();
	const message = await fork.findOne(MailMessageSchema, { id: messageId });
	if (!message) throw new Error(`Mail ${messageId} was not recorded (was its transaction rolled back?).`);
	// A message that was already handed over is not sent twice.
	if (message.status !== 'stored') return message.status;
	try {
		const outcome = await mailer.deliver({
			id: message.id,
			to: message.toAddress,
			subject: message.subject,
			text: message.textBody,
			html: message.htmlBody
		});
		if (outcome === 'stored') return 'stored';
		await fork.nativeUpdate(MailMessageSchema, { id: message.id }, { status: 'sent', sentAt: new Date(), error: null });
		return 'sent';
	} catch (error) {
		const reason = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);
		console.error(`Mail to ${message.toAddress}: "${message.subject}" failed: ${reason}`);
		await fork.nativeUpdate(MailMessageSchema, { id: message.id }, { status: 'failed', error: reason }).catch((updateError: unknown) => {
			console.error(`Mail ${message.id}: could not record the failure:`, updateError);
		});
		return 'failed';
	}
}

/** Records and sends a message that belongs to no other change (outside any transaction). */
export async function sendMail(em: EntityManager, mailer: Mailer, input: MailInput): Promise<{ id: string; status: MailStatus }> {
	if (em.isInTransaction()) {
		throw new Error('sendMail sends at once; inside a transaction use recordMail, then deliverMail after commit.');
	}
	const fork = em.fork();
	const message = recordMail(fork, input);
	await fork.flush();
	return { id: message.id, status: await deliverMail(em, mailer, message.id) };
}

export interface MailView {
	id: string;
	clientId: string | null;
	to: string;
	subject: string;
	template: string;
	status: MailStatus;
	error: string | null;
	createdAt: Date;
	sentAt: Date | null;
	text: string;
}

export async function getMail(em: EntityManager, id: string): Promise<MailView> {
	const message = await em.findOne(MailMessageSchema, { id });
	if (!message) throw notFound('That message');
	return {
		id: message.id,
		clientId: message.clientId ?? null,
		to: message.toAddress,
		subject: message.subject,
		template: message.template,
		status: message.status,
		error: message.error ?? null,
		createdAt: message.createdAt,
		sentAt: message.sentAt ?? null,
		text: message.textBody
	};
}
