import { GraphQLError } from 'graphql';
import { hasMessage, t, type MessageKey } from './i18n/index.ts';

/** Error codes of the API (DESIGN.md, API conventions). */
export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

export function badUserInput(field: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}

export function notFound(entity: string, id: string): GraphQLError {
  return new GraphQLError(t('error.notFound', { entity: entityName(entity), id: echo(id) }), {
    extensions: { code: 'NOT_FOUND', entity, id: echo(id) },
  });
}

/** The name of an entity type (Agency, Person …) in the current language; unknown names as they are. */
export function entityName(entity: string): string {
  const key = `entity.${entity}` as MessageKey;
  return hasMessage(key) ? t(key) : entity;
}

/** Longest part of a caller's value quoted back in a message. */
export const MAX_ECHO = 60;

/** A caller's value as a message quotes it: cut to MAX_ECHO characters, so a megabyte sent is not a megabyte returned. */
export function echo(value: unknown): string {
  const text = String(value);
  return text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}… (${text.length} characters)` : text;
}

/**
 * A write that would make a second live record with the natural key of an existing one (the key the
 * importer matches rows by): CONFLICT naming the existing record, so the caller changes that one.
 */
export function duplicateOf(entity: string, existingId: string, key: string): GraphQLError {
  return new GraphQLError(t('error.duplicateOf', { entity: entityName(entity), existingId, key }), {
    extensions: { code: 'CONFLICT', entity, existingId },
  });
}
