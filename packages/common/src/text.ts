/** Thai text as users type it: NFC, trimmed, inner whitespace collapsed. */
export function normalizeThai(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

const thaiCollator = new Intl.Collator('th-TH');
/** Compares strings the way a Thai dictionary orders them (for sorting in memory). */
export const compareThai = (a: string, b: string): number => thaiCollator.compare(a, b);
