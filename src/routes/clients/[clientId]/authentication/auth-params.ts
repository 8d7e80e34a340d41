import type { OtpStatus } from '../../../../../server/modules/access/otp.entity';

export const OTP_STATUS_OPTIONS: readonly OtpStatus[] = ['sent', 'verified', 'expired', 'failed'];

/** The tab's list state in the URL: the OTP status filter and each list's keyset cursor. */
export interface AuthParams {
	otpStatus: OtpStatus | null;
	otpCursor: string | null;
	loginCursor: string | null;
}

export function readAuthParams(search: URLSearchParams): AuthParams {
	const status = search.get('otp_status');
	return {
		otpStatus: (OTP_STATUS_OPTIONS as readonly string[]).includes(status ?? '') ? (status as OtpStatus) : null,
		otpCursor: search.get('otp_after') || null,
		loginCursor: search.get('logins_after') || null
	};
}

export function authHref(base: string, params: AuthParams): string {
	const search = new URLSearchParams();
	if (params.otpStatus) search.set('otp_status', params.otpStatus);
	if (params.otpCursor) search.set('otp_after', params.otpCursor);
	if (params.loginCursor) search.set('logins_after', params.loginCursor);
	const text = search.toString();
	return text ? `${base}?${text}` : base;
}
