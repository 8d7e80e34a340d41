import { htmlDocument, paragraph, type RenderedMail } from './mail-layout';
import { escapeHtml } from './html-escape';

export const EMAIL_CHANGE_CODE_TEMPLATE = 'email-change-code';

export interface EmailChangeCodeMailInput {
	/** The account's name. */
	name: string;
	/** The one-time code; this mail is its only copy outside the hash. */
	code: string;
}

/** Sent to the NEW address: proves whoever asked for the change can read mail there. */
export function renderEmailChangeCodeMail(input: EmailChangeCodeMailInput): RenderedMail {
	const subject = 'Cirrus Console: confirm your new email address';
	const intro = `Someone asked to use this address for the Cirrus Console account ${input.name}. To confirm, enter this code:`;
	const expiry = 'The code works once and expires shortly; ask for a new one from the Personal Details page if it has.';
	const ignore = 'If you did not ask for this, ignore this email: nothing changes without the code.';
	return {
		subject,
		text: [intro, '', `Code: ${input.code}`, '', expiry, '', ignore, '', 'Cirrus Console'].join('\n'),
		html: htmlDocument(subject, [
			paragraph(intro),
			`<p style="margin:0 0 16px;font-size:28px;font-weight:700;letter-spacing:6px">${escapeHtml(input.code)}</p>`,
			paragraph(expiry),
			paragraph(ignore)
		])
	};
}

