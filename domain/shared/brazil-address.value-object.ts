// Brazilian address parts shared by customers and sellers: 5-digit zip code prefix and the 27 federative unit (UF) codes.
import { err, ok, type Result } from './result.type';

export const BRAZILIAN_STATES = [
  'AC',
  'AL',
  'AP',
  'AM',
  'BA',
  'CE',
  'DF',
  'ES',
  'GO',
  'MA',
  'MT',
  'MS',
  'MG',
  'PA',
  'PB',
  'PR',
  'PE',
  'PI',
  'RJ',
  'RN',
  'RS',
  'RO',
  'RR',
  'SC',
  'SP',
  'SE',
  'TO',
] as const;

export type BrazilianState = (typeof BRAZILIAN_STATES)[number];

const STATE_SET: ReadonlySet<string> = new Set(BRAZILIAN_STATES);

export function parseBrazilianState(text: string): Result<BrazilianState, string> {
  return STATE_SET.has(text) ? ok(text as BrazilianState) : err(`state '${text}' is not one of the 27 Brazilian UF codes`);
}

/** A zip code prefix is exactly five digits, leading zeros kept ('01046'). */
export function parseZipPrefix(text: string): Result<string, string> {
  return /^\d{5}$/.test(text) ? ok(text) : err(`zip code prefix '${text}' is not a 5-digit string`);
}
