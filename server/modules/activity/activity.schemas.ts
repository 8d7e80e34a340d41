import { z } from 'zod';

const instant = (message: string) => z.iso.datetime({ offset: true, message }).optional();

/**
 * The Activity tab's filters, shared by the list, the live feed's reload and the CSV export. Dates
 * arrive as instants: the page turns the viewer's inclusive days into [start of `from`, start of
 * the day after `to`) in the viewer's own time zone, so the server needs no time zone at all.
 */
const filters = z.object({
	clientId: z.uuid(),
	actorUserId: z.uuid('Choose an actor from the list.').optional(),
	action: z.string().trim().max(80, 'Choose an action from the list.').optional(),
	targetType: z.string().trim().max(60, 'Choose a target type from the list.').optional(),
	from: instant('Enter a valid start date.'),
	to: instant('Enter a valid end date.'),
	search: z.string().trim().max(200, 'Search for at most 200 characters.').optional()
});

const fromNotAfterTo = (input: { from?: string; to?: string }) => !input.from || !input.to || Date.parse(input.from) < Date.parse(input.to);
const DATE_ORDER = { path: ['to'], message: 'The end date must not be before the start date.' };

export const activityFiltersInput = filters.refine(fromNotAfterTo, DATE_ORDER);
export type ActivityFilters = z.infer<typeof activityFiltersInput>;

export const listActivityInput = filters
	.extend({
		cursor: z.string().max(500).optional(),
		limit: z.number().int().min(1).max(100).default(50)
	})
	.refine(fromNotAfterTo, DATE_ORDER);
export type ListActivityInput = z.infer<typeof listActivityInput>;

export const activityFacetsInput = z.object({ clientId: z.uuid() });
