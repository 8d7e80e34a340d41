import os from 'node:os';

/** One line that says what the figures were measured on. */
export function machineLine(postgresVersion?: string): string {
	const cpus = os.cpus();
	const ramGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
	const parts = [
		`CPU ${cpus[0]?.model.trim() ?? 'unknown'}`,
		`${cpus.length} cores`,
		`${ramGiB} GiB RAM`,
		`${os.type()} ${os.release()}`,
		`Node ${process.versions.node}`
	];
	if (postgresVersion) parts.push(`PostgreSQL ${postgresVersion}`);
	// Other work on a shared machine inflates the tail latencies; the load says how much there was.
	parts.push(`load average ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}`);
	return `Machine: ${parts.join(' · ')}`;
}
