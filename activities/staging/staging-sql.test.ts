// The generated staging SQL: repairs are part of it unless the source's switch turns them off.
import { describe, expect, it } from 'vitest';
import { contract } from '../../schema/contracts/olist';
import { stagingStatements } from './staging-sql';

describe('staging SQL', () => {
  it('when a source has repairs on (the default), then its SQL repairs zips and records the rule', () => {
    const sql = stagingStatements(contract('customers')).split;
    expect(sql).toContain('lpad(');
    expect(sql).toContain("'REPAIR.ZIP_LEFT_PADDED'");
  });

  it('when a source switches repairs off, then its SQL stages the values as written', () => {
    const sql = stagingStatements({ ...contract('customers'), repairs: false }).split;
    expect(sql).not.toContain('REPAIR.');
    expect(sql).toContain('ARRAY[]::jsonb[] AS _repairs');
  });
});
