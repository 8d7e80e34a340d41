import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './root.router';
import type { ProcedureMeta } from './init';
import { ALL_PERMISSIONS, isPermission } from '../auth/permissions';
import type { Actor } from '../auth/actor';
import type { Client } from '../modules/clients/client.entity';
import { useTestDatabase } from '../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser } from '../../tests/integration/factories';

/**
 * Walks the root router itself, so a procedure added later is covered without editing this file.
 */
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: ProcedureMeta } }>).map(
	([path, procedure]) => ({ path, meta: procedure._def.meta })
);
const withScope = (scope: ProcedureMeta['scope']) => procedures.filter((procedure) => procedure.meta?.scope === scope);

type AnyCall = (input: unknown) => Promise<unknown>;

/** Calls a procedure by its dotted path on a caller (tRPC callers are nested proxies). */
function call(caller: object, path: string, input: unknown): Promise<unknown> {
	const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as AnyCall;
	return fn(input);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof TRPCError) return error.code;
		throw error;
	}
	return 'OK';
}

describe('every procedure declares who may call it', () => {
	it('the router has procedures of each guarded scope', () => {
		expect(withScope('client').length).toBeGreaterThan(0);
		expect(withScope('staff').length).toBeGreaterThan(0);
		expect(withScope('public').length).toBeGreaterThan(0);
	});

	it.for(procedures)('$path has a scope, and a permission when scoped to a client or staff', ({ meta }) => {
		expect(['public', 'authenticated', 'client', 'staff']).toContain(meta?.scope);
		if (meta?.scope === 'client' || meta?.scope === 'staff') {
			expect(meta.permission).not.toBeNull();
			expect(isPermission(meta.permission ?? '')).toBe(true);
		}
	});
});

describe('tenant and audience checks on every procedure', async () => {
	const db = await useTestDatabase();
	let tenantA: Client;
	let tenantB: Client;
	/** A client user of tenant A holding every permission: only the tenant check can stop it. */
	let allPowerfulClientUser: Actor;
	let ownerOfA: Actor;

	beforeAll(async () => {
		const em = db.em();
		tenantA = await newClient(em);
		tenantB = await newClient(em);
		allPowerfulClientUser = await actorFor(em, await newUser(em, { kind: 'client', clientId: tenantA.id, permissions: ALL_PERMISSIONS }));
		ownerOfA = await actorFor(em, await newUser(em, { kind: 'client', clientId: tenantA.id, roleKey: 'owner' }));
	});

	it.for(withScope('client'))("$path answers NOT_FOUND to a user of another tenant", async ({ path }) => {
		for (const actor of [allPowerfulClientUser, ownerOfA]) {
			const caller = callerFor(db.em(), actor);
			expect(await codeOf(call(caller, path, { clientId: tenantB.id })), actor.roleName).toBe('NOT_FOUND');
		}
	});

	it.for(withScope('staff'))('$path answers NOT_FOUND to client users', async ({ path }) => {
		for (const actor of [allPowerfulClientUser, ownerOfA]) {
			const caller = callerFor(db.em(), actor);
			expect(await codeOf(call(caller, path, { clientId: tenantA.id })), actor.roleName).toBe('NOT_FOUND');
		}
	});

	it.for(procedures.filter((procedure) => procedure.meta?.scope !== 'public'))(
		'$path answers UNAUTHORIZED when signed out',
		async ({ path }) => {
			const caller = callerFor(db.em(), null);
			expect(await codeOf(call(caller, path, { clientId: tenantA.id }))).toBe('UNAUTHORIZED');
		}
	);

	it("a client user does reach its own client's summary", async () => {
		const summary = await callerFor(db.em(), ownerOfA).clients.summary({ clientId: tenantA.id });
		expect(summary.client.id).toBe(tenantA.id);
		expect(summary.client.name).toBe(tenantA.name);
	});
});
