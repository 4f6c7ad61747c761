import type HandlebarsRuntime from 'handlebars';

type Handlebars = typeof HandlebarsRuntime;

/** Helpers available to every template, built-in or custom. */
export function registerTemplateHelpers(handlebars: Handlebars): void {
  /** HTML only: the text escaped, its line breaks kept as <br>. */
  handlebars.registerHelper('nl2br', (value: unknown) => {
    const escaped = handlebars.escapeExpression(value == null ? '' : String(value));
    return new handlebars.SafeString(escaped.replace(/\r?\n/g, '<br>\n'));
  });
  handlebars.registerHelper('fileSize', (bytes: unknown) => formatFileSize(Number(bytes)));
  handlebars.registerHelper('date', (value: unknown) => formatDate(value));
  /** `{{plural count "message" "messages"}}` */
  handlebars.registerHelper('plural', (count: unknown, singular: unknown, plural: unknown) =>
    Number(count) === 1 ? String(singular) : String(typeof plural === 'string' ? plural : `${String(singular)}s`),
  );
}

export function formatFileSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** `2025-03-04 09:05 UTC`: the recipient's time zone is unknown, so say which one it is. */
export function formatDate(value: unknown): string {
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) return '';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
