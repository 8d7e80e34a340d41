import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ClientSchema, type Client } from '../clients/client.entity';
import { SessionSchema } from '../access/session.entity';
import { ActivitySchema } from '../activity/activity.entity';
import type { User } from '../access/user.entity';
import { ALL_PERMISSIONS } from '../../auth/permissions';
import { systemActor, type Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { signIn } from '../../auth/sign-in.service';
import { createSession } from '../../auth/session.service';
import { startJobs, type JobRunner } from '../../jobs';
import { scheduleJob } from '../../jobs/scheduler';
import { setClientStatus } from '../clients/client.service';
import { DisciplinaryActionSchema } from './disciplinary-action.entity';
import { createDisciplinaryInput, type CreateDisciplinaryInput } from './disciplinary.schemas';
import {
	DISCIPLINARY_TRANSITION_JOB,
	createDisciplinaryAction,
	disciplinaryBanner,
	liftDisciplinaryAction,
	liftNonPaymentSuspensions,
	listDisciplinaryActions,
	syncDisciplinaryAction
} from './disciplinary.service';
import { activeRestrictions, assertAllowed } from './disciplinary-enforcement';
import { loginGuardFor, useTestDatabase } from '../../../tests/integration/test-database';
import { actorFor, callerFor, newClient, newUser, uniqueSuffix } from '../../../tests/integration/factories';

const db = await useTestDatabase();
const PASSWORD = 'correct horse battery staple 42';
let runner: JobRunner;
let staff: Actor;

beforeAll(async () => {
	// No background workers: the tests run due jobs themselves, when they choose.
	runner = await startJobs({ databaseUrl: db.url, orm: db.orm, workers: false, maintenance: false, log: () => {} });
	staff = await actorFor(db.em(), await newUser(db.em(), { kind: 'staff', roleKey: 'billing_staff', name: 'Bea Billing' }));
});

afterAll(async () => {
	await runner.stop();
});

interface Tenant {
	client: Client;
	owner: User;
	subuser: User;
	ownerActor: Actor;
}

async function newTenant(): Promise<Tenant> {
	const em = db.em();
	const client = await newClient(em, { name: `Acme ${uniqueSuffix()}` });
	const owner = await newUser(em, { kind: 'client', clientId: client.id, roleKey: 'owner', password: PASSWORD });
	const subuser = await newUser(em, { kind: 'client', clientId: client.id, permissions: ['summary.read'], password: PASSWORD });
	return { client, owner, subuser, ownerActor: await actorFor(em, owner) };
}

/** Input as the form sends it, through the same schema the procedure uses. */
function input(clientId: string, fields: Partial<Record<keyof CreateDisciplinaryInput, unknown>>): CreateDisciplinaryInput {
	return createDisciplinaryInput.parse({ clientId, reasonCategory: 'abuse', reason: 'Outbound spam from a VM', ...fields });
}

const clientStatus = async (id: string) => (await db.em().findOneOrFail(ClientSchema, { id })).status;
const actionStatus = async (id: string) => (await db.em().findOneOrFail(DisciplinaryActionSchema, { id })).status;

async function failure(promise: Promise<unknown>): Promise<AppError | TRPCError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof AppError || error instanceof TRPCError) return error;
		throw error;
	}
	throw new Error('Expected the call to fail.');
}

const signInAs = (em: EntityManager, user: User) =>
	signIn(em, loginGuardFor(em), { email: user.email, password: PASSWORD, ip: '203.0.113.7', userAgent: 'vitest' });

/** Runs due jobs until `done` holds: the waits are for jobs scheduled a second or two ahead. */
async function runJobsUntil(done: () => Promise<boolean>, what: string) {
	const deadline = Date.now() + 20_000;
	while (!(await done())) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await runner.runDueJobs();
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

describe('each type of action', () => {
	it('a warning is recorded and restricts nothing', async () => {
		const { client } = await newTenant();
		const action = await createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'warning' }));
		expect(action.status).toBe('active');
		expect(await clientStatus(client.id)).toBe('active');
		expect(await activeRestrictions(db.em(), client.id)).toEqual({
			noNewResources: false,
			noSubuserLogins: false,
			noApi: false,
			suspended: false,
			terminated: false
		});
		expect(await disciplinaryBanner(db.em(), client.id)).toEqual([]);
		await assertAllowed(db.em(), client.id, 'new_resource');
	});

	it('a restriction forbids exactly its flags, and names itself in the refusal', async () => {
		const { client } = await newTenant();
		await createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'restriction', noNewResources: true }));
		const restrictions = await activeRestrictions(db.em(), client.id);
		expect(restrictions).toMatchObject({ noNewResources: true, noSubuserLogins: false, noApi: false, suspended: false });
		const refused = await failure(assertAllowed(db.em(), client.id, 'new_resource'));
		expect(refused.code).toBe('CONFLICT');
		expect(refused.message).toMatch(/New resources cannot be created while the restriction of \d{4}-\d{2}-\d{2} \(Abuse\) is in force/);
		await assertAllowed(db.em(), client.id, 'api');
		await assertAllowed(db.em(), client.id, 'subuser_login');
		expect((await disciplinaryBanner(db.em(), client.id)).map((item) => item.flags)).toEqual([['no new resources']]);
	});

	it('a restriction of sub-user sign-ins refuses sub-users, ends their sessions, and still lets the owner in', async () => {
		const { client, owner, subuser } = await newTenant();
		await createSession(db.em(), subuser.id, { ip: null, userAgent: null });
		await createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'restriction', noSubuserLogins: true }));

		expect(await db.em().count(SessionSchema, { userId: subuser.id })).toBe(0);
		const refused = await failure(signInAs(db.em(), subuser));
		expect(refused.code).toBe('CONFLICT');
		expect(refused.message).toMatch(/Sub-users cannot sign in while the restriction/);
		const signedIn = await signInAs(db.em(), owner);
		expect(signedIn.user.id).toBe(owner.id);
	});

	it('a suspension suspends the client and stops new resources and the API; lifting restores active', async () => {
		const { client } = await newTenant();
		const action = await createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'suspension', reasonCategory: 'fraud' }));
		expect(await clientStatus(client.id)).toBe('suspended');
		expect(action.liftsOnPayment).toBe(false);
		expect((await failure(assertAllowed(db.em(), client.id, 'api'))).message).toMatch(/the suspension of .* \(Fraud\)/);

		const lifted = await liftDisciplinaryAction(db.em(), staff, { clientId: client.id, actionId: action.id, reason: 'Chargeback withdrawn' });
		expect(lifted).toMatchObject({ status: 'lifted', liftReason: 'Chargeback withdrawn', liftedByName: 'Bea Billing' });
		expect(await clientStatus(client.id)).toBe('active');
		await assertAllowed(db.em(), client.id, 'api');
		const audit = await db.em().find(ActivitySchema, { clientId: client.id, action: 'disciplinary.lifted' });
		expect(audit.map((row) => row.after)).toEqual([{ status: 'lifted', liftReason: 'Chargeback withdrawn' }]);
	});

	it('lifting one of two suspensions keeps the client suspended', async () => {
		const { client } = await newTenant();
		const first = await createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'suspension' }));
		await createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'suspension', reasonCategory: 'spam' }));
		await liftDisciplinaryAction(db.em(), staff, { clientId: client.id, actionId: first.id, reason: 'First issue resolved' });
		expect(await clientStatus(client.id)).toBe('suspended');
	});

	it('a non-payment suspension lifts itself when billing reports the balance paid', async () => {
		const { client } = await newTenant();
		const action = await createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'suspension', reasonCategory: 'non_payment' }));
		expect(action.liftsOnPayment).toBe(true);
		expect(await liftNonPaymentSuspensions(db.em(), client.id, systemActor('Billing'))).toBe(1);
		expect(await actionStatus(action.id)).toBe('lifted');
		expect(await clientStatus(client.id)).toBe('active');
		expect(await liftNonPaymentSuspensions(db.em(), client.id, systemActor('Billing'))).toBe(0);
	});

	it('a termination needs the client name, and is irreversible', async () => {
		const { client } = await newTenant();
		const unconfirmed = await failure(createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'termination', confirmName: 'Acme' })));
		expect(unconfirmed).toBeInstanceOf(AppError);
		expect((unconfirmed as AppError).fieldErrors?.confirmName?.[0]).toMatch(/Type the client's name/);
		expect(await clientStatus(client.id)).toBe('active');

		const action = await createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'termination', reasonCategory: 'fraud', confirmName: client.name }));
		expect(await clientStatus(client.id)).toBe('terminated');
		expect((await failure(liftDisciplinaryAction(db.em(), staff, { clientId: client.id, actionId: action.id, reason: 'Changed my mind' }))).message).toMatch(
			/permanent/
		);
		expect((await failure(createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'warning' })))).code).toBe('CONFLICT');
		expect((await failure(setClientStatus(db.em(), staff, { clientId: client.id, status: 'active', reason: 'Undo it' }))).code).toBe('CONFLICT');
		expect(await clientStatus(client.id)).toBe('terminated');
		expect(await actionStatus(action.id)).toBe('active');
	});
});

describe('bad input', () => {
	it('refuses an end before the start, a restriction without flags and a past start, writing nothing', async () => {
		const { client } = await newTenant();
		const queuedBefore = (await runner.queuedJobs(DISCIPLINARY_TRANSITION_JOB)).length;
		const start = new Date(Date.now() + 3_600_000);
		const endBeforeStart = createDisciplinaryInput.safeParse({
			clientId: client.id,
			type: 'suspension',
			reasonCategory: 'abuse',
			reason: 'Abuse report',
			startsAt: start,
			endsAt: new Date(start.getTime() - 60_000)
		});
		expect(endBeforeStart.success).toBe(false);
		expect(endBeforeStart.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['endsAt']);
		const noFlags = createDisciplinaryInput.safeParse({ clientId: client.id, type: 'restriction', reasonCategory: 'abuse', reason: 'Abuse report' });
		expect(noFlags.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['flags']);

		const past = await failure(
			createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'suspension', startsAt: new Date(Date.now() - 86_400_000), endsAt: start }))
		);
		expect((past as AppError).fieldErrors?.startsAt).toBeDefined();
		expect(await db.em().count(DisciplinaryActionSchema, { clientId: client.id })).toBe(0);
		expect(await runner.queuedJobs(DISCIPLINARY_TRANSITION_JOB)).toHaveLength(queuedBefore);
		expect(await clientStatus(client.id)).toBe('active');
	});

	it('client users cannot create or lift actions, whatever their role holds', async () => {
		const { client, ownerActor } = await newTenant();
		const allPowerful = await actorFor(db.em(), await newUser(db.em(), { kind: 'client', clientId: client.id, permissions: ALL_PERMISSIONS }));
		const action = await createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'warning' }));
		for (const actor of [ownerActor, allPowerful]) {
			const caller = callerFor(db.em(), actor);
			const create = await failure(caller.disciplinary.create({ clientId: client.id, type: 'warning', reasonCategory: 'spam', reason: 'Trying it myself' }));
			expect(create.code).toBe('NOT_FOUND');
			expect((await failure(caller.disciplinary.lift({ clientId: client.id, actionId: action.id, reason: 'Lift it myself' }))).code).toBe('NOT_FOUND');
		}
		expect(await db.em().count(DisciplinaryActionSchema, { clientId: client.id })).toBe(1);
		expect(await actionStatus(action.id)).toBe('active');
	});
});

describe('end dates and scheduled starts through pg-boss', () => {
	it('an end date lifts the restriction by the job, at that time, across a restart', async () => {
		const { client } = await newTenant();
		const action = await createDisciplinaryAction(
			db.em(),
			staff,
			input(client.id, { type: 'restriction', noApi: true, endsAt: new Date(Date.now() + 1_500) })
		);
		// The job is in PostgreSQL (it survives a restart), waiting for the end date.
		const queued = await runner.queuedJobs(DISCIPLINARY_TRANSITION_JOB);
		expect(queued.filter((job) => job.singletonKey === `${action.id}:end`)).toHaveLength(1);
		expect(await actionStatus(action.id)).toBe('active');

		// A restart in between: the new runner finds the job in PostgreSQL.
		await runner.stop();
		runner = await startJobs({ databaseUrl: db.url, orm: db.orm, workers: false, maintenance: false, log: () => {} });
		await runJobsUntil(async () => (await actionStatus(action.id)) === 'expired', 'the restriction to expire');
		expect((await activeRestrictions(db.em(), client.id)).noApi).toBe(false);
		const expired = await db.em().find(ActivitySchema, { clientId: client.id, action: 'disciplinary.expired' });
		expect(expired).toHaveLength(1);
		expect(expired[0].actorName).toBe('Scheduled job');
	});

	it('a suspension scheduled ahead starts and ends by its jobs, suspending then restoring the client', async () => {
		const { client } = await newTenant();
		const startsAt = new Date(Date.now() + 1_000);
		const action = await createDisciplinaryAction(
			db.em(),
			staff,
			input(client.id, { type: 'suspension', startsAt, endsAt: new Date(startsAt.getTime() + 1_500) })
		);
		expect(action.status).toBe('scheduled');
		expect(await clientStatus(client.id)).toBe('active');
		await runJobsUntil(async () => (await actionStatus(action.id)) !== 'scheduled', 'the suspension to start');
		await runJobsUntil(async () => (await actionStatus(action.id)) === 'expired', 'the suspension to end');
		expect(await clientStatus(client.id)).toBe('active');
		const audit = await db.em().find(ActivitySchema, { clientId: client.id, action: { $like: 'disciplinary.%' } }, { orderBy: { id: 'asc' } });
		expect(audit.map((row) => row.action)).toEqual(['disciplinary.created', 'disciplinary.started', 'disciplinary.expired']);
		const statusChanges = await db.em().find(ActivitySchema, { clientId: client.id, action: 'client.status_changed' }, { orderBy: { id: 'asc' } });
		expect(statusChanges.map((row) => row.after?.status)).toEqual(['suspended', 'active']);
	});

	it('a job that runs twice does the work once', async () => {
		const { client } = await newTenant();
		const action = await createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'suspension', endsAt: new Date(Date.now() + 1_000) }));
		await runJobsUntil(async () => (await actionStatus(action.id)) === 'expired', 'the suspension to end');
		// A second delivery of the same job (a node died after the work, before pg-boss heard of it).
		expect(await syncDisciplinaryAction(db.em(), action.id, 'end')).toBe('unchanged');
		await scheduleJob(DISCIPLINARY_TRANSITION_JOB, { version: 1, actionId: action.id, transition: 'end' }, { singletonKey: `${action.id}:end` });
		expect((await runner.runDueJobs()).completed).toBeGreaterThanOrEqual(1);
		expect(await db.em().count(ActivitySchema, { clientId: client.id, action: 'disciplinary.expired' })).toBe(1);
		expect(await db.em().count(ActivitySchema, { clientId: client.id, action: 'client.status_changed' })).toBe(2);
	});

	it('scheduling the same key twice keeps one queued job', async () => {
		const key = `dedupe-${uniqueSuffix()}`;
		const payload = { version: 1 as const, actionId: crypto.randomUUID(), transition: 'end' as const };
		const startAfter = new Date(Date.now() + 3_600_000);
		expect(await scheduleJob(DISCIPLINARY_TRANSITION_JOB, payload, { singletonKey: key, startAfter })).not.toBeNull();
		expect(await scheduleJob(DISCIPLINARY_TRANSITION_JOB, payload, { singletonKey: key, startAfter })).toBeNull();
		expect((await runner.queuedJobs(DISCIPLINARY_TRANSITION_JOB)).filter((job) => job.singletonKey === key)).toHaveLength(1);
	});

	it('two nodes working the same queue run a due job once', async () => {
		const { client } = await newTenant();
		const nodes = await Promise.all(
			[1, 2].map(() =>
				startJobs({ databaseUrl: db.url, orm: db.orm, workers: true, pollingIntervalSeconds: 0.5, maintenance: false, log: () => {} })
			)
		);
		try {
			const action = await createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'restriction', noApi: true, endsAt: new Date(Date.now() + 1_000) }));
			const deadline = Date.now() + 20_000;
			while ((await actionStatus(action.id)) !== 'expired') {
				if (Date.now() > deadline) throw new Error('Timed out waiting for the workers');
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
		} finally {
			await Promise.all(nodes.map((node) => node.stop()));
		}
		expect(await db.em().count(ActivitySchema, { clientId: client.id, action: 'disciplinary.expired' })).toBe(1);
	});
});

describe('what the client sees', () => {
	it('the evidence note stays with staff: never in the client room, the history or the banner of client users', async () => {
		const { client, ownerActor } = await newTenant();
		const evidence = `Ticket #${uniqueSuffix()}: netflow capture shows 40k SMTP connections`;
		await createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'restriction', noNewResources: true, evidenceNote: evidence }));
		const action = await createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'suspension', evidenceNote: evidence, endsAt: new Date(Date.now() + 1_000) }));
		await liftDisciplinaryAction(db.em(), staff, { clientId: client.id, actionId: action.id, reason: 'Cleaned up' });

		const inRoom = async (room: string) => {
			const rows: { count: string }[] = await db
				.em()
				.execute('select count(*) from outbox where ? = any(rooms) and payload::text like ?', [room, `%${evidence.slice(0, 20)}%`]);
			return Number(rows[0].count);
		};
		expect(await inRoom(`client:${client.id}`)).toBe(0);
		// Staff do get it, on the staff-only twin room: the search above does find it when present.
		expect(await inRoom(`client:${client.id}:staff`)).toBeGreaterThan(0);

		const ownerView = await callerFor(db.em(), ownerActor).disciplinary.list({ clientId: client.id });
		expect(ownerView.actions).toHaveLength(2);
		expect(ownerView.canManage).toBe(false);
		expect(JSON.stringify(ownerView)).not.toContain(evidence);
		expect(JSON.stringify(await callerFor(db.em(), ownerActor).clients.header({ clientId: client.id }))).not.toContain(evidence);
		const staffView = await listDisciplinaryActions(db.em(), staff, client.id);
		expect(staffView.map((row) => row.evidenceNote)).toEqual([evidence, evidence]);
	});

	it('the workspace header carries the banner of actions in force', async () => {
		const { client, ownerActor } = await newTenant();
		await createDisciplinaryAction(db.em(), staff, input(client.id, { type: 'restriction', noSubuserLogins: true, reasonCategory: 'tos' }));
		const header = await callerFor(db.em(), ownerActor).clients.header({ clientId: client.id });
		expect(header.restrictions).toEqual([
			expect.objectContaining({ type: 'restriction', flags: ['no sub-user sign-ins'], categoryLabel: 'Terms of Service breach' })
		]);
		expect(header.live[`client:${client.id}`]).toBeGreaterThan(0);
	});
});
