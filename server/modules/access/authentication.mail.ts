import { button, htmlDocument, paragraph, type RenderedMail } from '../mail/mail-layout';

export const PASSWORD_RESET_TEMPLATE = 'password-reset';
export const PASSWORD_CHANGED_TEMPLATE = 'password-changed';

const utc = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** A staff-sent link to choose a new password (single use, one hour). */
export function renderPasswordResetMail(input: { name: string; resetUrl: string; expiresAt: Date; sentBy: string }): RenderedMail {
	const subject = 'Cirrus Console: reset your password';
	const greeting = `Hello ${input.name},`;
	const intro = `${input.sentBy} from our support team sent you a link to choose a new password for your Cirrus Console account:`;
	const expiry = `This link works once and expires on ${utc(input.expiresAt)}. Using it signs you out of every session.`;
	const ignore = 'If you did not ask for this, you can ignore this email: your password stays as it is.';
	return {
		subject,
		text: [greeting, '', intro, '', input.resetUrl, '', expiry, '', ignore, '', 'Cirrus Console'].join('\n'),
		html: htmlDocument(subject, [paragraph(greeting), paragraph(intro), button('Reset your password', input.resetUrl), paragraph(expiry), paragraph(ignore)])
	};
}

/** Tells the account's address that its password changed, so a takeover does not go unnoticed. */
export function renderPasswordChangedMail(input: { name: string; changedAt: Date; ip: string | null; device: string; signedOut: number }): RenderedMail {
	const subject = 'Cirrus Console: your password was changed';
	const greeting = `Hello ${input.name},`;
	const what = `The password of your Cirrus Console account was changed on ${utc(input.changedAt)} from ${input.device}${input.ip ? ` (IP ${input.ip})` : ''}.`;
	const sessions = input.signedOut
		? `Your other ${input.signedOut === 1 ? 'session was' : `${input.signedOut} sessions were`} signed out.`
		: 'You had no other sessions to sign out.';
	const alarm = 'If this was not you, contact our support team right away.';
	return {
		subject,
		text: [greeting, '', what, sessions, '', alarm, '', 'Cirrus Console'].join('\n'),
		html: htmlDocument(subject, [paragraph(greeting), paragraph(what), paragraph(sessions), paragraph(alarm)])
	};
}
