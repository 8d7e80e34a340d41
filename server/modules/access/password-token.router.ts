import { z } from 'zod';
import { publicProcedure, router } from '../../trpc/procedures';
import { PASSWORD_MAX_LENGTH, consumePasswordToken, passwordTokenStatus } from './password-token.service';

// Generous bounds: a malformed token is answered "not valid" by the service, not by a schema error.
const token = z.string().max(200);

export const passwordTokenStatusInput = z.object({ token });
export const setPasswordInput = z.object({
	token,
	password: z.string().min(1, 'Enter a new password.').max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`)
});

/** Account self-service reached from a mailed link, before the user can sign in. */
export const accountRouter = router({
	passwordTokenStatus: publicProcedure.input(passwordTokenStatusInput).query(({ ctx, input }) => passwordTokenStatus(ctx.em, input.token)),

	setPassword: publicProcedure.input(setPasswordInput).mutation(async ({ ctx, input }) => {
		await consumePasswordToken(ctx.em, input.token, input.password, ctx.request);
		// No session is opened here: the user signs in normally with the new password.
		return { ok: true as const };
	})
});
