import { MAX_HTML_CHARS, htmlToChatText } from './html-text.converter';

const text = (html: string) => htmlToChatText(html).text;

describe('htmlToChatText', () => {
  it('keeps paragraphs apart', () => {
    expect(text('<p>Hi Jane,</p><p>Thursday works.</p>')).toBe('Hi Jane,\n\nThursday works.');
  });

  it('does not wrap long lines', () => {
    expect(text(`<p>${'word '.repeat(40).trim()}</p>`)).toBe('word '.repeat(40).trim());
  });

  it('writes a link as its text and address', () => {
    expect(text('<a href="https://careers.acme.example/jobs/1">the job</a>')).toBe('the job <https://careers.acme.example/jobs/1>');
  });

  it('writes a link whose text is its address once', () => {
    expect(text('<a href="https://acme.example">https://acme.example</a>')).toBe('https://acme.example');
  });

  it('writes a mailto link as the address', () => {
    expect(text('<a href="mailto:bob@acme.example">bob@acme.example</a>')).toBe('bob@acme.example');
  });

  it('drops tracking pixels', () => {
    expect(text('<p>Hi</p><img src="https://t.example/o.gif" width="1" height="1" alt="tracker">')).toBe('Hi');
  });

  it('drops images without alt text', () => {
    expect(text('<p>Hi</p><img src="https://acme.example/logo.png">')).toBe('Hi');
  });

  it('names an image by its alt text', () => {
    expect(text('<img src="cid:plan@x" alt="Floor plan" width="600">')).toBe('[image: Floor plan]');
  });

  it.each([
    ['style', '<style>p { color: red }</style><p>Hi</p>'],
    ['script', '<script>alert(1)</script><p>Hi</p>'],
    ['head and title', '<html><head><title>Mail</title></head><body><p>Hi</p></body></html>'],
    ['hidden preheaders', '<span style="display: none">preview text</span><div style="DISPLAY:NONE">x</div><p>Hi</p>'],
  ])('drops %s', (_, html) => {
    expect(text(html)).toBe('Hi');
  });

  it('writes a layout table one row per line', () => {
    expect(text('<table><tr><td>Location</td><td>Paris</td></tr><tr><td>Duration</td><td>90 min</td></tr></table>')).toBe('Location Paris\nDuration 90 min');
  });

  it('keeps headings in their own case', () => {
    expect(text('<h2>Next steps</h2>')).toBe('Next steps');
  });

  it('writes a blockquote as "> " lines, for the quote trimming', () => {
    expect(text('<p>Yes.</p><blockquote>Thursday?</blockquote>')).toBe('Yes.\n\n> Thursday?');
  });

  it('writes Outlook’s Word paragraphs as lines', () => {
    expect(text('<p class="MsoNormal">Kind regards,</p><p class="MsoNormal">Bob</p>')).toBe('Kind regards,\nBob');
  });

  it('decodes entities', () => {
    expect(text('<p>Caf&eacute; &amp; cr&#232;me&nbsp;br&ucirc;l&eacute;e</p>')).toBe('Café & crème\u00a0brûlée');
  });

  it('converts only the beginning of enormous HTML, and says so', () => {
    const result = htmlToChatText(`<p>${'x'.repeat(MAX_HTML_CHARS)}</p>`);
    expect([result.truncated, result.text.length < MAX_HTML_CHARS]).toEqual([true, true]);
  });
});
