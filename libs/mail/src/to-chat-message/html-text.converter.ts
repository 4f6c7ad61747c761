import { compile } from 'html-to-text';
import type { DomNode, FormatCallback, HtmlToTextOptions } from 'html-to-text';

/** Beyond this, HTML is markup and inline data rather than anything a person wrote to a chat. */
export const MAX_HTML_CHARS = 2_000_000;

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } }));

/** Images become "[image: alt]"; tracking pixels, spacers and images without alt text disappear. */
const chatImage: FormatCallback = (elem, _walk, builder) => {
  const attributes = attributesOf(elem);
  const alt = (attributes.alt ?? '').trim();
  if (alt === '' || isTrackingPixel(attributes)) return;
  builder.addInline(`[image: ${alt}]`);
};

const OPTIONS: HtmlToTextOptions = {
  // Chat clients wrap; hard line breaks at 80 columns would look broken there.
  wordwrap: false,
  formatters: { chatImage },
  selectors: [
    // "the job <https://…>", as mail clients write links in their text parts; "mailto:x" shown as x.
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, noAnchorUrl: true, linkBrackets: ['<', '>'] } },
    { selector: 'img', format: 'chatImage' },
    ...HEADINGS,
    // Word's paragraphs have no margins in Outlook: each is one line, not a paragraph.
    { selector: 'p.MsoNormal', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    // Layout tables (most HTML mail): one line per row, cells separated by a space.
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    ...['td', 'th'].map((selector) => ({ selector, format: 'inline' })),
    ...['td + td', 'th + th', 'th + td', 'td + th'].map((selector) => ({ selector, format: 'inlineSurround', options: { prefix: ' ' } })),
    // Preheaders and other hidden text, and what never renders: scripts, styles, forms' internals.
    { selector: '[style*="display:none" i]', format: 'skip' },
    { selector: '[style*="display: none" i]', format: 'skip' },
    { selector: '[hidden]', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'noscript', format: 'skip' },
    { selector: 'template', format: 'skip' },
    { selector: 'head', format: 'skip' },
    { selector: 'title', format: 'skip' },
    { selector: 'button', format: 'inline' },
  ],
};

const convert = compile(OPTIONS);

export interface HtmlText {
  text: string;
  /** The HTML was longer than `MAX_HTML_CHARS` and only its beginning was converted. */
  truncated: boolean;
}

/**
 * Plain text of an HTML mail body for a chat message. Blockquotes become "> " lines, so the same
 * quote trimming applies as for text parts.
 */
export function htmlToChatText(html: string): HtmlText {
  const truncated = html.length > MAX_HTML_CHARS;
  return { text: convert(truncated ? html.slice(0, MAX_HTML_CHARS) : html), truncated };
}

function attributesOf(elem: DomNode): Record<string, string | undefined> {
  return (elem.attribs as Record<string, string> | undefined) ?? {};
}

function isTrackingPixel(attributes: Record<string, string | undefined>): boolean {
  const tiny = (value: string | undefined) => value !== undefined && parseInt(value, 10) <= 1;
  const style = (attributes.style ?? '').replace(/\s+/g, '').toLowerCase();
  return tiny(attributes.width) || tiny(attributes.height) || style.includes('display:none') || /(?:^|;)(?:width|height):[01]px/.test(style);
}
