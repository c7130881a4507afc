// The claims a web/API token carries (sub, role, seller_id, states), validated with zod after the signature is checked.
import { z } from 'zod';

export const ROLES = ['executive', 'analyst', 'seller', 'regional_manager', 'engineer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The 27 federative units of Brazil: a regional manager's `states` are some of these. */
export const STATES = [
  'AC', 'AL', 'AM', 'AP', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MG', 'MS', 'MT', 'PA', 'PB', 'PE', 'PI', 'PR', 'RJ', 'RN', 'RO',
  'RR', 'RS', 'SC', 'SE', 'SP', 'TO',
] as const; // prettier-ignore

/** The verified identity of a request: what routes and (later) the RLS policies read. */
export interface Claims {
  sub: string;
  role: Role;
  /** The seller the token is scoped to (role seller only). */
  sellerId?: string;
  /** The states the token is scoped to (role regional_manager only). */
  states?: string[];
  /** Seconds since the epoch when the token expires. */
  exp: number;
}

/** The token's payload: registered claims are checked by jose; these are ours. A scope belongs to its role only. */
export const payloadSchema = z
  .object({
    sub: z.string().min(1).max(200),
    role: z.enum(ROLES),
    seller_id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
    states: z.array(z.enum(STATES)).min(1).max(STATES.length).optional(),
    exp: z.number().int(),
  })
  .superRefine((p, ctx) => {
    if ((p.role === 'seller') !== (p.seller_id !== undefined))
      ctx.addIssue({ code: 'custom', path: ['seller_id'], message: 'required for role seller, and only for it' });
    if ((p.role === 'regional_manager') !== (p.states !== undefined))
      ctx.addIssue({ code: 'custom', path: ['states'], message: 'required for role regional_manager, and only for it' });
  });

/** The claims of a verified payload, or undefined when they do not fit. */
export function claimsOf(payload: unknown): Claims | undefined {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const { sub, role, seller_id: sellerId, states, exp } = parsed.data;
  return {
    sub,
    role,
    exp,
    ...(sellerId !== undefined && { sellerId }),
    ...(states !== undefined && { states: [...new Set(states)].sort() }),
  };
}

/** What a request's transaction passes to PostgreSQL as `dw.claims` (for the row-level security policies). */
export function claimsJson(c: Claims): string {
  return JSON.stringify({ sub: c.sub, role: c.role, seller_id: c.sellerId ?? null, states: c.states ?? null });
}
