import { Type } from '@sinclair/typebox';
import { Id } from '@jobstream/contracts';

/** Bodies of ingest's 2xx answers, for the OpenAPI document (the handlers' return types, as schemas). */
const EventId = Type.String({ format: 'uuid', description: 'Id of the event published (UUIDv7)' });

export const Published = Type.Object({ eventId: EventId }, { description: 'The broker has the event' });

export const CompanyWritten = Type.Object({ eventId: EventId, companyId: Id('The company (generated when an operator gave none)') });

export const ReportPublished = Type.Object({ eventId: EventId, reportId: Id('The report id (generated when none was given)') });
export const ReviewPublished = Type.Object({ eventId: EventId, reviewId: Id('The review id (generated when none was given)') });

export const PostingWritten = Type.Object({
  postingId: Id('The posting'),
  revision: Type.Integer({ minimum: 1, description: 'Revision after the write' }),
  status: Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('closed'), Type.Literal('expired')]),
  result: Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('unchanged')]),
  eventIds: Type.Array(EventId, { description: 'Events published by this write (none when unchanged)' }),
});

const Issue = Type.Object({ path: Type.String({ description: 'JSON pointer of the field' }), message: Type.String() });

export const PostingBatchResult = Type.Object({
  results: Type.Array(
    Type.Object({
      index: Type.Integer({ minimum: 0, description: 'Position in the request' }),
      externalId: Type.Optional(Type.String()),
      statusCode: Type.Integer({ description: 'What a single create would have answered: 200, 202, 400, 403, 409, 500' }),
      postingId: Type.Optional(Type.String()),
      revision: Type.Optional(Type.Integer()),
      status: Type.Optional(Type.String()),
      result: Type.Optional(Type.String({ description: 'created, updated or unchanged' })),
      eventIds: Type.Optional(Type.Array(Type.String())),
      error: Type.Optional(Type.String()),
      message: Type.Optional(Type.String()),
      issues: Type.Optional(Type.Array(Issue)),
    }),
  ),
  summary: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'Count per result or error_<status>' }),
});

export const BeaconAnswer = Type.Object({
  accepted: Type.Integer({ minimum: 0 }),
  rejected: Type.Integer({ minimum: 0 }),
  results: Type.Array(
    Type.Union([
      Type.Object({ index: Type.Integer({ minimum: 0 }), eventId: EventId }),
      Type.Object({ index: Type.Integer({ minimum: 0 }), issues: Type.Array(Issue) }),
    ]),
  ),
});

export const ApplicationReceiptSchema = Type.Object({
  applicationId: Type.String({ format: 'uuid' }),
  receiptToken: Type.String({ description: 'Present it (x-receipt-token or Bearer) to read the outcome from listings; shown once' }),
  status: Type.Literal('pending'),
});
