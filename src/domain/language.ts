/** The languages the customers' pages speak: Chinese first, English on request (?lang=en). */
export type Language = 'zh' | 'en';

/** The language a request asks for: English only when it says so. */
export const languageOf = (value: unknown): Language => (value === 'en' ? 'en' : 'zh');
