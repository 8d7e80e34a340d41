/** Command-line flags of `npm run bench:live`. */
export interface LiveBenchOptions {
	/** Mutations per second on the watched client (each one is two events in its room). */
	rate: number;
	/** Mutations per second spread round-robin over the other clients' rooms. */
	backgroundRate: number;
	/** Length of the measured load; replaced by `soakMinutes` when that is given. */
	seconds: number;
	soakMinutes: number | null;
	/** Sockets in the watched room and number of other rooms (one socket each). */
	watchers: number;
	otherRooms: number;
}

const DEFAULTS: LiveBenchOptions = { rate: 20, backgroundRate: 10, seconds: 60, soakMinutes: null, watchers: 1000, otherRooms: 200 };

const FLAGS: Record<string, keyof LiveBenchOptions> = {
	'--rate': 'rate',
	'--background-rate': 'backgroundRate',
	'--seconds': 'seconds',
	'--soak': 'soakMinutes',
	'--watchers': 'watchers',
	'--rooms': 'otherRooms'
};

export const USAGE =
	'Usage: npm run bench:live [-- --rate <mutations/s>] [--background-rate <mutations/s>] [--seconds <s>] [--soak <minutes>] [--watchers <sockets>] [--rooms <rooms>]';

export function parseOptions(argv: readonly string[]): LiveBenchOptions {
	const options = { ...DEFAULTS };
	for (let index = 0; index < argv.length; index++) {
		const key = FLAGS[argv[index]];
		const value = Number(argv[index + 1]);
		if (!key) throw new Error(`Unknown flag ${argv[index]}.\n${USAGE}`);
		if (!Number.isFinite(value) || value < 0 || (key !== 'backgroundRate' && value === 0)) {
			throw new Error(`${argv[index]} needs a positive number, got "${argv[index + 1] ?? ''}".\n${USAGE}`);
		}
		options[key] = value as never;
		index++;
	}
	return options;
}

/** How long the load runs, in seconds. */
export function loadSeconds(options: LiveBenchOptions): number {
	return options.soakMinutes === null ? options.seconds : options.soakMinutes * 60;
}
