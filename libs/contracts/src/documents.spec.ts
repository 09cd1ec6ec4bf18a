import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { renderContractDocuments } from './documents';
import { EventSchemas, TopicCatalog } from './catalog';
import { ajv } from './validation';

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
});
