import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const ROLE_AUDIENCES = ['staff', 'client'] as const;

/** A named set of permissions: built-in staff roles, the client Owner role, or a client's custom role. */
export const RoleSchema = defineEntity({
	name: 'Role',
	tableName: 'role',
	properties: {
		id: p.uuid().primary().onCreate(() => randomUUID()),
		/** Stable key of a built-in role (`super_admin`, `owner`, ...); null for custom roles. */
		builtInKey: p.string().length(40).nullable(),
		audience: p.enum(ROLE_AUDIENCES),
		/** Owning client of a custom client role; null for built-in roles. */
		clientId: p.uuid().nullable(),
		name: p.string().length(80),
		description: p.text().default(''),
		permissions: p.array(),
		createdAt: p.datetime().onCreate(() => new Date())
	}
});

export type Role = InferEntity<typeof RoleSchema>;
