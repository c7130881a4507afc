// Row-level security of the published relations, declared in one place: which dbt models have a seller or state grain
// and by which columns; the policy every publication (and rollback) applies in the same transaction as its swap.

/** The login role of the web/API: the only role the policies admit (its claims are in `dw.claims`). */
export const READER_ROLE = 'dw_reader';
/** The one policy on each protected relation. */
export const POLICY_NAME = 'dw_claims_scope';

export interface RowScope {
  /** The column holding the seller id: role seller sees the rows where it equals the claims' seller_id. */
  sellerColumn?: string;
  /** The column holding a state (UF): role regional_manager sees the rows whose state is in the claims' states. */
  stateColumn?: string;
  /** Rows about customers (one per person): role engineer sees none of them. */
  customerLevel?: boolean;
}

/**
 * dbt model name → its scope columns. A relation here gets RLS; one without a seller column shows a seller nothing,
 * one without a state column shows a regional manager nothing. fact_orders and fact_deliveries carry neither a
 * seller nor a state column (an order may have several sellers): no policy; the role → route table keeps scoped
 * roles from them (docs/security.md).
 */
export const ROW_SCOPES: Readonly<Record<string, RowScope>> = {
  mart_seller_performance: { sellerColumn: 'seller_id', stateColumn: 'seller_state' },
  dim_seller: { sellerColumn: 'seller_id', stateColumn: 'state' },
  dim_customer: { stateColumn: 'state', customerLevel: true },
  mart_customer_analytics: { stateColumn: 'state', customerLevel: true },
};

export const scopeOf = (model: string): RowScope | undefined => (Object.hasOwn(ROW_SCOPES, model) ? ROW_SCOPES[model] : undefined);

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * The USING expression: the claims are read once per statement (an init plan); no claims, empty or unknown role,
 * or a scope the relation has no column for → no rows.
 */
export function policyExpression(scope: RowScope): string {
  const claims = `(SELECT nullif(current_setting('dw.claims', true), '')::jsonb)`;
  const seller = scope.sellerColumn ? `${ident(scope.sellerColumn)} = (SELECT ${claims} ->> 'seller_id')` : 'false';
  const state = scope.stateColumn
    ? `${ident(scope.stateColumn)} IN (SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(${claims} -> 'states') = 'array' THEN ${claims} -> 'states' END))`
    : 'false';
  return `coalesce(CASE (SELECT ${claims} ->> 'role')
    WHEN 'admin' THEN true WHEN 'analyst' THEN true WHEN 'executive' THEN true
    WHEN 'engineer' THEN ${scope.customerLevel ? 'false' : 'true'}
    WHEN 'seller' THEN ${seller}
    WHEN 'regional_manager' THEN ${state}
    ELSE false END, false)`;
}

/** The statements that (re)apply the policy to `qualifiedName` (a table; idempotent). */
export function policyStatements(qualifiedName: string, scope: RowScope): string[] {
  return [
    `ALTER TABLE ${qualifiedName} ENABLE ROW LEVEL SECURITY`,
    `DROP POLICY IF EXISTS ${ident(POLICY_NAME)} ON ${qualifiedName}`,
    `CREATE POLICY ${ident(POLICY_NAME)} ON ${qualifiedName} AS PERMISSIVE FOR SELECT TO ${ident(READER_ROLE)} USING (${policyExpression(scope)})`,
  ];
}
