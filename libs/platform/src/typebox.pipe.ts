import { Injectable, type PipeTransform } from '@nestjs/common';
import type { Static, TSchema } from '@sinclair/typebox';
import { validate, type ValidationIssue } from '@jobstream/contracts';
import { InvalidInputException } from './http-errors';

/** Validates a request part against the same TypeBox schema the OpenAPI/contract documents use. */
@Injectable()
export class TypeBoxPipe<T extends TSchema> implements PipeTransform<unknown, Static<T>> {
  constructor(
    private readonly schema: T,
    private readonly what = 'request body',
    /** Rules between fields that the schema can't state, checked once the schema holds. */
    private readonly rules?: (value: Static<T>) => ValidationIssue[],
  ) {}

  transform(value: unknown): Static<T> {
    const result = validate(this.schema, value, this.rules);
    if (!result.ok) throw new InvalidInputException(this.what, result.issues);
    return result.value;
  }
}
