import { repairBodyCharsets } from './charset-repair.transform';

const message = (headers: string, body: Buffer | string) => Buffer.concat([Buffer.from(`From: a@x.example\r\n${headers}\r\n\r\n`), Buffer.from(body as string, typeof body === 'string' ? 'latin1' : undefined)]);

const multipart = (parts: string) =>
  Buffer.from(`From: a@x.example\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n${parts}--b--\r\n`, 'latin1');

describe('repairBodyCharsets', () => {
  it('returns the input itself when every body part is what it declares', async () => {
    const raw = message('Content-Type: text/plain; charset=utf-8', Buffer.from('Café', 'utf8'));
    expect((await repairBodyCharsets(raw)).raw).toBe(raw);
  });

  it('relabels a Latin-1 body declared as UTF-8', async () => {
    const { raw } = await repairBodyCharsets(message('Content-Type: text/plain; charset=utf-8', 'Caf\xe9'));
    expect(raw.toString('latin1')).toMatch(/charset=windows-1252/i);
  });

  it('labels a body with no charset by its bytes', async () => {
    const { raw } = await repairBodyCharsets(message('Content-Type: text/plain', 'Caf\xe9'));
    expect(raw.toString('latin1')).toMatch(/charset=windows-1252/i);
  });

  it('looks through quoted-printable to the bytes', async () => {
    const { raw } = await repairBodyCharsets(message('Content-Type: text/plain; charset=utf8x\r\nContent-Transfer-Encoding: quoted-printable', 'Caf=C3=A9'));
    expect(raw.toString('latin1')).toMatch(/charset=utf-8/i);
  });

  it('changes nothing but the charset parameter', async () => {
    const { raw } = await repairBodyCharsets(message('Content-Type: text/plain; charset=utf-8', 'Caf\xe9 au lait\r\n'));
    expect(raw.toString('latin1')).toMatch(/\r\n\r\nCaf\xe9 au lait\r\n$/);
  });

  it('leaves attachments alone, even text ones', async () => {
    const raw = multipart('--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhi\r\n--b\r\nContent-Type: text/csv; charset=utf-8\r\nContent-Disposition: attachment; filename=a.csv\r\n\r\nCaf\xe9\r\n');
    expect((await repairBodyCharsets(raw)).repaired).toBe(false);
  });

  it('tells whether the mail has a text part and an HTML part', async () => {
    const raw = multipart('--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>hi</p>\r\n');
    const { hasTextPart, hasHtmlPart } = await repairBodyCharsets(raw);
    expect({ hasTextPart, hasHtmlPart }).toEqual({ hasTextPart: false, hasHtmlPart: true });
  });

  it('treats a message without Content-Type as a text part', async () => {
    expect((await repairBodyCharsets(Buffer.from('From: a@x.example\r\n\r\nhi\r\n'))).hasTextPart).toBe(true);
  });
});
