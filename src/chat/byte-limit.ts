/** WeCom counts message limits in UTF-8 bytes; a Chinese character is three of them. */
const encoder = new TextEncoder();

export const utf8Bytes = (text: string): number => encoder.encode(text).length;

export const TRUNCATION_MARKER = '…（内容过长，已截断）';

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes, marker included, so WeCom never rejects it. It is cut
 * between whole characters (emoji and other surrogate pairs are never split).
 */
export function fitBytes(text: string, maxBytes: number, marker: string = TRUNCATION_MARKER): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const budget = maxBytes - utf8Bytes(marker);
  if (budget <= 0) return '';
  let used = 0;
  let end = 0;
  for (const char of text) {
    const size = utf8Bytes(char);
    if (used + size > budget) break;
    used += size;
    end += char.length;
  }
  return `${text.slice(0, end)}${marker}`;
}
