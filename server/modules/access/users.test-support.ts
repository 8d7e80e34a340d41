import type { EntityManager } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import { actorFor, callerFor, newClient, newUser } from '../../../tests/integration/factories';
import type { Permission } from '../../auth/permissions';
import { MailMessageSchema } from '../mail/mail-message.entity';

/** Shared set-up of the Users tab's integration tests: an account with its owner, signed in through tRPC. */
export async function accountWithOwner(em: EntityManager) {
	const client = await newClient(em);
	const owner = await newUser(em, { kind: 'client', clientId: client.id, roleKey: 'owner' });
	const ownerActor = await actorFor(em, owner);
	return { client, owner, ownerActor, asOwner: () => callerFor(em.fork(), ownerActor) };
}

/** A sub-user of the client holding exactly `permissions`, and a tRPC caller acting as them. */
export async function subUser(em: EntityManager, clientId: string, permissions: readonly Permission[]) {
	const user = await newUser(em, { kind: 'client', clientId, permissions });
	const actor = await actorFor(em, user);
	return { user, actor, caller: () => callerFor(em.fork(), actor) };
}

export async function failureOf(promise: Promise<unknown>): Promise<TRPCError> {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	if (!(error instanceof TRPCError)) throw new Error(`Expected a TRPCError, got ${String(error)}`);
	return error;
}

export const fieldErrorsOf = (error: TRPCError) => (error.cause as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors ?? {};

/** The invitation token from the newest mail to `to`, as the invitee would click it. */
export async function inviteTokenFromMail(em: EntityManager, to: string): Promise<string> {
	const [mail] = await em.fork().find(MailMessageSchema, { toAddress: to, template: 'invitation' }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 1 });
	const token = mail?.textBody.match(/\/invite\?token=([a-z2-7]{52})/)?.[1];
	if (!token) throw new Error(`No invitation mail to ${to}`);
	return token;
}
