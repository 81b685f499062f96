/**
 * Chat text as people type it, made regular before the grammar reads it: the @bot mention removed,
 * invisible and control characters dropped, the full-width forms of the characters the grammar
 * looks for (＃ ： ／ ＠ ％, full-width digits and spaces) turned half-width, whitespace collapsed.
 * Other characters, such as the full-width commas of a note, stay as the user wrote them.
 */

// Zero-width, joiner, word-joiner, BOM, bidi marks and controls other than the line break.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

const FULL_WIDTH: Readonly<Record<string, string>> = { '＃': '#', '：': ':', '／': '/', '＠': '@', '％': '%', '\u3000': ' ', '＋': '+', '－': '-' };
const FULL_WIDTH_CHARS = new RegExp(`[${Object.keys(FULL_WIDTH).join('')}０-９]`, 'g');

function halfWidth(char: string): string {
  return FULL_WIDTH[char] ?? String.fromCharCode(char.charCodeAt(0) - 0xfee0);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Removes every `@<bot name>` (a name may contain spaces), then any leading @-mention before a command. */
function stripBotMention(text: string, botNames: readonly string[]): string {
  let stripped = text;
  for (const name of botNames.filter((n) => n.trim() !== '')) {
    stripped = stripped.replace(new RegExp(`@${escapeRegExp(name.trim())}(?=\\s|$|[/#])`, 'g'), ' ');
  }
  // An unconfigured or renamed bot: "@工单助手 /创建工单 …" still starts with its mention.
  return stripped.replace(/^\s*(?:@\S+\s+)+(?=[/#])/, '');
}

export function normalizeChatText(raw: string, botNames: readonly string[] = []): string {
  const visible = raw.replace(INVISIBLE, '').replace(FULL_WIDTH_CHARS, halfWidth);
  return stripBotMention(visible, botNames)
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}
