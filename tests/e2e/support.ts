import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'demo-password-1';

/** Cookies saved by auth.setup.ts, so tests do not each spend a sign-in against the rate limit. */
const RESULTS = process.env.E2E_RESULTS ?? 'test-results';

export const STORAGE = {
	admin: `${RESULTS}/.auth/admin.json`,
	acmeOwner: `${RESULTS}/.auth/acme-owner.json`
} as const;

/** A name no other test (or earlier run against the same database) uses. */
export function uniqueName(prefix = 'E2E') {
	return `${prefix} ${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}

/** An email address derived from a unique name. */
export const emailFor = (name: string) => `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}@e2e.example`;

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
	await page.goto('/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Calls a tRPC mutation as the signed-in user of `request` (test data set-up, not what is under test). */
async function mutation<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
	const response = await request.post(`/api/trpc/${path}`, { data: { json: input } });
	expect(response.ok(), `${path} answered ${response.status()}: ${await response.text()}`).toBe(true);
	const body = (await response.json()) as { result: { data: { json: T } } };
	return body.result.data.json;
}

export interface CreatedClient {
	id: string;
	name: string;
	email: string;
}

export async function createClientViaApi(request: APIRequestContext, name = uniqueName()): Promise<CreatedClient> {
	const email = emailFor(name);
	const { client } = await mutation<{ client: { id: string } }>(request, 'clients.create', {
		name,
		email,
		company: `${name} Ltd`,
		type: 'organization',
		billingType: 'prepaid',
		currency: 'EUR',
		sendWelcome: false
	});
	return { id: client.id, name, email };
}

export async function setStatusViaApi(request: APIRequestContext, clientId: string, status: string, reason: string) {
	await mutation(request, 'clients.setStatus', { clientId, status, reason });
}

/** The client's id, read from its link in the staff client list. */
export async function clientIdFromList(page: Page, name: string): Promise<string> {
	await page.goto(`/clients?search=${encodeURIComponent(name)}`);
	const href = await page.getByRole('link', { name, exact: true }).getAttribute('href');
	const id = href?.match(/^\/clients\/([0-9a-f-]{36})\//)?.[1];
	expect(id, `no workspace link for ${name}`).toBeTruthy();
	return id as string;
}
