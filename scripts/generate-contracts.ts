// Writes the public JSON Schema and AsyncAPI documents from libs/contracts (npm run contracts).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CONTRACT_DOCS_DIR, renderContractDocuments } from '../libs/contracts/src/documents';

const root = resolve(__dirname, '..');
const docs = renderContractDocuments();
// Remove documents of events that no longer exist so the folder mirrors the catalog exactly.
const schemaDir = join(root, CONTRACT_DOCS_DIR, 'json-schema');
mkdirSync(schemaDir, { recursive: true });
for (const file of readdirSync(schemaDir)) {
  if (!docs.has(`${CONTRACT_DOCS_DIR}/json-schema/${file}`)) rmSync(join(schemaDir, file));
}
for (const [path, content] of docs) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}
console.log(`wrote ${docs.size} contract documents to ${CONTRACT_DOCS_DIR}`);
