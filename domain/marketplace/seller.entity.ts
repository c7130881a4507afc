// Seller entity: a 5-digit zip code prefix and one of the 27 Brazilian UF codes.
import { parseBrazilianState, parseZipPrefix, type BrazilianState } from '../shared/brazil-address.value-object';
import { domainError, type DomainError } from '../shared/domain-error.type';
import type { SourceProvenance } from '../shared/quarantine-record.type';
import { err, ok, type Result } from '../shared/result.type';
import { MARKETPLACE_RULES } from './marketplace.errors';
import type { StagedSeller } from './marketplace-staged.types';

export interface Seller extends SourceProvenance {
  readonly sellerId: string;
  readonly zipCodePrefix: string;
  readonly city: string;
  readonly state: BrazilianState;
}

export function createSeller(row: StagedSeller): Result<Seller, DomainError> {
  const zip = parseZipPrefix(row.zipCodePrefix);
  if (!zip.ok) return err(domainError(MARKETPLACE_RULES.INVALID_ZIP, `seller ${row.sellerId}: ${zip.error}`));
  const state = parseBrazilianState(row.state);
  if (!state.ok) return err(domainError(MARKETPLACE_RULES.INVALID_STATE, `seller ${row.sellerId}: ${state.error}`));
  return ok({
    sellerId: row.sellerId,
    zipCodePrefix: zip.value,
    city: row.city,
    state: state.value,
    sourceRow: row.sourceRow,
    sourceSha256: row.sourceSha256,
  });
}
