import { badUserInput, echo } from './errors.ts';

/** Accepts an ISO 3166-2:TH code (TH-14, th-14) or a two-digit DOPA code (14); returns the ISO code. */
export function provinceCodeArg(code: string, field = 'provinceCode'): string {
  const trimmed = code.trim().toUpperCase();
  if (/^TH-\d{2}$/.test(trimmed)) return trimmed;
  if (/^\d{2}$/.test(trimmed)) return `TH-${trimmed}`;
  throw badUserInput(
    field,
    `${field} "${echo(code)}" is not a province code: use the ISO 3166-2:TH code (e.g. TH-14) or the two-digit DOPA code (14)`,
  );
}
