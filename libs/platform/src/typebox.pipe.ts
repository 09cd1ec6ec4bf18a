import { Injectable, type PipeTransform } from '@nestjs/common';
import type { Static, TSchema } from '@sinclair/typebox';
import { validate } from '@jobstream/contracts';
import { InvalidInputException } from './http-errors';

/** Validates a request part against the same TypeBox schema the OpenAPI/contract documents use. */
@Injectable()
export class TypeBoxPipe<T extends TSchema> implements PipeTransform<unknown, Static<T>> {
  constructor(
    private readonly schema: T,
    private readonly what = 'request body',
  ) {}

  transform(value: unknown): Static<T> {
    const result = validate(this.schema, value);
    if (!result.ok) throw new InvalidInputException(this.what, result.issues);
    return result.value;
  }
}
