import { spawn, type ChildProcess } from 'node:child_process';

/** A command started as the leader of its own process group, so every process it starts can be signalled at once. */
export interface ProcessGroup {
	child: ChildProcess;
	/** Last lines of its output, for the error message when it does not come up. */
	output(): string;
	exited: Promise<number | null>;
}

export function spawnGroup(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ProcessGroup {
	const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	const lines: string[] = [];
	const keep = (chunk: Buffer) => {
		lines.push(...chunk.toString('utf8').split('\n'));
		lines.splice(0, Math.max(0, lines.length - 40));
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	return { child, output: () => lines.join('\n'), exited };
}

function groupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Ctrl-C for the whole group (npx, tsx, the server and its PostgreSQL), then waits until no member
 * is left; after `graceMs` the stragglers are killed and that is reported as an error.
 */
export async function interruptGroup(group: ProcessGroup, graceMs = 15_000): Promise<void> {
	const pid = group.child.pid;
	if (pid === undefined) return;
	if (groupAlive(pid)) process.kill(-pid, 'SIGINT');
	const deadline = Date.now() + graceMs;
	while (groupAlive(pid)) {
		if (Date.now() > deadline) {
			process.kill(-pid, 'SIGKILL');
			throw new Error(`The server did not stop within ${graceMs / 1000} s of SIGINT; its process group was killed.\n${group.output()}`);
		}
		await sleep(50);
	}
	await group.exited;
}
