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

/**
 * Bounds any pay amount in any currency (a trillion covers the weakest currencies' top yearly
 * salaries). Without it a single 1e308 salary report turns a company's percentiles into Infinity,
 * and a posting's 1e43 pay range is accepted but refused by the search index's long field, leaving
 * an acknowledged posting out of search and without a page.
 */
export const MAX_PAY = 1e12;

export const Pay = (description: string) => Type.Number({ minimum: 0, maximum: MAX_PAY, description });

export const NonNegativeInt = (description: string) => Type.Integer({ minimum: 0, description });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
