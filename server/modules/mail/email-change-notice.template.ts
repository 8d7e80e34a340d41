import { htmlDocument, paragraph, type RenderedMail } from './mail-layout';

export const EMAIL_CHANGE_NOTICE_TEMPLATE = 'email-change-notice';

export interface EmailChangeNoticeMailInput {
	name: string;
	/** The address the change would move the account to. */
	newEmail: string;
	/** Who asked (a staff member's or the user's own name). */
	requestedBy: string;
}

/** Sent to the OLD address at once, so an owner whose account is being taken over hears of it. */
export function renderEmailChangeNoticeMail(input: EmailChangeNoticeMailInput): RenderedMail {
	const subject = 'Cirrus Console: someone asked to change your account email';
	const intro = `${input.requestedBy} asked to change the email of the Cirrus Console account ${input.name} from this address to ${input.newEmail}.`;
	const next = 'The change applies only once the code sent to the new address is entered.';
	const alarm = 'If you did not expect this, contact our support team right away.';
	return {
		subject,
		text: [intro, '', next, '', alarm, '', 'Cirrus Console'].join('\n'),
		html: htmlDocument(subject, [paragraph(intro), paragraph(next), paragraph(alarm)])
	};
}
