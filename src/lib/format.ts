/**
 * Dates as people read them, through Intl so a later per-user locale setting is one argument.
 * Every function takes `now` so the output does not depend on when a test runs.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const parts = new Intl.ListFormat('en', { style: 'short', type: 'unit' });
const unit = (name: 'year' | 'month' | 'day') => new Intl.NumberFormat('en', { style: 'unit', unit: name, unitDisplay: 'long' });
const UNITS = { year: unit('year'), month: unit('month'), day: unit('day') };

export const formatDateTime = (value: Date | string) => dateTime.format(new Date(value));
export const formatDate = (value: Date | string) => dateOnly.format(new Date(value));

/** Whole calendar months from `from` to `to` (a month counts once its day of month is reached). */
function wholeMonthsBetween(from: Date, to: Date): number {
	let months = (to.getFullYear() - from.getFullYear()) * 12 + (to.getMonth() - from.getMonth());
	if (to.getDate() < from.getDate()) months -= 1;
	return Math.max(0, months);
}

/** "1 year, 1 month", "3 months", "12 days", or "less than a day". */
export function formatDuration(from: Date | string, now: Date = new Date()): string {
	const start = new Date(from);
	const months = wholeMonthsBetween(start, now);
	if (months > 0) {
		const years = Math.floor(months / 12);
		const rest = months % 12;
		const pieces = [years ? UNITS.year.format(years) : '', rest ? UNITS.month.format(rest) : ''].filter(Boolean);
		return parts.format(pieces);
	}
	const days = Math.floor((now.getTime() - start.getTime()) / DAY_MS);
	return days > 0 ? UNITS.day.format(days) : 'less than a day';
}

/** The workspace header's account age: "Client for 1 year, 1 month". */
export const formatAccountAge = (createdAt: Date | string, now: Date = new Date()) => `Client for ${formatDuration(createdAt, now)}`;

/** "5 minutes ago", "yesterday", "3 months ago": the largest unit that is at least 1. */
export function formatRelative(value: Date | string, now: Date = new Date()): string {
	// A moment slightly ahead of this browser's clock (server clock skew) still reads "now".
	const seconds = Math.min(0, Math.round((new Date(value).getTime() - now.getTime()) / 1000));
	const steps: [Intl.RelativeTimeFormatUnit, number][] = [
		['year', 365 * 24 * 3600],
		['month', 30 * 24 * 3600],
		['week', 7 * 24 * 3600],
		['day', 24 * 3600],
		['hour', 3600],
		['minute', 60]
	];
	for (const [name, size] of steps) {
		if (Math.abs(seconds) >= size) return relative.format(Math.trunc(seconds / size), name);
	}
	return relative.format(0, 'second');
}
