// Freshness SLAs: how long after its last successful materialization an asset counts as stale (dw sla, metrics, alert).

/** Marts, facts and dimensions (what readers query): 26 h, a daily run plus slack. Other assets declare none. */
export const FRESHNESS_SLAS: readonly { pattern: RegExp; hours: number }[] = [{ pattern: /^dbt\/(mart|fact|dim)_/, hours: 26 }];

/** The asset's freshness SLA in seconds, or undefined when it declares none. */
export function freshnessSlaSeconds(assetKey: string): number | undefined {
  const sla = FRESHNESS_SLAS.find((s) => s.pattern.test(assetKey));
  return sla && sla.hours * 3600;
}
