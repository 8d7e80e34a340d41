import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vitest/config';
import { cirrusDevServer } from './server/vite-plugin.ts';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
	throw new Error(
		`Node ${process.versions.node} is too old: run through npm (npm run dev / npm start), which uses the Node 24 devDependency.`
	);
}

export default defineConfig({
	plugins: [tailwindcss(), sveltekit(), cirrusDevServer()],
	server: { watch: { ignored: ['**/.data/**', '**/test-results/**'] } },
	test: {
		include: ['server/**/*.test.ts', 'src/**/*.test.ts', 'tests/integration/**/*.test.ts'],
		globalSetup: ['tests/integration/global-setup.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		pool: 'forks'
	}
});
