import { button, htmlDocument, paragraph, type RenderedMail } from '../mail/mail-layout';

export const INVITATION_TEMPLATE = 'invitation';

export interface InvitationMailInput {
	/** Who invited them, as shown in the console. */
	inviterName: string;
	clientName: string;
	roleName: string;
	/** Link to /invite with the token. */
	acceptUrl: string;
	expiresAt: Date;
}

function formatExpiry(date: Date): string {
	return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The mail an invited sub-user receives: a single-use link to create their account. */
export function renderInvitationMail(input: InvitationMailInput): RenderedMail {
	const subject = `You are invited to ${input.clientName} on Cirrus Console`;
	const intro = `${input.inviterName} invited you to join ${input.clientName} on Cirrus Console as ${input.roleName}. Choose your name and a password to accept:`;
	const expiry = `This link works once and expires on ${formatExpiry(input.expiresAt)}. If it has expired, ask ${input.inviterName} to send a new one.`;
	const ignore = 'If you did not expect this invitation, you can ignore this email.';
	return {
		subject,
		text: ['Hello,', '', intro, '', input.acceptUrl, '', expiry, '', ignore, '', 'Cirrus Console'].join('\n'),
		html: htmlDocument(subject, [paragraph('Hello,'), paragraph(intro), button('Accept the invitation', input.acceptUrl), paragraph(expiry), paragraph(ignore)])
	};
}
