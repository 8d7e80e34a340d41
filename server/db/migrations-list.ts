import { Migration20261125120000_foundation } from '../../migrations/Migration20261125120000_foundation';
import { Migration20261125140000_mail_and_password_tokens } from '../../migrations/Migration20261125140000_mail_and_password_tokens';
import { Migration20261125160000_live_pipeline } from '../../migrations/Migration20261125160000_live_pipeline';
import { Migration20261125170000_search } from '../../migrations/Migration20261125170000_search';
import { Migration20261125180000_client_profile_and_company } from '../../migrations/Migration20261125180000_client_profile_and_company';
import { Migration20261125190000_authentication } from '../../migrations/Migration20261125190000_authentication';
import { Migration20261125200000_users_and_invitations } from '../../migrations/Migration20261125200000_users_and_invitations';
import { Migration20261125210000_disciplinary } from '../../migrations/Migration20261125210000_disciplinary';
import { Migration20261125220000_activity_tuning } from '../../migrations/Migration20261125220000_activity_tuning';
import { Migration20261125230000_ledger_and_idempotency } from '../../migrations/Migration20261125230000_ledger_and_idempotency';
import { Migration20261125240000_catalogue_and_tax } from '../../migrations/Migration20261125240000_catalogue_and_tax';
import { Migration20261125240100_subscriptions } from '../../migrations/Migration20261125240100_subscriptions';
import { Migration20261125250000_billing_settings } from '../../migrations/Migration20261125250000_billing_settings';

/** Every migration, in order. A new migration file is added here too (a test checks the folder matches). */
export const migrationsList = [
	{ name: 'Migration20261125120000_foundation', class: Migration20261125120000_foundation },
	{ name: 'Migration20261125140000_mail_and_password_tokens', class: Migration20261125140000_mail_and_password_tokens },
	{ name: 'Migration20261125160000_live_pipeline', class: Migration20261125160000_live_pipeline },
	{ name: 'Migration20261125170000_search', class: Migration20261125170000_search },
	{ name: 'Migration20261125180000_client_profile_and_company', class: Migration20261125180000_client_profile_and_company },
	{ name: 'Migration20261125190000_authentication', class: Migration20261125190000_authentication },
	{ name: 'Migration20261125200000_users_and_invitations', class: Migration20261125200000_users_and_invitations },
	{ name: 'Migration20261125210000_disciplinary', class: Migration20261125210000_disciplinary },
	{ name: 'Migration20261125220000_activity_tuning', class: Migration20261125220000_activity_tuning },
	{ name: 'Migration20261125230000_ledger_and_idempotency', class: Migration20261125230000_ledger_and_idempotency },
	{ name: 'Migration20261125240000_catalogue_and_tax', class: Migration20261125240000_catalogue_and_tax },
	{ name: 'Migration20261125240100_subscriptions', class: Migration20261125240100_subscriptions },
	{ name: 'Migration20261125250000_billing_settings', class: Migration20261125250000_billing_settings }
];
