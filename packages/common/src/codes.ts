import { badUserInput, echo } from './errors.ts';
import { SECTORS } from './demo/ayutthaya.ts';
import { t } from './i18n/index.ts';

/** Accepts an ISO 3166-2:TH code (TH-14, th-14) or a two-digit DOPA code (14); returns the ISO code. */
export function provinceCodeArg(code: string, field = 'provinceCode'): string {
  const trimmed = code.trim().toUpperCase();
  if (/^TH-\d{2}$/.test(trimmed)) return trimmed;
  if (/^\d{2}$/.test(trimmed)) return `TH-${trimmed}`;
  throw badUserInput(field, t('input.provinceCodeShape', { field, value: echo(code) }));
}

/**
 * Validates a sector argument: a code of the sector list (any case) or its Thai or English label.
 * Unknown values are a BAD_USER_INPUT listing the sectors in Thai and English (never an empty list).
 */
export function sectorArg(value: string, field = 'sectorCode'): string {
  const wanted = value.normalize('NFC').trim();
  const found =
    SECTORS.find((s) => s.code === wanted.toUpperCase()) ??
    SECTORS.find((s) => s.nameTh === wanted) ??
    SECTORS.find((s) => s.nameEn.toLowerCase() === wanted.toLowerCase());
  if (!found) {
    throw badUserInput(
      field,
      t('input.sectorUnknown', { value: echo(value), known: SECTORS.map((s) => `${s.code} (${s.nameTh}, ${s.nameEn})`).join('; ') }),
    );
  }
  return found.code;
}
