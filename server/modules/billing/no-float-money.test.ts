import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Guard: money never passes through a JavaScript number in the billing modules. Flags
 * parseFloat(...) anywhere, and Number(...) / parseInt(...) whose argument names an amount-like
 * value (amount, price, total, balance, credit, tax, cost, fee, sum, minor). Tests are skipped:
 * they may build numbers on purpose to show what is refused.
 */
const ROOT = join(import.meta.dirname, '..');
const FOLDERS = ['billing', 'ledger', 'payments', 'subscriptions', 'catalog', 'catalogue'];
const AMOUNT_WORD = /(amount|price|total|balance|credit|tax|cost|fee|sum|minor)/i;

export function floatMoneyUses(source: string): string[] {
	const found: string[] = [];
	for (const match of source.matchAll(/\bparseFloat\s*\(/g)) found.push(match[0]);
	for (const match of source.matchAll(/\b(Number|parseInt)\s*\(([^)]*)\)/g)) {
		if (AMOUNT_WORD.test(match[2])) found.push(match[0]);
	}
	return found;
}

function sourceFiles(folder: string): string[] {
	if (!existsSync(folder)) return [];
	return readdirSync(folder).flatMap((name) => {
		const path = join(folder, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
	});
}

describe('no floats over amounts in the money modules', () => {
	it('recognises what it is meant to catch and leaves other numbers alone', () => {
		expect(floatMoneyUses('const x = parseFloat(input);')).toHaveLength(1);
		expect(floatMoneyUses('const x = Number(row.amount);')).toHaveLength(1);
		expect(floatMoneyUses('const x = Number(totalMinor) / 100;')).toHaveLength(1);
		expect(floatMoneyUses('const x = parseInt(body.price, 10);')).toHaveLength(1);
		expect(floatMoneyUses('const limit = Number(input.limit);')).toHaveLength(0);
		expect(floatMoneyUses('const days = Number(settings.days);')).toHaveLength(0);
	});

	it('finds none in billing, ledger, payments, subscriptions and catalogue sources', () => {
		const offenders = FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder))).flatMap((file) =>
			floatMoneyUses(readFileSync(file, 'utf8')).map((use) => `${relative(ROOT, file)}: ${use}`)
		);
		expect(offenders).toEqual([]);
	});
});
