import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../tests/integration/test-database';
import { callerFor, MemoryCookieJar, newUser, uniqueSuffix } from '../../../tests/integration/factories';
import { ActivitySchema } from '../activity/activity.entity';
import { InvitationSchema } from './invitation.entity';
import { UserSchema } from './user.entity';
import { RoleSchema } from './role.entity';
import { hashPasswordToken } from './password-token.service';
import { verifyPassword } from '../../auth/password';
import { accountWithOwner, failureOf, fieldErrorsOf, inviteTokenFromMail, subUser } from './users.test-support';

const db = await useTestDatabase();
const GOOD_PASSWORD = 'violet-harbour-lantern-42';
const anonymous = () => callerFor(db.em(), null);

async function ownerRoleId() {
	return (await db.em().findOneOrFail(RoleSchema, { builtInKey: 'owner' })).id;
}

async function invite(asOwner: ReturnType<typeof callerFor>, clientId: string, roleId: string) {
	const email = `invitee-${uniqueSuffix()}@example.test`;
	const { invitationId } = await asOwner.invitations.create({ clientId, email, roleId });
	return { email, invitationId, token: await inviteTokenFromMail(db.em(), email) };
}

describe('invitations', () => {
	it('store only the SHA-256 of the mailed token and expire in 7 days', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const before = Date.now();
		const { invitationId, token } = await invite(asOwner(), client.id, await ownerRoleId());
		const rows: Record<string, unknown>[] = await db.em().getConnection().execute('select * from invitation where id = ?', [invitationId]);
		expect(JSON.stringify(rows)).not.toContain(token);
		expect(rows[0].token_hash).toBe(hashPasswordToken(token));
		const days = (new Date(rows[0].expires_at as string).getTime() - before) / 86_400_000;
		expect(Math.round(days)).toBe(7);
	});

	it('show the client, the role and the masked address to the invitee', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const { token } = await invite(asOwner(), client.id, await ownerRoleId());
		const status = await anonymous().invitations.status({ token });
		expect(status).toEqual({ valid: true, clientName: client.name, email: expect.stringMatching(/^in\*\*\*@example\.test$/), roleName: 'Owner' });
	});

	it('accepted: create the user with the role and a hashed password, once, and the user can sign in', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const auditor = await subUser(db.em(), client.id, ['summary.read', 'users.read']);
		const roleId = auditor.user.roleId;
		const { email, token, invitationId } = await invite(asOwner(), client.id, roleId);

		expect(await anonymous().invitations.accept({ token, name: 'Ivy Invitee', password: GOOD_PASSWORD })).toEqual({ email });
		const user = await db.em().findOneOrFail(UserSchema, { email });
		expect(user).toMatchObject({ clientId: client.id, roleId, name: 'Ivy Invitee', active: true, kind: 'client' });
		expect(await verifyPassword(user.passwordHash ?? '', GOOD_PASSWORD)).toBe(true);
		expect((await db.em().findOneOrFail(InvitationSchema, { id: invitationId })).acceptedUserId).toBe(user.id);
		const activity = await db.em().find(ActivitySchema, { clientId: client.id, action: 'user.invitation_accepted' });
		expect(activity.map((row) => row.actorUserId)).toEqual([user.id]);

		const again = await failureOf(anonymous().invitations.accept({ token, name: 'Someone Else', password: GOOD_PASSWORD }));
		expect(again.message).toBe('This invitation was already accepted.');
		expect((await anonymous().invitations.status({ token })).reason).toBe('used');

		const cookies = new MemoryCookieJar();
		await callerFor(db.em(), null, { cookies, request: { ip: '198.51.100.77', userAgent: 'vitest' } }).auth.signIn({ email, password: GOOD_PASSWORD });
		expect(cookies.values.size).toBeGreaterThan(0);
	});

	it('refuse a weak password with a field error and stay open', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const { token, email } = await invite(asOwner(), client.id, await ownerRoleId());
		const weak = await failureOf(anonymous().invitations.accept({ token, name: 'Ivy', password: 'short' }));
		expect(fieldErrorsOf(weak).password?.[0]).toMatch(/at least 12 characters/);
		const named = await failureOf(anonymous().invitations.accept({ token, name: 'Ivy', password: `${email.split('@')[0]}-x9` }));
		expect(fieldErrorsOf(named).password?.[0]).toMatch(/first part of your email/);
		expect(await db.em().count(UserSchema, { email })).toBe(0);
		expect((await anonymous().invitations.status({ token })).valid).toBe(true);
	});

	it('expire: an old link shows "expired" and cannot be accepted', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const { token, invitationId, email } = await invite(asOwner(), client.id, await ownerRoleId());
		await db.em().nativeUpdate(InvitationSchema, { id: invitationId }, { expiresAt: new Date(Date.now() - 1000) });
		expect(await anonymous().invitations.status({ token })).toMatchObject({ valid: false, reason: 'expired' });
		expect((await failureOf(anonymous().invitations.accept({ token, name: 'Late Larry', password: GOOD_PASSWORD }))).message).toBe('This invitation has expired.');
		expect(await db.em().count(UserSchema, { email })).toBe(0);
		const listed = await asOwner().users.overview({ clientId: client.id });
		expect(listed.invitations.find((row) => row.id === invitationId)?.expired).toBe(true);
	});

	it('resent: a new link with a fresh week, and the old link no longer works', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const { token: oldToken, invitationId, email } = await invite(asOwner(), client.id, await ownerRoleId());
		await db.em().nativeUpdate(InvitationSchema, { id: invitationId }, { expiresAt: new Date(Date.now() - 1000) });
		await asOwner().invitations.resend({ clientId: client.id, invitationId });
		const newToken = await inviteTokenFromMail(db.em(), email);
		expect(newToken).not.toBe(oldToken);
		expect(await anonymous().invitations.status({ token: oldToken })).toMatchObject({ valid: false, reason: 'invalid' });
		expect((await anonymous().invitations.status({ token: newToken })).valid).toBe(true);
	});

	it('revoked: the link says so and creates nothing', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const { token, invitationId, email } = await invite(asOwner(), client.id, await ownerRoleId());
		await asOwner().invitations.revoke({ clientId: client.id, invitationId });
		expect(await anonymous().invitations.status({ token })).toMatchObject({ valid: false, reason: 'revoked', clientName: client.name });
		await failureOf(anonymous().invitations.accept({ token, name: 'Ivy', password: GOOD_PASSWORD }));
		expect(await db.em().count(UserSchema, { email })).toBe(0);
		expect((await asOwner().users.overview({ clientId: client.id })).invitations).toEqual([]);
	});

	it('to an address that already has a user, or an open invitation, is a field error', async () => {
		const { client, asOwner } = await accountWithOwner(db.em());
		const elsewhere = await newUser(db.em(), { kind: 'staff', roleKey: 'noc_viewer' });
		const taken = await failureOf(asOwner().invitations.create({ clientId: client.id, email: elsewhere.email.toUpperCase(), roleId: await ownerRoleId() }));
		expect(fieldErrorsOf(taken).email).toEqual(['A user with this email already exists.']);
		const { email } = await invite(asOwner(), client.id, await ownerRoleId());
		const twice = await failureOf(asOwner().invitations.create({ clientId: client.id, email, roleId: await ownerRoleId() }));
		expect(fieldErrorsOf(twice).email?.[0]).toMatch(/already has an open invitation/);
		expect(await db.em().count(InvitationSchema, { clientId: client.id })).toBe(1);
	});

	it('cannot give a role beyond the inviter’s own permissions', async () => {
		const { client } = await accountWithOwner(db.em());
		const manager = await subUser(db.em(), client.id, ['summary.read', 'users.read', 'users.manage']);
		const error = await failureOf(manager.caller().invitations.create({ clientId: client.id, email: `x-${uniqueSuffix()}@example.test`, roleId: await ownerRoleId() }));
		expect(fieldErrorsOf(error).roleId?.[0]).toMatch(/You cannot give permissions you do not hold yourself/);
		expect(await db.em().count(InvitationSchema, { clientId: client.id })).toBe(0);
	});

	it('an unknown or garbled token is simply "not valid"', async () => {
		expect(await anonymous().invitations.status({ token: 'a'.repeat(52) })).toEqual({ valid: false, reason: 'invalid', clientName: null, email: null, roleName: null });
		expect(await anonymous().invitations.status({ token: '<script>' })).toMatchObject({ valid: false, reason: 'invalid' });
	});
});
