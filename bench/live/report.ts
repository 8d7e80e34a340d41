import os from 'node:os';
import type { LatencySummary } from './histogram';

export const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 ** 2).toFixed(1)} MB`);
const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : 'n/a').padStart(8);

export function latencyHeader(): string {
	return `${''.padEnd(46)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}  samples`;
}

export function latencyRow(label: string, summary: LatencySummary): string {
	return `${label.padEnd(46)} ${fmt(summary.p50)} ${fmt(summary.p95)} ${fmt(summary.p99)} ${fmt(summary.max)}  ${summary.count.toLocaleString('en')}`;
}

/** What the figures were measured on, including how busy the machine already was. */
export function machineReport(postgresVersion: string): string[] {
	const cpus = os.cpus();
	const load = os.loadavg().map((value) => value.toFixed(2)).join(' ');
	return [
		`Machine: CPU ${cpus[0]?.model.trim() ?? 'unknown'} · ${cpus.length} cores · ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM · ${os.type()} ${os.release()}`,
		`Node ${process.versions.node} · PostgreSQL ${postgresVersion} (embedded, this run's own) · load average at start ${load}`
	];
}

export const verdict = (met: boolean) => (met ? 'met' : 'NOT MET');
