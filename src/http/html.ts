import type { Language } from '../domain/language.js';

/**
 * Server-rendered HTML that is escaped by construction: every value put into an `html` template
 * is escaped unless it is itself `Html` (another template's result). Attribute values in the
 * templates are always quoted, so escaping the five characters below is enough.
 */
export class Html {
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

/** What a template accepts: text (escaped), markup, lists of either; null, undefined and false print nothing. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  return new Html(strings.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]!) : ''), ''));
}

export interface PageDocument {
  readonly title: string;
  readonly body: Html;
  readonly bodyClass: string;
  /** The page's one stylesheet, the service's own. */
  readonly stylesheet: string;
  readonly lang?: Language;
  /** Pages that are nobody's business but their reader's stay out of search engines. */
  readonly noindex?: boolean;
  /** The page's one script, the service's own, loaded deferred (most pages have none). */
  readonly script?: string;
}

/** A whole server-rendered page, phone first: no referrer, its own stylesheet only, at most a script of its own. */
export function pageDocument({ title, body, bodyClass, stylesheet, lang = 'zh', noindex = true, script }: PageDocument): Html {
  return html`<!doctype html>
<html lang="${lang === 'en' ? 'en' : 'zh-CN'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="no-referrer">
${noindex ? html`<meta name="robots" content="noindex, nofollow">
` : ''}<meta name="format-detection" content="telephone=no">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${stylesheet}">
${script ? html`<script src="${script}" defer></script>
` : ''}</head>
<body class="${bodyClass}">
${body}
</body>
</html>
`;
}
