/** The URL of another database on the same server (same host, port and credentials). */
export function databaseUrl(serverUrl: string, database: string): string {
	const url = new URL(serverUrl);
	url.pathname = '/' + encodeURIComponent(database);
	return url.toString();
}

/** Every test file clones this database, migrated once per run by the global setup. */
export const TEMPLATE_DATABASE = 'cirrus_template';
