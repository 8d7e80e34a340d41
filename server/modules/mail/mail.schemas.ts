import { z } from 'zod';

export const MAIL_PAGE_SIZE = 50;

export const listMailInput = z.object({
	/** Only the mail of one client (its email log). */
	clientId: z.uuid().optional(),
	cursor: z.string().max(500).optional()
});
export type ListMailInput = z.infer<typeof listMailInput>;

export const getMailInput = z.object({ id: z.uuid() });
