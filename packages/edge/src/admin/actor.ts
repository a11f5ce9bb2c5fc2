// Who is acting on an admin request: the account a session or token stands for. The bearer admin token (and
// the session it signs in) is the site owner, who may do everything; named accounts carry a narrower role.
import type { Context } from 'hono';

/** Roles, from least to most: viewer (reports), editor (drafts, previews), publisher (publish, rollback), owner. */
export const ROLES = ['viewer', 'editor', 'publisher', 'owner'] as const;
export type Role = (typeof ROLES)[number];
export interface Actor {
  name: string;
  role: Role;
}

export const OWNER: Actor = { name: 'owner', role: 'owner' };

/** The actor the auth middleware set on this request; the owner where none did (the bearer admin token). */
export const actorOf = (c: Context): Actor => (c.get('actor') as Actor | undefined) ?? OWNER;

/** Whether `actor` may do what `needed` may. */
export const allows = (actor: Actor, needed: Role): boolean => ROLES.indexOf(actor.role) >= ROLES.indexOf(needed);
