import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
	from: string | null;
	to: string[];
	/** The raw RFC 5322 message as the server received it. */
	raw: string;
}

export interface SmtpTestServer {
	url: string;
	received: ReceivedMail[];
	close(): Promise<void>;
}

/**
 * A real SMTP server in the test process (the `smtp-server` package) on a free port. Recipients
 * whose address starts with `refuse` are rejected, as a mailbox that does not exist would be.
 */
export async function startSmtpTestServer(): Promise<SmtpTestServer> {
	const received: ReceivedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onRcptTo(address, _session, callback) {
			if (address.address.startsWith('refuse')) return callback(new Error('550 No such mailbox'));
			callback();
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				received.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
					to: session.envelope.rcptTo.map((recipient) => recipient.address),
					raw: Buffer.concat(chunks).toString('utf8')
				});
				callback();
			});
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.server.address() as AddressInfo;
	return {
		url: `smtp://127.0.0.1:${port}`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

/** The decoded text/plain part of a raw multipart message (quoted-printable or 7bit, as nodemailer writes it). */
export function plainTextPart(raw: string): string {
	for (const part of raw.split(/\r?\n--[^\r\n]+\r?\n/)) {
		const split = part.search(/\r?\n\r?\n/);
		if (split === -1) continue;
		const headers = part.slice(0, split);
		if (!/^Content-Type: text\/plain/im.test(headers)) continue;
		const body = part.slice(split).replace(/^\r?\n\r?\n/, '');
		if (!/^Content-Transfer-Encoding: quoted-printable/im.test(headers)) return body;
		return body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	}
	throw new Error('The message has no text/plain part.');
}
