/**
 * Thai text as users type it, reduced to one form, so that names which look the same are the same:
 * NFC; SARA AM typed as NIKHAHIT + SARA AA (U+0E4D U+0E32, a tone mark possibly between) composed
 * to U+0E33, which NFC leaves alone; whitespace runs (tabs, newlines, NBSP) one space; control
 * characters and invisible format characters (zero-width space/joiners U+200B–U+200D, word joiner
 * U+2060, invisible operators U+2061–U+2064, soft hyphen U+00AD, BOM, bidi marks and overrides
 * U+200E/U+200F, U+202A–U+202E, U+2066–U+2069) removed; trimmed.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
const DECOMPOSED_SARA_AM = /\u0E4D([\u0E48-\u0E4B]?)\u0E32/g;

export function normalizeThai(text: string): string {
  return text
    .normalize('NFC')
    .replace(DECOMPOSED_SARA_AM, '$1\u0E33')
    .replace(/\s+/g, ' ')
    .replace(INVISIBLE, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

const thaiCollator = new Intl.Collator('th-TH');
/** Compares strings the way a Thai dictionary orders them (for sorting in memory). */
export const compareThai = (a: string, b: string): number => thaiCollator.compare(a, b);
