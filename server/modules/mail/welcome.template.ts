import { button, htmlDocument, paragraph, type RenderedMail } from './mail-layout';

export const WELCOME_TEMPLATE = 'welcome';

export interface WelcomeMailInput {
	/** The new account owner's name, as staff typed it. */
	name: string;
	/** Link to /set-password with the token. */
	setPasswordUrl: string;
	/** When the link stops working. */
	expiresAt: Date;
}

function formatExpiry(date: Date): string {
	return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The mail a new client owner receives: a single-use link to choose a password. */
export function renderWelcomeMail(input: WelcomeMailInput): RenderedMail {
	const subject = 'Welcome to Cirrus Console: set your password';
	const greeting = `Hello ${input.name},`;
	const intro = 'An account has been created for you on Cirrus Console. Choose a password to sign in:';
	const expiry = `This link works once and expires on ${formatExpiry(input.expiresAt)}. If it has expired, ask our support team for a new one.`;
	const ignore = 'If you did not expect this email, you can ignore it.';
	return {
		subject,
		text: [greeting, '', intro, '', input.setPasswordUrl, '', expiry, '', ignore, '', 'Cirrus Console'].join('\n'),
		html: htmlDocument(subject, [
			paragraph(greeting),
			paragraph(intro),
			button('Set your password', input.setPasswordUrl),
			paragraph(expiry),
			paragraph(ignore)
		])
	};
}
