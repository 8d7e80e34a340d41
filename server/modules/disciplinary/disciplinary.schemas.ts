import { z } from 'zod';
import { DISCIPLINARY_TYPES, REASON_CATEGORIES } from './disciplinary-action.entity';

const optionalDate = z
	.union([z.iso.datetime({ offset: true }), z.date()], 'Enter a valid date and time.')
	.transform((value) => new Date(value))
	.nullish();

export const createDisciplinaryInput = z
	.object({
		clientId: z.uuid(),
		type: z.enum(DISCIPLINARY_TYPES, 'Choose warning, restriction, suspension or termination.'),
		noNewResources: z.boolean().default(false),
		noSubuserLogins: z.boolean().default(false),
		noApi: z.boolean().default(false),
		reasonCategory: z.enum(REASON_CATEGORIES, 'Choose a reason category.'),
		reason: z.string().trim().min(3, 'Give a reason of at least 3 characters.').max(2000, 'Keep the reason under 2,000 characters.'),
		evidenceNote: z.string().trim().max(10_000, 'Keep the evidence note under 10,000 characters.').default(''),
		/** Empty: starts now. */
		startsAt: optionalDate,
		endsAt: optionalDate,
		/** A termination is confirmed by typing the client's name. */
		confirmName: z.string().trim().max(200).default('')
	})
	.superRefine((input, context) => {
		const restriction = input.type === 'restriction';
		if (restriction && !input.noNewResources && !input.noSubuserLogins && !input.noApi) {
			context.addIssue({ code: 'custom', path: ['flags'], message: 'Choose at least one thing the restriction forbids.' });
		}
		if (!restriction && (input.noNewResources || input.noSubuserLogins || input.noApi)) {
			context.addIssue({ code: 'custom', path: ['flags'], message: 'Only a restriction forbids single things.' });
		}
		if (input.type === 'termination' && input.endsAt) {
			context.addIssue({ code: 'custom', path: ['endsAt'], message: 'A termination is permanent: leave the end empty.' });
		}
		const start = input.startsAt ?? new Date();
		if (input.endsAt && input.endsAt.getTime() <= start.getTime()) {
			context.addIssue({ code: 'custom', path: ['endsAt'], message: 'The end must be after the start.' });
		}
	});
export type CreateDisciplinaryInput = z.infer<typeof createDisciplinaryInput>;

export const liftDisciplinaryInput = z.object({
	clientId: z.uuid(),
	actionId: z.uuid(),
	reason: z.string().trim().min(3, 'Give a reason of at least 3 characters.').max(2000, 'Keep the reason under 2,000 characters.')
});
export type LiftDisciplinaryInput = z.infer<typeof liftDisciplinaryInput>;
