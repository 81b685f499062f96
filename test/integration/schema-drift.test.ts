import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildApiSchema } from '../../src/graphql/schema.js';

describe('committed artefacts match the code', () => {
  it('schema.graphql is the SDL the resolvers define (run `npm run schema`)', async () => {
    const emitted = `${printSchema(lexicographicSortSchema(await buildApiSchema()))}\n`;
    expect(await readFile('schema.graphql', 'utf8')).toBe(emitted);
  });

  it('the generated operation types are current (run `npm run codegen`)', async () => {
    const { config } = await loadCodegenConfig({ configFilePath: 'codegen.yml' });
    const outputs: { filename: string; content: string }[] = await generate({ ...config, silent: true }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) expect(await readFile(output.filename, 'utf8'), output.filename).toBe(output.content);
  });
});
