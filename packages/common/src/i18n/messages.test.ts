/**
 * The two catalogues: every key in both languages, each message valid ICU with the same placeholders
 * in Thai as in English, the files kept sorted (one place per key, readable diffs); and the language
 * chosen from Accept-Language and from a command's --lang or locale.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { TYPE, parse, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { CATALOGUES, UnknownLanguage, languageOf, languageOfCommand, setProcessLanguage, t, tIn, withLanguage } from './index.ts';

/** The placeholders of a message, with their kind (plain, number, select …), sorted. */
function placeholders(elements: MessageFormatElement[], found = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    if (element.type === TYPE.tag) {
      placeholders(element.children, found);
      continue;
    }
    found.add(`${element.value}:${TYPE[element.type]}`);
    if (element.type === TYPE.select || element.type === TYPE.plural) {
      for (const option of Object.values(element.options)) placeholders(option.value, found);
    }
  }
  return found;
}

const keys = (language: 'en' | 'th') => Object.keys(CATALOGUES[language]);

describe('message catalogues', () => {
  it('have the same keys in Thai and English, a few hundred of them', () => {
    expect(keys('th').filter((k) => !keys('en').includes(k))).toEqual([]);
    expect(keys('en').filter((k) => !keys('th').includes(k))).toEqual([]);
    expect(keys('en').length).toBeGreaterThan(150);
  });

  it('hold valid ICU messages with the same placeholders in both languages, and Thai text in the Thai one', () => {
    const problems: string[] = [];
    for (const key of keys('en')) {
      try {
        const en = [...placeholders(parse(CATALOGUES.en[key]!, { ignoreTag: true }))].sort();
        const th = [...placeholders(parse(CATALOGUES.th[key]!, { ignoreTag: true }))].sort();
        if (JSON.stringify(en) !== JSON.stringify(th)) problems.push(`${key}: en ${en.join(',')} ≠ th ${th.join(',')}`);
      } catch (error) {
        problems.push(`${key}: ${(error as Error).message}`);
      }
      // A message copied untranslated: Thai letters are expected unless the message is only a code or a name.
      if (!/[\u0E00-\u0E7F]/.test(CATALOGUES.th[key]!) && CATALOGUES.th[key] === CATALOGUES.en[key] && !key.startsWith('entity.'))
        problems.push(`${key}: the Thai message is the English one`);
    }
    expect(problems).toEqual([]);
  });

  it('are stored sorted by key, one key per line', () => {
    for (const language of ['en', 'th'] as const) {
      const file = path.join(import.meta.dirname, 'messages', `${language}.json`);
      const text = readFileSync(file, 'utf8');
      const sorted = Object.fromEntries(Object.entries(JSON.parse(text) as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : 1)));
      expect(text).toBe(`${JSON.stringify(sorted, null, 2)}\n`);
    }
  });

  it('format the placeholders given, in the language of the work being done', () => {
    expect(tIn('en', 'input.fiscalYearCommonEra', { field: 'fiscalYear', value: 2022, be: 2565 })).toBe(
      'fiscalYear 2022 looks like a Common Era year; fiscal years are Buddhist Era years (did you mean 2565?)',
    );
    expect(withLanguage('th', () => t('input.fiscalYearCommonEra', { field: 'fiscalYear', value: 2022, be: 2565 }))).toBe(
      'fiscalYear 2022 ดูเหมือนเป็นปีคริสต์ศักราช ปีงบประมาณใช้ปีพุทธศักราช (หมายถึง 2565 หรือไม่?)',
    );
    expect(t('input.required', { field: 'nameTh' })).toBe('nameTh is required');
  });
});

describe('the language of a request', () => {
  it('is Thai when Accept-Language prefers Thai, English otherwise', () => {
    const cases: [string | undefined, string][] = [
      ['th', 'th'],
      ['th-TH', 'th'],
      ['th-TH,th;q=0.9,en-US;q=0.8,en;q=0.7', 'th'],
      ['en-US,en;q=0.9,th;q=0.8', 'en'],
      ['fr-FR,th;q=0.5', 'th'],
      ['fr-FR', 'en'],
      ['*', 'en'],
      ['', 'en'],
      [undefined, 'en'],
    ];
    expect(cases.map(([header]) => [header, languageOf(header)])).toEqual(cases);
  });

  it('of a command is --lang, else the locale of its environment', () => {
    expect(languageOfCommand('th', {})).toBe('th');
    expect(languageOfCommand(undefined, { LANG: 'th_TH.UTF-8' })).toBe('th');
    expect(languageOfCommand(undefined, { LC_ALL: 'en_US.UTF-8', LANG: 'th_TH.UTF-8' })).toBe('en');
    expect(languageOfCommand(undefined, { LANG: 'C.UTF-8' })).toBe('en');
    expect(() => languageOfCommand('de', {})).toThrow(UnknownLanguage);
    setProcessLanguage('th');
    try {
      expect(t('input.required', { field: 'nameTh' })).toBe('ต้องระบุ nameTh');
      expect(withLanguage('en', () => t('input.required', { field: 'nameTh' }))).toBe('nameTh is required');
    } finally {
      setProcessLanguage('en');
    }
  });
});
