import type { TSchema } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { DeadLetterHeaders, EventSchemas, TopicCatalog, type EventType } from './catalog';
import { Consumers, Producers, consumerGroupOf, type ConsumerSpec, type ServiceName } from './consumers';
import { EnvelopeSchema, SCHEMA_VERSION } from './envelope';
import { exampleEvent } from './examples';
import { openSchema } from './validation';
import { Applicant, AppliedCompany, AppliedPosting } from './events/application.events';
import { ApplicationPolicy, CompanyGroup } from './events/company.events';
import { HiringTeamMember, PayRange } from './events/posting.events';
import { DailyPoint, ExperiencePercent, InterviewSummary, ReviewSummary, SalaryBreakdown, SalarySummary } from './events/snapshot.events';

/** Where the generated, committed contract documents live (relative to the repository root). */
export const CONTRACT_DOCS_DIR = 'libs/contracts/generated';

const SCHEMA_BASE = 'https://jobstream.dev/schemas/v1';

/** Drops TypeBox's symbol keys and orders nothing: the schemas are already deterministic. */
function plain(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/** `posting.apply-clicked` → `PostingApplyClicked`: a name every model generator accepts. */
export const pascalName = (type: string) =>
  type
    .split(/[.\-_]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** Component names of the nested objects, so model generators name their classes instead of inventing anonymous ones. */
const NestedObjects: Record<string, TSchema> = {
  Applicant,
  AppliedPosting,
  AppliedCompany,
  CompanyGroup,
  ApplicationPolicy,
  PayRange,
  HiringTeamMember,
  DailyPoint,
  SalaryBreakdown,
  SalarySummary,
  ReviewSummary,
  InterviewSummary,
  ExperiencePercent,
};

/** The whole Kafka value of one event type: the envelope with `type` pinned and `data` typed (self-contained JSON Schema). */
export function messageSchema(type: EventType): Record<string, unknown> {
  const envelope = plain(EnvelopeSchema);
  const properties = envelope.properties as Record<string, unknown>;
  const data = openSchema(plain(EventSchemas[type]));
  delete data.$id;
  data.title = pascalName(type);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${SCHEMA_BASE}/${type}.json`,
    title: `${pascalName(type)}Event`,
    description: data.description,
    type: 'object',
    required: envelope.required,
    properties: {
      ...properties,
      type: { type: 'string', const: type, description: 'Event type' },
      schemaVersion: { type: 'integer', minimum: SCHEMA_VERSION, maximum: SCHEMA_VERSION, description: `Major version of the event schema: ${SCHEMA_VERSION} for every event of this document` },
      data,
    },
  };
}

/**
 * Replaces every nested object schema by a `$ref` to its named component, collecting the
 * components. An object without a name fails generation: it would become an anonymous class.
 */
function hoist(schema: unknown, components: Record<string, unknown>, known: Map<string, string>, at: string): unknown {
  if (Array.isArray(schema)) return schema.map((s, i) => hoist(s, components, known, `${at}/${i}`));
  if (typeof schema !== 'object' || schema === null) return schema;
  const node = schema as Record<string, unknown>;
  if (node.type === 'object' && node.properties) {
    const name = known.get(JSON.stringify(node));
    if (!name) throw new Error(`contract documents: the object at ${at} has no component name; add it to NestedObjects`);
    if (!components[name]) components[name] = { ...hoistChildren(node, components, known, at), title: name };
    return { $ref: `#/components/schemas/${name}` };
  }
  return hoistChildren(node, components, known, at);
}

function hoistChildren(node: Record<string, unknown>, components: Record<string, unknown>, known: Map<string, string>, at: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties') {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([p, s]) => [p, hoist(s, components, known, `${at}/${p}`)]));
    } else out[k] = typeof v === 'object' ? hoist(v, components, known, `${at}/${k}`) : v;
  }
  return out;
}

const producerOf = (topic: string): ServiceName[] =>
  (Object.entries(Producers) as [ServiceName, readonly string[]][]).filter(([, topics]) => topics.includes(topic)).map(([service]) => service);

/** The group a row runs in with the service's default `KAFKA_GROUP_ID` (the service name). */
const defaultGroup = (c: ConsumerSpec) => consumerGroupOf(c, c.service);

function asyncApiDocument(): Record<string, unknown> {
  const messages: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const known = new Map(Object.entries(NestedObjects).map(([name, s]) => [JSON.stringify(openSchema(plain(s))), name]));

  const envelope = plain(EnvelopeSchema);
  const envelopeProps = envelope.properties as Record<string, unknown>;
  for (const topic of TopicCatalog) {
    const channelMessages: Record<string, unknown> = {};
    for (const type of topic.events) {
      const name = pascalName(type);
      const data = openSchema(plain(EventSchemas[type]));
      delete data.$id;
      schemas[name] = { ...hoistChildren(data, schemas, known, type), title: name };
      schemas[`${name}Event`] = {
        title: `${name}Event`,
        description: `The Kafka value of a ${type} event: the envelope, with the payload in \`data\`.`,
        type: 'object',
        required: envelope.required,
        properties: {
          ...envelopeProps,
          type: { type: 'string', const: type, description: 'Event type' },
          schemaVersion: { type: 'integer', minimum: SCHEMA_VERSION, maximum: SCHEMA_VERSION, description: `Major version of the event schema: ${SCHEMA_VERSION} for every event of this document` },
          data: { $ref: `#/components/schemas/${name}` },
        },
      };
      schemas[`${name}Headers`] = {
        title: `${name}Headers`,
        type: 'object',
        required: ['type', 'schemaVersion', 'eventId'],
        properties: {
          type: { type: 'string', const: type, description: 'Same as the value\'s `type`: route or filter without parsing the value' },
          schemaVersion: { type: 'string', const: String(SCHEMA_VERSION), description: 'Same as the value\'s `schemaVersion`, as a string' },
          eventId: { type: 'string', format: 'uuid', description: 'Same as the value\'s `id` (UUIDv7): dedupe without parsing the value' },
        },
      };
      const example = exampleEvent(type);
      messages[type] = {
        name,
        title: type,
        summary: data.description,
        contentType: 'application/json',
        headers: { $ref: `#/components/schemas/${name}Headers` },
        payload: { $ref: `#/components/schemas/${name}Event` },
        correlationId: { description: 'The event id, also in the `eventId` header', location: '$message.payload#/id' },
        examples: [
          {
            name: `${name}Example`,
            summary: `A ${type} event as it appears on ${topic.name}`,
            headers: { type, schemaVersion: String(SCHEMA_VERSION), eventId: example.id },
            payload: example,
          },
        ],
        bindings: { kafka: { key: { type: 'string', description: `data.${topic.keyField}` }, bindingVersion: '0.5.0' } },
      };
      channelMessages[type] = { $ref: `#/components/messages/${type}` };
    }
    channels[topic.name] = {
      address: topic.name,
      title: topic.name,
      description: `${topic.description} Key: ${topic.keyDescription}.${topic.restricted ? ' Restricted topic.' : ''}`,
      messages: channelMessages,
      bindings: {
        kafka: {
          topic: topic.name,
          partitions: topic.defaultPartitions,
          topicConfiguration: { 'cleanup.policy': [topic.compacted ? 'compact' : 'delete'] },
          bindingVersion: '0.5.0',
        },
      },
    };
    const producers = producerOf(topic.name);
    operations[`send-${topic.name}`] = {
      action: 'send',
      title: `${producers.join(' and ') || 'jobstream'} publishes to ${topic.name}`,
      channel: { $ref: `#/channels/${topic.name}` },
      messages: topic.events.map((type) => ({ $ref: `#/channels/${topic.name}/messages/${type}` })),
    };
  }
  for (const consumer of Consumers) {
    const group = defaultGroup(consumer);
    operations[`receive-${consumer.topic}-${group}`] = {
      action: 'receive',
      title: `${group} consumes ${consumer.topic}`,
      summary: `${consumer.service}: ${consumer.purpose}`,
      description: `Consumer group \`${group}\` (\`KAFKA_GROUP_ID\`${consumer.group ? `-${consumer.group}` : ''} of ${consumer.service}; \`KAFKA_GROUP_ID\` defaults to \`${consumer.service}\`). Events it cannot process go to \`dlq.${group}\`.`,
      channel: { $ref: `#/channels/${consumer.topic}` },
      messages: consumer.events.map((type) => ({ $ref: `#/channels/${consumer.topic}/messages/${type}` })),
      bindings: { kafka: { groupId: { type: 'string', enum: [group] }, bindingVersion: '0.5.0' } },
    };
  }
  const groups = [...new Set(Consumers.map(defaultGroup))].sort();
  schemas.DeadLetterHeaders = {
    title: 'DeadLetterHeaders',
    type: 'object',
    required: [DeadLetterHeaders.error, DeadLetterHeaders.originTopic, DeadLetterHeaders.originPartition, DeadLetterHeaders.originOffset, DeadLetterHeaders.consumerGroup, DeadLetterHeaders.attempts, DeadLetterHeaders.failedAt],
    properties: {
      [DeadLetterHeaders.error]: { type: 'string', description: 'Why the consumer gave up' },
      [DeadLetterHeaders.originTopic]: { type: 'string' },
      [DeadLetterHeaders.originPartition]: { type: 'string' },
      [DeadLetterHeaders.originOffset]: { type: 'string' },
      [DeadLetterHeaders.consumerGroup]: { type: 'string' },
      [DeadLetterHeaders.attempts]: { type: 'string' },
      [DeadLetterHeaders.failedAt]: { type: 'string', format: 'date-time' },
      [DeadLetterHeaders.redrivenAt]: { type: 'string', format: 'date-time', description: 'Set when an operator re-drove the letter' },
    },
    description: 'The original headers (type, schemaVersion, eventId when it was an event) travel along unchanged.',
  };
  schemas.DeadLetterValue = { title: 'DeadLetterValue', type: 'string', description: 'The original message value, byte for byte (may not be valid JSON)' };
  const deadLetterExample = exampleEvent('posting.published');
  messages['dead-letter'] = {
    name: 'DeadLetter',
    title: 'Dead letter',
    summary: 'The original value and key, unchanged, with headers naming the error and where it came from.',
    contentType: 'application/octet-stream',
    headers: { $ref: '#/components/schemas/DeadLetterHeaders' },
    payload: { $ref: '#/components/schemas/DeadLetterValue' },
    examples: [
      {
        name: 'DeadLetterExample',
        summary: 'A posting.published event the search projection gave up on',
        headers: {
          type: 'posting.published',
          schemaVersion: String(SCHEMA_VERSION),
          eventId: deadLetterExample.id,
          [DeadLetterHeaders.error]: 'search index refused the document: mapper_parsing_exception',
          [DeadLetterHeaders.originTopic]: 'postings',
          [DeadLetterHeaders.originPartition]: '1',
          [DeadLetterHeaders.originOffset]: '4182',
          [DeadLetterHeaders.consumerGroup]: 'listings-search',
          [DeadLetterHeaders.attempts]: '5',
          [DeadLetterHeaders.failedAt]: '2026-11-03T10:02:40.000Z',
        },
        payload: JSON.stringify(deadLetterExample),
      },
    ],
  };
  const groupParameter = (what: string) => ({ enum: groups, description: `${what}, with the services' default KAFKA_GROUP_ID` });
  channels['dead-letters'] = {
    address: 'dlq.{consumerGroup}',
    title: 'dead letters',
    description: 'Events a consumer group could not process, after validation failure or exhausted retries.',
    parameters: { consumerGroup: groupParameter('The consumer group that gave up') },
    messages: { 'dead-letter': { $ref: '#/components/messages/dead-letter' } },
  };
  operations['send-dead-letters'] = {
    action: 'send',
    title: 'consumers park what they cannot process',
    channel: { $ref: '#/channels/dead-letters' },
    messages: [{ $ref: '#/channels/dead-letters/messages/dead-letter' }],
  };
  operations['receive-dead-letters'] = {
    action: 'receive',
    title: 'operators inspect and re-drive dead letters (ops dlq)',
    channel: { $ref: '#/channels/dead-letters' },
    messages: [{ $ref: '#/channels/dead-letters/messages/dead-letter' }],
  };
  channels.redrives = {
    address: 'redrive.{consumerGroup}',
    title: 're-driven dead letters',
    description:
      'Dead letters an operator re-drives (`ops dlq redrive`). Only the group named in the address reads them, handling each as an event of its origin topic; one that fails again goes back to its dead-letter topic.',
    parameters: { consumerGroup: groupParameter('The consumer group the letters are re-driven to') },
    messages: { 'dead-letter': { $ref: '#/components/messages/dead-letter' } },
  };
  operations['send-redrives'] = {
    action: 'send',
    title: 'operators re-drive dead letters to the group that parked them',
    channel: { $ref: '#/channels/redrives' },
    messages: [{ $ref: '#/channels/redrives/messages/dead-letter' }],
  };
  operations['receive-redrives'] = {
    action: 'receive',
    title: 'each consumer group reads the letters re-driven to it',
    channel: { $ref: '#/channels/redrives' },
    messages: [{ $ref: '#/channels/redrives/messages/dead-letter' }],
  };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'jobstream events',
      version: `${SCHEMA_VERSION}.0.0`,
      description:
        'Every write to jobstream becomes one of these events. Values are JSON envelopes (id, type, schemaVersion, occurredAt, source, key, data); `type`, `schemaVersion` and `eventId` (the envelope id) also travel as headers. Within one major version, changes are additive only, at any depth, so consumers must ignore fields they do not know; no schema here forbids unknown fields. Every `receive` operation names a consumer group of jobstream itself.',
      license: { name: 'MIT' },
    },
    defaultContentType: 'application/json',
    servers: {
      local: { host: 'localhost:9092', protocol: 'kafka', description: 'scripts/engines.sh or docker compose' },
    },
    channels,
    operations,
    components: { schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))), messages },
  };
}

/** Every generated document, path → content; `npm run contracts` writes them, a test diffs them. */
export function renderContractDocuments(): Map<string, string> {
  const out = new Map<string, string>();
  for (const type of Object.keys(EventSchemas) as EventType[]) {
    out.set(`${CONTRACT_DOCS_DIR}/json-schema/${type}.json`, `${JSON.stringify(messageSchema(type), null, 2)}\n`);
  }
  out.set(`${CONTRACT_DOCS_DIR}/asyncapi.yaml`, stringify(asyncApiDocument(), { lineWidth: 0, aliasDuplicateObjects: false }));
  return out;
}
