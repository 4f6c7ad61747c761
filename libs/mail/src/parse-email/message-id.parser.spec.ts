import { normalizeMessageId, parseMessageIds } from './message-id.parser';

describe('normalizeMessageId', () => {
  it('trims around a bracketed id', () => {
    expect(normalizeMessageId('   <abc@x.example>  ')).toBe('<abc@x.example>');
  });

  it('finds the id inside a phrase written by an old mailer', () => {
    expect(normalizeMessageId("Jane's message of Mon, 3 Mar <b@x.example>")).toBe('<b@x.example>');
  });

  it('adds the brackets a broken mailer left out', () => {
    expect(normalizeMessageId('abc@x.example')).toBe('<abc@x.example>');
  });

  it('is undefined for nothing usable', () => {
    expect([normalizeMessageId(undefined), normalizeMessageId(''), normalizeMessageId('no id here')]).toEqual([undefined, undefined, undefined]);
  });

  it('keeps the case of the id (ids are case-sensitive)', () => {
    expect(normalizeMessageId('<CAF3xQ+kq9@Mail.Gmail.com>')).toBe('<CAF3xQ+kq9@Mail.Gmail.com>');
  });
});

describe('parseMessageIds', () => {
  it('reads every id of a folded References header, in order', () => {
    expect(parseMessageIds('<a@x>  <b@x>\t<c@x>')).toEqual(['<a@x>', '<b@x>', '<c@x>']);
  });

  it('drops repeats', () => {
    expect(parseMessageIds('<a@x> <b@x> <a@x>')).toEqual(['<a@x>', '<b@x>']);
  });

  it('splits bare ids on spaces and commas', () => {
    expect(parseMessageIds('a@x, b@x')).toEqual(['<a@x>', '<b@x>']);
  });

  it('ignores comments', () => {
    expect(parseMessageIds('<a@x> (forwarded)')).toEqual(['<a@x>']);
  });
});
