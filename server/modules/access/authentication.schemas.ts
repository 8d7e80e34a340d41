import { z } from 'zod';
import { OTP_STATUSES } from './otp.entity';
import { PASSWORD_MAX_LENGTH } from './password-token.service';

const clientId = z.uuid();
const reason = z
	.string()
	.trim()
	.min(3, 'Give a reason (at least 3 characters).')
	.max(500, 'Keep the reason under 500 characters.');

export const clientInput = z.object({ clientId });
export const clientUserInput = z.object({ clientId, userId: z.uuid() });
export const clientUserReasonInput = clientUserInput.extend({ reason });

export const PAGE_SIZES = [10, 25, 50] as const;
const pageSize = z.coerce
	.number()
	.int()
	.refine((value) => (PAGE_SIZES as readonly number[]).includes(value), 'Choose 10, 25 or 50 rows.')
	.default(25);

export const otpRecordsInput = z.object({
	clientId,
	status: z.enum(OTP_STATUSES).optional(),
	cursor: z.string().max(500).optional(),
	limit: pageSize
});

export const failedLoginsInput = z.object({
	clientId,
	userId: z.uuid().optional(),
	cursor: z.string().max(500).optional(),
	limit: pageSize
});

export const revokeSessionInput = z.object({ clientId, sessionId: z.string().regex(/^[0-9a-f]{64}$/, 'Unknown session.') });

export const changePasswordInput = z.object({
	currentPassword: z.string().min(1, 'Enter your current password.').max(1000),
	newPassword: z.string().min(1, 'Enter a new password.').max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`)
});

export const passwordStrengthInput = z.object({ password: z.string().max(PASSWORD_MAX_LENGTH) });

export const totpCodeInput = z.object({ code: z.string().trim().regex(/^\d{6}$/, 'Enter the 6-digit code from your app.') });
export const passwordInput = z.object({ password: z.string().min(1, 'Enter your password.').max(1000) });
