import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../auth/actor';
import type { LoginGuard } from '../auth/login-guard';
import type { Mailer } from '../modules/mail/mailer';

/** The cookie operations procedures need, independent of SvelteKit (tests pass a plain jar). */
export interface CookieJar {
	get(name: string): string | undefined;
	set(name: string, value: string, options: { maxAgeSeconds: number }): void;
	delete(name: string): void;
}

export interface AppDeps {
	loginGuard: LoginGuard;
	/** Sends mail after the change that caused it has committed. */
	mailer: Mailer;
	appUrl: string;
}

export interface RequestMeta {
	ip: string | null;
	userAgent: string | null;
}

export interface Context {
	em: EntityManager;
	actor: Actor | null;
	/** Raw session token from the cookie, for sign-out and impersonation hand-over. */
	sessionToken: string | null;
	cookies: CookieJar;
	request: RequestMeta;
	deps: AppDeps;
}

export const SESSION_COOKIE = 'cirrus_session';
/** While a staff member signs in as a client user, their own session waits here. */
export const STAFF_SESSION_COOKIE = 'cirrus_staff_session';
