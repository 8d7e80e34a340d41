import { htmlDocument, paragraph, type RenderedMail } from '../mail/mail-layout';

export const BUDGET_ALERT_TEMPLATE = 'budget-alert';

export interface BudgetAlertMailInput {
	clientName: string;
	/** YYYY-MM. */
	period: string;
	threshold: number;
	/** Already formatted with their currency. */
	spent: string;
	budget: string;
}

/** Sent once per period per threshold when spending reaches a share of the monthly budget. */
export function renderBudgetAlertMail(input: BudgetAlertMailInput): RenderedMail {
	const subject = `Cirrus Console: ${input.threshold} % of the ${input.period} budget reached`;
	const intro = `Spending of ${input.clientName} in ${input.period} has reached ${input.spent}, ${input.threshold} % or more of the monthly budget of ${input.budget}.`;
	const next = 'You can change the budget and its alert thresholds in Billing Setup. This alert is sent once for this threshold this month.';
	return {
		subject,
		text: [intro, '', next, '', 'Cirrus Console'].join('\n'),
		html: htmlDocument(subject, [paragraph(intro), paragraph(next)])
	};
}
