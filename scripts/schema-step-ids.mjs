#!/usr/bin/env node
// Writes the step ids of src/messages/en.json (step.*, text.untranslated) into the `examples` of
// `$defs.step.properties.id` in schema/diagnose.json, check.json, scopes.json and explain.json: the schemas
// document the ids scripts switch on. test/messages.test.ts fails when they drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const en = JSON.parse(readFileSync(join(root, 'src/messages/en.json'), 'utf8'));
const ids = Object.keys(en).filter((id) => id.startsWith('step.') || id === 'text.untranslated');
for (const name of ['diagnose', 'check', 'scopes', 'explain']) {
  const file = join(root, 'schema', `${name}.json`);
  const schema = JSON.parse(readFileSync(file, 'utf8'));
  schema.$defs.step.properties.id.examples = ids;
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
}
console.log(`schema step ids: ${ids.length}`);
