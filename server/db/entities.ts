import { ClientSchema } from '../modules/clients/client.entity';
import { RoleSchema } from '../modules/access/role.entity';
import { UserSchema } from '../modules/access/user.entity';
import { SessionSchema } from '../modules/access/session.entity';
import { LoginAttemptSchema } from '../modules/access/login-attempt.entity';
import { ActivitySchema } from '../modules/activity/activity.entity';
import { OutboxSchema } from '../realtime/outbox.entity';
import { MailMessageSchema } from '../modules/mail/mail-message.entity';
import { PasswordTokenSchema } from '../modules/access/password-token.entity';
import { InvitationSchema } from '../modules/access/invitation.entity';
import { ClientProfileSchema } from '../modules/clients/client-profile.entity';
import { ClientCompanySchema } from '../modules/clients/client-company.entity';
import { DisciplinaryActionSchema } from '../modules/disciplinary/disciplinary-action.entity';
import { OtpSchema } from '../modules/access/otp.entity';
import { UserTotpSchema, TotpRecoveryCodeSchema, SignInChallengeSchema } from '../auth/totp.entity';
import { SessionEndSchema } from '../modules/access/authentication.session-end.entity';
import { LedgerEntrySchema } from '../modules/ledger/ledger-entry.entity';
import { IdempotencyKeySchema } from '../modules/ledger/idempotency-key.entity';
import { ProductSchema, ProductPriceSchema } from '../modules/catalog/catalog.entity';
import { TaxRateSchema } from '../modules/catalog/tax-rate.entity';
import { SubscriptionSchema, UnbilledChargeSchema } from '../modules/subscriptions/subscription.entity';
import { BillingSettingsSchema } from '../modules/billing/billing-settings.entity';
import { BudgetAlertSchema } from '../modules/billing/budget.entity';

/** The explicit entity list (no folder discovery, so bundlers and tsx see the same set). */
export const entities = [
	ClientSchema,
	RoleSchema,
	UserSchema,
	SessionSchema,
	LoginAttemptSchema,
	ActivitySchema,
	OutboxSchema,
	MailMessageSchema,
	PasswordTokenSchema,
	ClientProfileSchema,
	ClientCompanySchema,
	DisciplinaryActionSchema,
	OtpSchema,
	UserTotpSchema,
	TotpRecoveryCodeSchema,
	SignInChallengeSchema,
	SessionEndSchema,
	InvitationSchema,
	LedgerEntrySchema,
	IdempotencyKeySchema,
	ProductSchema,
	ProductPriceSchema,
	TaxRateSchema,
	SubscriptionSchema,
	UnbilledChargeSchema,
	BillingSettingsSchema,
	BudgetAlertSchema
];
