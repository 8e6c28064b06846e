/**
 * Thai and English messages (docs/MESSAGES.md): one ICU message catalogue per language
 * (`messages/th.json`, `messages/en.json`, formatted with FormatJS's intl-messageformat), the language of
 * the request being answered, and `t(key, values)` which formats a message in it.
 *
 * The language travels with the work, not through every function: the gateway and every subgraph run
 * each HTTP request inside `withLanguage(languageOf(request.headers['accept-language']), …)`, the
 * gateway passes the language it chose on to the subgraphs in `Accept-Language`, and the command-line
 * tools set it once from `--lang` or the environment's locale. Code that throws or reports a problem
 * calls `t()` wherever it is; clients never parse the text (every error keeps `extensions.code` and,
 * for bad input, `extensions.field`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import Negotiator from 'negotiator';
import en from './messages/en.json' with { type: 'json' };
import th from './messages/th.json' with { type: 'json' };

export const LANGUAGES = ['th', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Every message's key: the English catalogue is the reference, the Thai one is tested to match it. */
export type MessageKey = keyof typeof en;
export type MessageValues = Record<string, PrimitiveType>;

export const CATALOGUES: Record<Language, Record<string, string>> = { en, th };

/** Without a request (a test, a script that set nothing) and where a request states no preference. */
export const DEFAULT_LANGUAGE: Language = 'en';

const current = new AsyncLocalStorage<Language>();
let processLanguage: Language = DEFAULT_LANGUAGE;

/** The language of the work being done: the request's, else the process's (set by a command's --lang). */
export function currentLanguage(): Language {
  return current.getStore() ?? processLanguage;
}

/** Runs `fn` (and everything it starts) in `language`. */
export function withLanguage<T>(language: Language, fn: () => T): T {
  return current.run(language, fn);
}

/** For command-line tools: the language of everything the process does outside a request. */
export function setProcessLanguage(language: Language): void {
  processLanguage = language;
}

/**
 * The language an `Accept-Language` header prefers among Thai and English (RFC 9110 weights, `th-TH`
 * counts as `th`); English when the header is missing or names neither.
 */
export function languageOf(acceptLanguage: string | string[] | null | undefined): Language {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage;
  if (!header) return DEFAULT_LANGUAGE;
  // English first: a bare `*` (any language) keeps the default.
  const preferred = new Negotiator({ headers: { 'accept-language': header } }).languages(['en', 'th']);
  return (preferred[0] as Language | undefined) ?? DEFAULT_LANGUAGE;
}

/** A command's language: `--lang th|en` if given, else the locale of its environment (LC_ALL, LC_MESSAGES, LANG). */
export function languageOfCommand(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Language {
  if (flag !== undefined) {
    if ((LANGUAGES as readonly string[]).includes(flag)) return flag as Language;
    throw new UnknownLanguage(flag);
  }
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('th') ? 'th' : DEFAULT_LANGUAGE;
}

export class UnknownLanguage extends Error {
  constructor(readonly value: string) {
    super(format('en', 'cli.lang.unknown', { value }));
  }
}

const formatters = new Map<string, IntlMessageFormat>();

function format(language: Language, key: MessageKey, values?: MessageValues): string {
  const id = `${language}\u0000${key}`;
  let formatter = formatters.get(id);
  if (!formatter) {
    const source = CATALOGUES[language][key] ?? CATALOGUES.en[key];
    if (source === undefined) throw new Error(`no message ${key} in the catalogues`);
    // Thai digits are not used in the registry: numbers are written with Arabic digits in both languages.
    formatter = new IntlMessageFormat(source, language === 'th' ? 'th-TH-u-nu-latn' : 'en', undefined, { ignoreTag: true });
    formatters.set(id, formatter);
  }
  return String(formatter.format(values));
}

/** The message `key` in the current language, with `values` put in its placeholders. */
export function t(key: MessageKey, values?: MessageValues): string {
  return format(currentLanguage(), key, values);
}

/** The message `key` in a given language (for answers built outside a request, e.g. a file for a clerk). */
export function tIn(language: Language, key: MessageKey, values?: MessageValues): string {
  return format(language, key, values);
}

/** Whether the catalogues have `key` (for keys made from data, such as `entity.${typename}`). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(CATALOGUES.en, key);
}
