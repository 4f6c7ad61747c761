import { randomBytes } from 'node:crypto';
import { MalformedEmailError } from '../mail.errors';
import { assertEmailShape } from './email-shape.guard';

const refusal = (raw: Buffer) => {
  try {
    assertEmailShape(raw);
    return null;
  } catch (error) {
    return error;
  }
};

describe('assertEmailShape', () => {
  it('accepts a header section', () => {
    expect(refusal(Buffer.from('From: a@x.example\r\nSubject: hi\r\n\r\nbody'))).toBeNull();
  });

  it('accepts the mbox "From " line an MTA pipe may put first', () => {
    expect(refusal(Buffer.from('From bob@x.example Tue Mar  4 10:00:00 2025\nFrom: bob@x.example\n\nhi'))).toBeNull();
  });

  it.each([
    ['empty input', Buffer.alloc(0)],
    ['only whitespace', Buffer.from(' \r\n\t\r\n')],
    ['plain text', Buffer.from('hello world, this is not an email\n')],
    ['a blank first line', Buffer.from('\r\nFrom: a@x.example\r\n')],
    ['random bytes', randomBytes(4096)],
    ['NUL bytes in the header section', Buffer.from('From: a@x.example\r\nX: \u0000\u0000\r\n\r\n')],
  ])('refuses %s', (_, raw) => {
    expect(refusal(raw)).toBeInstanceOf(MalformedEmailError);
  });

  it('does not mind NUL bytes in the body', () => {
    expect(refusal(Buffer.from('From: a@x.example\r\n\r\nhi\u0000there'))).toBeNull();
  });
});
