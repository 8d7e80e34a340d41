/**
 * `npm test`: Chromium check, type checks, vitest, production build, Playwright, then one
 * summary line. Test stages all run even when one fails; type checks and the build stop the run,
 * since nothing after them would mean anything.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const VITEST_JSON = 'test-results/vitest.json';
const PLAYWRIGHT_JSON = 'test-results/playwright.json';

interface Tally {
	passed: number;
	failed: number;
	skipped: number;
}

const total: Tally = { passed: 0, failed: 0, skipped: 0 };
let anyStageFailed = false;

function banner(text: string) {
	console.log(`\n=== ${text} ===`);
}

/** Runs a command with its output streamed to ours; true when it exits 0. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
	console.log(`$ ${[command, ...args].join(' ')}`);
	const result = spawnSync(command, args, { stdio: 'inherit', env });
	if (result.error) console.error(`Could not run ${command}: ${result.error.message}`);
	return result.status === 0;
}

function summaryLine(): string {
	return `tests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`;
}

function finish(code: number): never {
	console.log(`\n${summaryLine()}`);
	process.exit(code);
}

function stop(reason: string): never {
	console.error(`\n${reason}`);
	finish(1);
}

function hasCommand(name: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Playwright drives Debian's Chromium; install it when we can, or say the one command to run. */
function ensureChromium() {
	banner('Chromium');
	if (existsSync(CHROMIUM)) {
		console.log(`Found ${CHROMIUM}.`);
		return;
	}
	const installCommand = 'apt-get update && apt-get install -y chromium';
	if (process.getuid?.() === 0 && hasCommand('apt-get')) {
		console.log(`${CHROMIUM} is missing; installing Debian's chromium package (${installCommand}).`);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		if (run('sh', ['-c', installCommand], env) && existsSync(CHROMIUM)) return;
		stop(`Installing Chromium failed (see above). Install it yourself, then run npm test again:\n  ${installCommand}`);
	}
	stop(`${CHROMIUM} is missing and this user cannot install it. Run this once, then npm test again:\n  sudo sh -c '${installCommand}'`);
}

function typeChecks() {
	banner('Type checks');
	if (!run('npx', ['svelte-kit', 'sync']) || !run('npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--threshold', 'error'])) {
		stop('Type checks failed: fix them first (npm run check).');
	}
}

function readJson<T>(file: string): T | null {
	if (!existsSync(file)) return null;
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as T;
	} catch {
		return null;
	}
}

/** Adds a stage's counts; a stage that failed without reporting any failure still counts as one. */
function record(stage: string, exitedOk: boolean, tally: Tally | null) {
	if (tally) {
		total.passed += tally.passed;
		total.failed += tally.failed;
		total.skipped += tally.skipped;
	}
	if (!exitedOk) {
		anyStageFailed = true;
		if (!tally || tally.failed === 0) {
			console.error(`${stage} failed without reporting a failed test (see its output above); counted as one failure.`);
			total.failed += 1;
		}
	}
}

function vitest() {
	banner('Vitest: unit and integration tests');
	rmSync(VITEST_JSON, { force: true });
	const ok = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${VITEST_JSON}`]);
	const report = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }>(VITEST_JSON);
	record(
		'Vitest',
		ok,
		report && { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests }
	);
}

function build() {
	banner('Production build');
	if (!run('npm', ['run', 'build'])) stop('The build failed (see above).');
}

function playwright() {
	banner('Playwright: end-to-end tests');
	if (!existsSync('playwright.config.ts')) {
		console.log('No playwright.config.ts: no end-to-end tests to run.');
		return;
	}
	rmSync(PLAYWRIGHT_JSON, { force: true });
	const ok = run('npx', ['playwright', 'test']);
	const report = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(PLAYWRIGHT_JSON);
	if (report?.stats.flaky) console.log(`${report.stats.flaky} Playwright test(s) passed only on retry (flaky).`);
	record(
		'Playwright',
		ok,
		report && {
			passed: report.stats.expected + report.stats.flaky,
			failed: report.stats.unexpected,
			skipped: report.stats.skipped
		}
	);
}

ensureChromium();
typeChecks();
vitest();
build();
playwright();
finish(anyStageFailed || total.failed > 0 ? 1 : 0);
