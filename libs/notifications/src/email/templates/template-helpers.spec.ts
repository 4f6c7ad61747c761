import Handlebars from 'handlebars';
import { formatDate, formatFileSize, registerTemplateHelpers } from './template-helpers';

describe('template helpers', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [123_456, '121 KB'],
    [5 * 1024 * 1024, '5.0 MB'],
    [3 * 1024 ** 4, '3072 GB'],
    [-1, ''],
    [Number.NaN, ''],
  ])('formats %d bytes as %j', (bytes, expected) => {
    expect(formatFileSize(bytes)).toBe(expected);
  });

  it('formats dates in UTC, saying so', () => {
    expect(formatDate(new Date('2025-03-04T09:05:59Z'))).toBe('2025-03-04 09:05 UTC');
    expect(formatDate('2025-03-04T23:30:00+02:00')).toBe('2025-03-04 21:30 UTC');
    expect(formatDate('not a date')).toBe('');
    expect(formatDate(null)).toBe('');
  });

  it('keeps line breaks in HTML without letting markup through', () => {
    const handlebars = Handlebars.create();
    registerTemplateHelpers(handlebars);
    expect(handlebars.compile('{{nl2br body}}')({ body: 'a <b>\r\nc' })).toBe('a &lt;b&gt;<br>\nc');
  });

  it('picks the singular for exactly one', () => {
    const handlebars = Handlebars.create();
    registerTemplateHelpers(handlebars);
    const render = handlebars.compile('{{plural n "message" "messages"}}');
    expect([0, 1, 2].map((n) => render({ n }))).toEqual(['messages', 'message', 'messages']);
  });
});
