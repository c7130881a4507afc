// The one role → route table of the web app: every route the server registers is here (the server refuses to start
// otherwise), with the roles that may call it or `public`. Enforced before every handler (web/auth/guard.ts).
import { ROLES, type Role } from '../auth/claims';

export type Access = 'public' | readonly Role[];

const ALL: readonly Role[] = ROLES;

export const ACCESS = {
  'GET /healthz': 'public',
  'GET /login': 'public',
  'POST /login': 'public',
  'POST /logout': 'public',
  'GET /': ALL,
  'GET /api/v1/me': ALL,
  // Nationwide monthly figures: no seller or state grain, so not for scoped roles; engineers have the quality pages.
  'GET /api/v1/executive/monthly': ['executive', 'analyst', 'admin'],
  // Seller x month rows: a seller's own, a regional manager's states' (row-level security in PostgreSQL, not the route).
  'GET /api/v1/sellers/performance': ['seller', 'regional_manager', 'analyst', 'admin'],
} as const satisfies Record<string, Access>;

export type RouteId = keyof typeof ACCESS;

/** The table's key of a route: `METHOD /path` with Fastify's path pattern. */
export const routeId = (method: string, url: string): string => `${method.toUpperCase()} ${url}`;

/** The access of a route, or undefined when the table does not list it. */
export function accessOf(id: string): Access | undefined {
  return Object.hasOwn(ACCESS, id) ? (ACCESS as Record<string, Access>)[id] : undefined;
}

/** Whether `role` (undefined: no valid token) may call the route: 'ok', or the refusal's status. */
export function decide(access: Access, role: Role | undefined): 'ok' | 401 | 403 {
  if (access === 'public') return 'ok';
  if (role === undefined) return 401;
  return access.includes(role) ? 'ok' : 403;
}
