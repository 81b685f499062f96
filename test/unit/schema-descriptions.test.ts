import 'reflect-metadata';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isSpecifiedScalarType, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildApiSchema } from '../../src/graphql/schema.js';

/** Every type, field, argument, input field and enum value the API defines, by its coordinate, with its description. */
function schemaElements(schema: GraphQLSchema): [string, string | null | undefined][] {
  const elements: [string, string | null | undefined][] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    elements.push([type.name, type.description]);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        elements.push([`${type.name}.${field.name}`, field.description]);
        for (const arg of 'args' in field ? field.args : []) elements.push([`${type.name}.${field.name}(${arg.name}:)`, arg.description]);
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) elements.push([`${type.name}.${value.name}`, value.description]);
  }
  return elements;
}

/** A Chinese first line, for the people who build on the API, and an English last line. */
const isBilingual = (description: string): boolean => {
  const lines = description.split('\n');
  return lines.length >= 2 && /\p{Script=Han}/u.test(lines[0]!) && /[A-Za-z]{3,}/.test(lines.at(-1)!);
};

describe('the schema documents itself', async () => {
  const elements = schemaElements(await buildApiSchema());

  it('covers the whole API', () => {
    expect(elements.length).toBeGreaterThan(240);
    expect(elements.map(([coordinate]) => coordinate)).toEqual(expect.arrayContaining(['Query', 'Mutation.createTicket', 'PageInfo.hasPreviousPage', 'TicketStatus.RESOLVED', 'Query.tickets(last:)']));
  });

  it('describes every type, field, argument, input field and enum value', () => {
    expect(elements.filter(([, description]) => !description?.trim()).map(([coordinate]) => coordinate)).toEqual([]);
  });

  it('describes each in Chinese, then in English', () => {
    expect(elements.filter(([, description]) => description && !isBilingual(description)).map(([coordinate]) => coordinate)).toEqual([]);
  });
});
