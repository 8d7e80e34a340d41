/**
 * "Firefox on Windows" from a user agent: enough to recognise one's own devices in the session
 * list. Deliberately small (no UA database): unknown agents show as they are, shortened.
 */
const BROWSERS: [RegExp, string][] = [
	[/Edg(e|A|iOS)?\//, 'Edge'],
	[/OPR\/|Opera/, 'Opera'],
	[/Firefox\/|FxiOS/, 'Firefox'],
	[/Chrome\/|CriOS|Chromium/, 'Chrome'],
	[/Safari\//, 'Safari'],
	[/curl\//, 'curl'],
	[/vitest|node|undici/i, 'Script']
];
const SYSTEMS: [RegExp, string][] = [
	[/Windows/, 'Windows'],
	[/iPhone|iPad|iPod/, 'iOS'],
	[/Android/, 'Android'],
	[/CrOS/, 'ChromeOS'],
	[/Mac OS X|Macintosh/, 'macOS'],
	[/Linux/, 'Linux']
];

export function describeDevice(userAgent: string | null | undefined): string {
	if (!userAgent) return 'Unknown device';
	const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
	const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
	if (browser && system) return `${browser} on ${system}`;
	if (browser || system) return (browser ?? system)!;
	return userAgent.length > 60 ? `${userAgent.slice(0, 57)}…` : userAgent;
}
