import { Type, type TSchema } from '@sinclair/typebox';

/**
 * Identifiers are opaque strings chosen by the writer (UUIDs, slugs, ATS ids). The pattern
 * keeps them URL- and key-safe and rules out operator-looking strings such as `$gt`.
 */
export const Id = (description: string) =>
  Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$', description });

/** Pseudonymous ids (viewers, candidates): an '@' is refused so an email can't slip in. */
export const PseudonymousId = (description: string) =>
  Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$', description });

export const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) });

export const TextList = (maxItems: number, maxLength: number, description?: string) =>
  Type.Array(Text(maxLength), { maxItems, ...(description ? { description } : {}) });

export const DateTime = (description: string) =>
  Type.String({ format: 'date-time', description });

export const Email = (description: string) =>
  Type.String({ format: 'email', maxLength: 254, description });

export const Url = (description: string) => Type.String({ format: 'uri', maxLength: 2048, description });

export const Currency = Type.String({
  pattern: '^[A-Z]{3}$',
  description: 'ISO 4217 currency code',
});

export const NonNegativeInt = (description: string) => Type.Integer({ minimum: 0, description });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
