import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrationsList } from './migrations-list';

const folder = resolve(import.meta.dirname, '../../migrations');

describe('migrations list', () => {
	const files = readdirSync(folder)
		.filter((file) => file.endsWith('.ts'))
		.map((file) => file.replace(/\.ts$/, ''))
		.sort();

	it('lists every file of migrations/ and nothing else, in file-name order', () => {
		expect(files.length).toBeGreaterThan(0);
		expect(migrationsList.map((migration) => migration.name)).toEqual(files);
	});

	it('names each entry after the class its file exports', async () => {
		for (const migration of migrationsList) {
			const module = (await import(`${folder}/${migration.name}.ts`)) as Record<string, unknown>;
			expect(module[migration.name], migration.name).toBe(migration.class);
		}
	});
});
