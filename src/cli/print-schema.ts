/** Prints the GraphQL SDL that the code defines; `npm run schema` writes it to schema.graphql. */
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildApiSchema } from '../graphql/schema.js';

process.stdout.write(`${printSchema(lexicographicSortSchema(await buildApiSchema()))}\n`);
