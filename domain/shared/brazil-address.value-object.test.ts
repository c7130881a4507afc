// Tests for Brazilian zip code prefixes and UF codes.
import { describe, it, expect } from 'vitest';
import { BRAZILIAN_STATES, parseBrazilianState, parseZipPrefix } from './brazil-address.value-object';

describe('Brazilian address parts', () => {
  it('when a state is one of the 27 UF codes, then it is accepted; otherwise rejected with a reason', () => {
    expect(BRAZILIAN_STATES).toHaveLength(27);
    expect(new Set(BRAZILIAN_STATES).size).toBe(27);
    expect(parseBrazilianState('SP')).toEqual({ ok: true, value: 'SP' });
    expect(parseBrazilianState('sp').ok).toBe(false);
    expect(parseBrazilianState('XX')).toEqual({ ok: false, error: "state 'XX' is not one of the 27 Brazilian UF codes" });
  });

  it('when a zip prefix is five digits with leading zeros, then it is kept as text; otherwise rejected', () => {
    expect(parseZipPrefix('01046')).toEqual({ ok: true, value: '01046' });
    for (const bad of ['1046', '010460', '0104a', ' 1046', '']) expect(parseZipPrefix(bad).ok).toBe(false);
  });
});
