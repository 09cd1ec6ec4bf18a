import { stringify } from 'yaml';
import { DeadLetterHeaders, EventSchemas, TopicCatalog, type EventType } from './catalog';
import { EnvelopeSchema, SCHEMA_VERSION } from './envelope';

/** Where the generated, committed contract documents live (relative to the repository root). */
export const CONTRACT_DOCS_DIR = 'libs/contracts/generated';

const SCHEMA_BASE = 'https://jobstream.dev/schemas/v1';

/** Drops TypeBox's symbol keys and orders nothing: the schemas are already deterministic. */
function plain(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/** The whole Kafka value of one event type: the envelope with `type` pinned and `data` typed. */
export function messageSchema(type: EventType): Record<string, unknown> {
  const envelope = plain(EnvelopeSchema);
  const properties = envelope.properties as Record<string, unknown>;
  const data = plain(EventSchemas[type]);
  delete data.$id;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${SCHEMA_BASE}/${type}.json`,
    title: type,
    description: data.description,
    type: 'object',
    required: envelope.required,
    properties: {
      ...properties,
      type: { const: type, description: 'Event type' },
      schemaVersion: { const: SCHEMA_VERSION, description: 'Major version of the event schema' },
      data,
    },
  };
}

function asyncApiDocument(): Record<string, unknown> {
  const messages: Record<string, unknown> = {};
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const topic of TopicCatalog) {
    const channelMessages: Record<string, unknown> = {};
    for (const type of topic.events) {
      const schema = messageSchema(type);
      delete schema.$schema;
      delete schema.$id;
      messages[type] = {
        name: type,
        title: type,
        summary: schema.description,
        contentType: 'application/json',
        headers: {
          type: 'object',
          properties: {
            type: { type: 'string', const: type },
            schemaVersion: { type: 'string', const: String(SCHEMA_VERSION) },
          },
        },
        payload: schema,
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
    operations[`send-${topic.name}`] = {
      action: 'send',
      title: `jobstream publishes to ${topic.name}`,
      channel: { $ref: `#/channels/${topic.name}` },
      messages: topic.events.map((type) => ({ $ref: `#/channels/${topic.name}/messages/${type}` })),
    };
  }
  messages['dead-letter'] = {
    name: 'dead-letter',
    title: 'Dead letter',
    summary: 'The original value and key, unchanged, with headers naming the error and where it came from.',
    contentType: 'application/json',
    headers: {
      type: 'object',
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
    },
    payload: { description: 'The original message value, byte for byte (may not be valid JSON)' },
  };
  channels['dead-letters'] = {
    address: 'dlq.{consumerGroup}',
    title: 'dead letters',
    description: 'Events a consumer group could not process, after validation failure or exhausted retries.',
    parameters: { consumerGroup: { description: 'The consumer group that gave up, e.g. listings' } },
    messages: { 'dead-letter': { $ref: '#/components/messages/dead-letter' } },
  };
  operations['send-dead-letters'] = {
    action: 'send',
    title: 'consumers park what they cannot process',
    channel: { $ref: '#/channels/dead-letters' },
    messages: [{ $ref: '#/channels/dead-letters/messages/dead-letter' }],
  };
  channels.redrives = {
    address: 'redrive.{consumerGroup}',
    title: 're-driven dead letters',
    description:
      'Dead letters an operator re-drives (`ops dlq redrive`). Only the group named in the address reads them, handling each as an event of its origin topic; one that fails again goes back to its dead-letter topic.',
    parameters: { consumerGroup: { description: 'The consumer group the letters are re-driven to, e.g. listings' } },
    messages: { 'dead-letter': { $ref: '#/components/messages/dead-letter' } },
  };
  operations['send-redrives'] = {
    action: 'send',
    title: 'operators re-drive dead letters to the group that parked them',
    channel: { $ref: '#/channels/redrives' },
    messages: [{ $ref: '#/channels/redrives/messages/dead-letter' }],
  };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'jobstream events',
      version: `${SCHEMA_VERSION}.0.0`,
      description:
        'Every write to jobstream becomes one of these events. Values are JSON envelopes (id, type, schemaVersion, occurredAt, source, key, data); `type` and `schemaVersion` also travel as headers. Within one major version, changes are additive only, so consumers must ignore fields they do not know.',
      license: { name: 'MIT' },
    },
    defaultContentType: 'application/json',
    servers: {
      local: { host: 'localhost:9092', protocol: 'kafka', description: 'scripts/engines.sh or docker compose' },
    },
    channels,
    operations,
    components: { messages },
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
