import type { EntityManager } from '@mikro-orm/postgresql';
import { can, type Actor } from '../../auth/actor';
import { getMail, type MailView } from './mail.service';
import { notFound } from '../../errors';
import { EMAIL_CHANGE_NOTICE_TEMPLATE } from './email-change-notice.template';

/**
 * Templates whose body holds no live secret. Other mail (set-password links, one-time codes)
 * would let whoever reads the log act as the recipient, so its body is shown only to staff who
 * may read all sent mail (`mail.read`, the page that stands in for a mailbox without SMTP).
 */
const BODY_WITHOUT_SECRETS: ReadonlySet<string> = new Set([EMAIL_CHANGE_NOTICE_TEMPLATE]);

export type ClientMailView = Omit<MailView, 'text'> & { text: string | null };

/** One message of a client's email log; a message of another client is NOT_FOUND. */
export async function getClientMail(em: EntityManager, actor: Actor, clientId: string, id: string): Promise<ClientMailView> {
	const message = await getMail(em, id);
	if (message.clientId !== clientId) throw notFound('That message');
	const showBody = can(actor, 'mail.read') || BODY_WITHOUT_SECRETS.has(message.template);
	return { ...message, text: showBody ? message.text : null };
}
