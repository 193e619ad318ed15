import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { methodNames } from '../src-shared/api';
import { renderApiDocs } from '../src-main/api/docs';

describe('docs/api.md', () => {
  const committed = fs.readFileSync('docs/api.md', 'utf8');

  it('documents every method of the contract', () => {
    const missing = methodNames.filter((m) => !committed.includes(`### \`${m}\``));
    expect(missing, 'methods missing from docs/api.md (run npm run docs:api)').toEqual([]);
  });

  it('is what the contract renders today (run npm run docs:api after changing the contract)', () => {
    expect(committed).toBe(renderApiDocs());
  });
});
