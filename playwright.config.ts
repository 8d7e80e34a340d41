import { defineConfig } from '@playwright/test';

const PORT = 3100;
const baseURL = `http://localhost:${PORT}`;

/**
 * End-to-end tests against the production build (`npm run build` first) with a fresh embedded
 * PostgreSQL under .data/e2e. Every test creates its own uniquely named data, so they run in parallel.
 */
export default defineConfig({
	testDir: 'tests/e2e',
	workers: 2,
	fullyParallel: true,
	forbidOnly: !!process.env.CI,
	timeout: 30_000,
	expect: { timeout: 10_000 },
	reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
	use: {
		baseURL,
		trace: 'retain-on-failure',
		launchOptions: {
			// Debian's Chromium: no download needed (and no internet to download one).
			executablePath: '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-dev-shm-usage',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	projects: [
		// Signs in once per demo user and saves the cookies, so the tests stay under the login rate limit.
		{ name: 'setup', testMatch: /auth\.setup\.ts/ },
		{ name: 'chromium', dependencies: ['setup'], testIgnore: /auth\.setup\.ts/ }
	],
	webServer: {
		command: 'rm -rf .data/e2e && npx tsx server/main.ts',
		url: `${baseURL}/healthz`,
		env: { PORT: String(PORT), CIRRUS_DATA_DIR: '.data/e2e' },
		reuseExistingServer: false,
		timeout: 120_000,
		stdout: 'ignore',
		stderr: 'pipe'
	}
});
