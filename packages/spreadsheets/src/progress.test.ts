import { describe, expect, it } from '@jest/globals';
import { withLanguage } from '@moral-registry/common';
import { startProgress } from './progress.ts';

/** The first plain progress line of an import (CI logs, pipes) in a language (`--lang th|en`). */
function firstLine(language: 'th' | 'en'): string {
  const lines: string[] = [];
  withLanguage(language, () => {
    const progress = startProgress('lines', 'agencies', 1000, (line) => lines.push(line));
    progress.update(250, 1200);
    progress.stop();
  });
  return lines[0]!;
}

describe('import progress lines', () => {
  it('speak Thai with --lang th: rows, share of the file, rate and time left', () => {
    expect(firstLine('th')).toMatch(/^agencies: 1200 แถว \(25% ของไฟล์\), \d+ แถว\/วินาที, เหลืออีกประมาณ \d+ วินาที$/);
  });

  it('speak English with --lang en', () => {
    expect(firstLine('en')).toMatch(/^agencies: 1200 rows \(25% of the file\), \d+ rows\/s, ETA \d+ s$/);
  });
});
