import nodemailer from 'nodemailer';

export interface OutgoingMail {
	/** The mail_message row, for the log line that points at /mail/<id>. */
	id: string;
	to: string;
	subject: string;
	text: string;
	html: string;
}

/** sent: the SMTP server accepted it; stored: no SMTP is configured, so it stays readable at /mail/<id> only. */
export type DeliveryOutcome = 'sent' | 'stored';

export interface Mailer {
	/** Base URL of the console, for links inside mail. */
	readonly appUrl: string;
	/** Hands one recorded message to SMTP; throws when the server refuses it. */
	deliver(message: OutgoingMail): Promise<DeliveryOutcome>;
	close(): void;
}

export interface MailerOptions {
	/** smtp://user:pass@host:587 or smtps://...; null stores mail without sending it. */
	smtpUrl: string | null;
	from: string;
	appUrl: string;
	log?: (line: string) => void;
}

export function mailerOptionsFromEnv(env: NodeJS.ProcessEnv, appUrl: string): MailerOptions {
	return {
		smtpUrl: env.SMTP_URL || null,
		from: env.MAIL_FROM || `"Cirrus Console" <no-reply@${new URL(appUrl).hostname}>`,
		appUrl
	};
}

/**
 * The one way mail leaves the server. Without SMTP_URL nothing goes on the network: the message
 * is already recorded, and the log says where to read it. The log never holds a body or a link
 * from a body (they may carry single-use tokens).
 */
export function createMailer(options: MailerOptions): Mailer {
	const log = options.log ?? ((line: string) => console.log(line));
	const appUrl = options.appUrl.replace(/\/+$/, '');
	if (!options.smtpUrl) {
		return {
			appUrl,
			async deliver(message) {
				log(`Mail to ${message.to}: "${message.subject}" stored — open ${appUrl}/mail/${message.id}`);
				return 'stored';
			},
			close() {}
		};
	}
	// Short timeouts: delivery runs while the request that caused it waits for its answer.
	const transport = nodemailer.createTransport({
		url: options.smtpUrl,
		connectionTimeout: 10_000,
		greetingTimeout: 10_000,
		socketTimeout: 20_000
	});
	return {
		appUrl,
		async deliver(message) {
			await transport.sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
			return 'sent';
		},
		close() {
			transport.close();
		}
	};
}
