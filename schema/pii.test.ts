// The classification names real columns, and every free text has a key scope.
import { describe, expect, it } from 'vitest';
import { CONTRACTS } from './contracts/olist';
import { KEY_SCOPES, PII_COLUMNS, ROTATING_SCOPES, SEALED_COLUMNS } from './pii';

describe('PII classification', () => {
  it('when a column is classified, then a source contract has it', () => {
    const columns = new Set(CONTRACTS.flatMap((c) => c.columns.map((col) => col.name)));
    for (const name of Object.keys(PII_COLUMNS)) expect(columns.has(name), name).toBe(true);
  });

  it('when a column is free text, then it is sealed under a scope that exists; the pseudonym key never rotates', () => {
    const free = Object.entries(PII_COLUMNS).filter(([, c]) => c === 'free_text');
    expect(free.map(([n]) => n).sort()).toEqual(Object.keys(SEALED_COLUMNS).sort());
    for (const scope of Object.values(SEALED_COLUMNS)) expect(KEY_SCOPES).toContain(scope);
    expect(ROTATING_SCOPES).not.toContain('pseudonym');
  });
});
