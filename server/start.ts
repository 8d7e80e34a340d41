import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// `npm start` on a fresh clone: build the UI when the build is missing or older than its sources.
const root = resolve(import.meta.dirname, '..');
const stamp = join(root, 'build', '.built-at');

function newestMtime(path: string): number {
	if (!existsSync(path)) return 0;
	const stats = statSync(path);
	if (!stats.isDirectory()) return stats.mtimeMs;
	return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
	console.error(`Node ${process.versions.node} is too old; run through npm (npm start), which uses the Node 24 devDependency.`);
	process.exit(1);
}

const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'].map((p) => join(root, p));
const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (builtAt === 0 || Math.max(...sources.map(newestMtime)) > builtAt) {
	console.log('Building the console UI (once per change of its sources)...');
	const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
	if (result.status !== 0) process.exit(result.status ?? 1);
	writeFileSync(stamp, new Date().toISOString());
}

await import('./main');
