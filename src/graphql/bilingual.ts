/**
 * A schema description: Chinese first, for the teams who build on the API, then English.
 * `test/unit/schema-descriptions.test.ts` holds every type, field, argument and enum value to it.
 */
export const bilingual = (zh: string, en: string): string => `${zh}\n${en}`;
