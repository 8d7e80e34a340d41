import { router, staffProcedure } from '../../trpc/procedures';
import { getMailInput, listMailInput } from './mail.schemas';
import { listMailPage } from './mail.repository';
import { getMail } from './mail.service';

/** The staff page of sent mail: with no SMTP configured it is where a welcome link can be read. */
export const mailRouter = router({
	list: staffProcedure('mail.read')
		.input(listMailInput)
		.query(({ ctx, input }) => listMailPage(ctx.em, input)),

	get: staffProcedure('mail.read')
		.input(getMailInput)
		.query(({ ctx, input }) => getMail(ctx.em, input.id))
});
