import { defineConfig } from '@playwright/test';

// Overridable so several people (or agents) can run suites side by side on one machine.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const DATA_DIR = process.env.E2E_DATA_DIR ?? '.data/e2e';
const RESULTS = process.env.E2E_RESULTS ?? 'test-results';
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
	// One retry in CI: a test that passes only on retry is reported as flaky (and named in the summary), not hidden.
	retries: process.env.CI ? 1 : 0,
	timeout: 30_000,
	expect: { timeout: 10_000 },
	outputDir: `${RESULTS}/artifacts`,
	reporter: [['list'], ['json', { outputFile: `${RESULTS}/playwright.json` }]],
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
		command: `rm -rf ${DATA_DIR} && npx tsx server/main.ts`,
		url: `${baseURL}/healthz`,
		env: { PORT: String(PORT), CIRRUS_DATA_DIR: DATA_DIR, ...(process.env.CIRRUS_BUILD_DIR ? { CIRRUS_BUILD_DIR: process.env.CIRRUS_BUILD_DIR } : {}) },
		reuseExistingServer: false,
		timeout: 120_000,
		stdout: 'ignore',
		stderr: 'pipe'
	}
});
