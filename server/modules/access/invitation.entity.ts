import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * An invitation of a sub-user to a client, with the role they will get. Only the SHA-256 of the
 * link token is stored: a database leak leaks no usable link. Open while neither accepted nor revoked.
 */
export const InvitationSchema = defineEntity({
	name: 'Invitation',
	tableName: 'invitation',
	properties: {
		id: p.uuid().primary().onCreate(() => randomUUID()),
		clientId: p.uuid(),
		email: p.string().length(320),
		roleId: p.uuid(),
		tokenHash: p.string().length(64),
		invitedByUserId: p.uuid().nullable(),
		invitedByName: p.string().length(200),
		expiresAt: p.datetime(),
		acceptedAt: p.datetime().nullable(),
		acceptedUserId: p.uuid().nullable(),
		revokedAt: p.datetime().nullable(),
		createdAt: p.datetime().onCreate(() => new Date())
	}
});

export type Invitation = InferEntity<typeof InvitationSchema>;
