import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../server/auth/actor';

declare global {
	namespace App {
		interface Locals {
			em: EntityManager;
			actor: Actor | null;
		}
		interface Error {
			message: string;
			code?: string;
		}
	}
}

export {};
