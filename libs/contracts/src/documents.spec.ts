import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { parse } from 'yaml';
import { messageSchema, renderContractDocuments } from './documents';
import { EventSchemas, TopicCatalog, type EventType } from './catalog';
import { Consumers, consumerGroupOf } from './consumers';
import { exampleEvent } from './examples';
import { ajv, decodeEvent } from './validation';

const root = join(__dirname, '..', '..', '..');

describe('generated contract documents', () => {
  const docs = renderContractDocuments();

  it('are committed and not stale (run `npm run contracts` after changing a schema)', () => {
    for (const [path, content] of docs) {
      expect({ path, content: readFileSync(join(root, path), 'utf8') }).toEqual({ path, content });
    }
  });

  it('are reproducible: two renders give identical bytes', () => {
    expect(renderContractDocuments()).toEqual(docs);
  });

  it('cover every event of the catalog, each schema compiling as JSON Schema', () => {
    const schemaFiles = [...docs.keys()].filter((p) => p.endsWith('.json'));
    expect(schemaFiles).toHaveLength(Object.keys(EventSchemas).length);
    for (const path of schemaFiles) {
      const schema = JSON.parse(docs.get(path)!);
      expect(() => ajv.compile({ ...schema, $id: undefined })).not.toThrow();
    }
  });

  it('is a valid AsyncAPI 3 document with every topic as a channel', async () => {
    const yaml = [...docs.entries()].find(([p]) => p.endsWith('asyncapi.yaml'))![1];
    const { document, diagnostics } = await new Parser().parse(yaml);
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors.map((e) => `${e.path.join('.')}: ${e.message}`)).toEqual([]);
    expect(document).toBeDefined();
    const addresses = document!.channels().all().map((c) => c.address());
    for (const topic of TopicCatalog) expect(addresses).toContain(topic.name);
    expect(addresses).toContain('dlq.{consumerGroup}');
    expect(document!.version()).toBe('3.0.0');
  });

  const asyncApiYaml = () => [...docs.entries()].find(([p]) => p.endsWith('asyncapi.yaml'))![1];

  it('gives every message an example that validates against its schema and decodes as an event', async () => {
    const { document } = await new Parser().parse(asyncApiYaml());
    for (const type of Object.keys(EventSchemas) as EventType[]) {
      const message = document!.components().messages().get(type)!;
      const examples = message.examples().all();
      expect({ type, examples: examples.length }).toEqual({ type, examples: 1 });
      const payload = examples[0].payload() as Record<string, unknown>;
      expect(payload).toEqual(exampleEvent(type));
      const check = ajv.compile({ ...messageSchema(type), $id: undefined, $schema: undefined });
      expect({ type, errors: check(payload) ? [] : check.errors }).toEqual({ type, errors: [] });
      const headers = examples[0].headers() as Record<string, string>;
      const checkHeaders = ajv.compile(message.headers()!.json());
      expect({ type, errors: checkHeaders(headers) ? [] : checkHeaders.errors }).toEqual({ type, errors: [] });
      expect(headers.eventId).toBe(payload.id);
      expect(decodeEvent(TopicCatalog.find((t) => t.events.includes(type))!.name, Buffer.from(JSON.stringify(payload))).ok).toBe(true);
    }
  });

  it('documents the eventId header as required on every event message', async () => {
    const { document } = await new Parser().parse(asyncApiYaml());
    for (const type of Object.keys(EventSchemas)) {
      const headers = document!.components().messages().get(type)!.headers()!.json<{ required: string[]; properties: Record<string, { format?: string }> }>();
      expect(headers.required).toEqual(expect.arrayContaining(['type', 'schemaVersion', 'eventId']));
      expect(headers.properties.eventId.format).toBe('uuid');
    }
  });

  it('names the envelope and its payload apart, and every nested object, so model generators need no anonymous classes', async () => {
    const { document } = await new Parser().parse(asyncApiYaml());
    for (const type of Object.keys(EventSchemas)) {
      const payload = document!.components().messages().get(type)!.payload()!;
      expect(payload.id()).toMatch(/Event$/);
      expect(Object.keys(payload.properties()!)).toEqual(expect.arrayContaining(['id', 'type', 'schemaVersion', 'occurredAt', 'source', 'key', 'data']));
      const data = payload.properties()!.data;
      expect(data.title()).not.toBe(payload.title());
      expect(data.title()).toBe(payload.title()!.replace(/Event$/, ''));
    }
    const anonymousObjects = document!
      .allSchemas()
      .all()
      .filter((s) => s.type() === 'object' && s.id().startsWith('<anonymous'))
      .map((s) => s.id());
    expect(anonymousObjects).toEqual([]);
  });

  it('forbids unknown fields nowhere: changes are additive at any depth', () => {
    for (const [path, content] of docs) expect({ path, closed: content.includes('additionalProperties: false') || content.includes('"additionalProperties": false') }).toEqual({ path, closed: false });
  });

  it('has a receive operation naming the consumer group for every row of the consumers table', () => {
    const doc = parse(asyncApiYaml()) as { operations: Record<string, { action: string; channel: { $ref: string }; messages: { $ref: string }[]; bindings?: { kafka: { groupId: { enum: string[] } } } }> };
    const receives = Object.values(doc.operations).filter((o) => o.action === 'receive' && o.bindings);
    expect(receives).toHaveLength(Consumers.length);
    for (const c of Consumers) {
      const group = consumerGroupOf(c, c.service);
      const op = receives.find((o) => o.channel.$ref === `#/channels/${c.topic}` && o.bindings!.kafka.groupId.enum[0] === group);
      expect({ group, topic: c.topic, found: op !== undefined }).toEqual({ group, topic: c.topic, found: true });
      expect(op!.messages.map((m) => m.$ref.split('/').pop()).sort()).toEqual([...c.events].sort());
    }
    for (const topic of TopicCatalog) {
      const groups = receives.filter((o) => o.channel.$ref === `#/channels/${topic.name}`).map((o) => o.bindings!.kafka.groupId.enum[0]);
      const expected = Consumers.filter((c) => c.topic === topic.name).map((c) => consumerGroupOf(c, c.service));
      expect({ topic: topic.name, groups: groups.sort() }).toEqual({ topic: topic.name, groups: expected.sort() });
    }
  });
});
