#!/usr/bin/env node
// Regenerates src/events/validators.generated.ts from the built schemas (dist/).
// Usage: npm run gen:validators   (builds first)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateValidatorsModule } from '../dist/events/codegen.js';
import { EventDataSchemas } from '../dist/events/schemas.js';

const target = fileURLToPath(new URL('../src/events/validators.generated.ts', import.meta.url));
writeFileSync(target, generateValidatorsModule(EventDataSchemas));
console.log(`wrote ${target}`);
