import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** A command started as the leader of its own process group (npx, tsx and the node it runs). */
export interface ServerProcess {
	child: ChildProcess;
	url: string;
	output(): string;
	/** How it ended, once it has (null while it runs). */
	exit(): string | null;
	/** Resident memory of the process that runs `script` (the deepest one in the group), in bytes. */
	rss(): number | null;
	stop(): Promise<void>;
}

/** Fails early and says what to do when the production build that server/main.ts serves is missing. */
export function checkBuild(root: string): string {
	// server/main.ts reads the same variable.
	const relative = `${process.env.CIRRUS_BUILD_DIR ?? 'build'}/handler.js`;
	const handler = resolve(root, relative);
	if (!existsSync(handler)) throw new Error(`${relative} does not exist: run \`npm run build\` first (server/main.ts serves the production build).`);
	return `${relative} found (built ${statSync(handler).mtime.toISOString()})`;
}

interface ProcInfo {
	pid: number;
	ppid: number;
	pgid: number;
	cmdline: string;
}

function readProc(pid: number): ProcInfo | null {
	try {
		// Fields after the parenthesised command name: state, ppid, pgrp.
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const [, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
		return { pid, ppid: Number(ppid), pgid: Number(pgid), cmdline };
	} catch {
		return null;
	}
}

/** VmRSS of a process in bytes, from /proc (null once it is gone). */
export function processRss(pid: number): number | null {
	try {
		const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : null;
	} catch {
		return null;
	}
}

/** npx and tsx each start a node; the server itself is the member of the group running `script` with no such child. */
function serverPid(groupPid: number, script: string): number | null {
	const members = readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.map((name) => readProc(Number(name)))
		.filter((info): info is ProcInfo => info !== null && info.pgid === groupPid && info.cmdline.includes(script));
	const parents = new Set(members.map((info) => info.ppid));
	return members.find((info) => !parents.has(info.pid))?.pid ?? null;
}

function groupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Starts `npx tsx <script> [...args]` in its own process group and waits until `ready(url)` holds. */
export async function startServerProcess(options: {
	root: string;
	script: string;
	args?: string[];
	port: number;
	env: NodeJS.ProcessEnv;
	ready: (url: string) => Promise<boolean>;
	timeoutMs?: number;
	/** Everything it prints also goes here, for a post-mortem of a long run. */
	logFile?: string;
}): Promise<ServerProcess> {
	const url = `http://127.0.0.1:${options.port}`;
	const child = spawn('npx', ['tsx', options.script, ...(options.args ?? [])], {
		cwd: options.root,
		env: options.env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const lines: string[] = [];
	const keep = (chunk: Buffer) => {
		lines.push(...chunk.toString('utf8').split('\n'));
		lines.splice(0, Math.max(0, lines.length - 60));
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	if (options.logFile) {
		const log = createWriteStream(options.logFile);
		child.stdout?.pipe(log);
		child.stderr?.pipe(log);
	}
	let exit: string | null = null;
	const exited = new Promise<void>((done) =>
		child.once('exit', (code, signal) => {
			exit = signal ? `killed by ${signal}` : `exit code ${code}`;
			done();
		})
	);
	const groupPid = child.pid!;
	let pid: number | null = null;

	const server: ServerProcess = {
		child,
		url,
		output: () => lines.join('\n'),
		exit: () => exit,
		rss() {
			pid ??= serverPid(groupPid, options.script);
			return pid === null ? null : processRss(pid);
		},
		async stop() {
			if (!groupAlive(groupPid)) return;
			// Ctrl-C for the whole group, as a terminal would send it; stragglers are killed after 15 s.
			process.kill(-groupPid, 'SIGINT');
			const deadline = Date.now() + 15_000;
			while (groupAlive(groupPid)) {
				if (Date.now() > deadline) {
					process.kill(-groupPid, 'SIGKILL');
					break;
				}
				await sleep(50);
			}
			await Promise.race([exited, sleep(1000)]);
		}
	};

	const deadline = Date.now() + (options.timeoutMs ?? 90_000);
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${options.script} exited before it was ready:\n${server.output()}`);
		if (await options.ready(url).catch(() => false)) return server;
		if (Date.now() > deadline) {
			await server.stop();
			throw new Error(`${options.script} was not ready on ${url} within ${(options.timeoutMs ?? 90_000) / 1000} s:\n${server.output()}`);
		}
		await sleep(250);
	}
}

/** V8 heap in use, from the server's own /metrics (prom-client's default metrics): tells heap growth from RSS growth. */
export async function serverHeapUsed(url: string): Promise<number | null> {
	try {
		const body = await (await fetch(`${url}/metrics`)).text();
		const match = /^cirrus_nodejs_heap_size_used_bytes (\d+(?:\.\d+)?)$/m.exec(body);
		return match ? Number(match[1]) : null;
	} catch {
		return null;
	}
}
