import { markQuotedReply } from './quote.trimmer';

/** The text that remains once quoted lines are removed, blank edges trimmed. */
function kept(text: string): string {
  const lines = text.split('\n');
  const quoted = markQuotedReply(lines);
  return lines.filter((_, i) => !quoted[i]).join('\n').trim();
}

const QUOTE = '> Can we meet on Thursday at 10:00?\n> Jane';

describe('markQuotedReply', () => {
  describe('attribution lines ("On … wrote:") with the quote below', () => {
    it.each([
      ['Gmail', 'On Mon, 3 Mar 2025 at 18:40, Jane Doe <jane@relay.example.com> wrote:'],
      ['Gmail, US format', 'On Mon, Mar 3, 2025 at 6:40 PM Jane Doe <jane@relay.example.com> wrote:'],
      ['Gmail, wrapped over two lines', 'On Mon, Mar 3, 2025 at 6:40 PM Jane Doe <\njane@relay.example.com> wrote:'],
      ['Gmail, wrapped before "wrote:"', 'On Mon, 3 Mar 2025 at 18:40, Jane Doe <jane@relay.example.com>\nwrote:'],
      ['Apple Mail', 'On 3 Mar 2025, at 18:40, Jane Doe <jane@relay.example.com> wrote:'],
      ['Thunderbird', 'On 03/03/2025 18:40, Jane Doe wrote:'],
      ['Yahoo', 'On Monday, March 3, 2025, 06:40:12 PM GMT+1, Jane Doe <jane@relay.example.com> wrote:'],
      ['French', 'Le lun. 3 mars 2025 à 18:40, Jane Doe <jane@relay.example.com> a écrit :'],
      ['French, Apple', 'Le 3 mars 2025 à 18:40, Jane Doe <jane@relay.example.com> a écrit :'],
      ['German, Gmail', 'Am Mo., 3. März 2025 um 18:40 Uhr schrieb Jane Doe <jane@relay.example.com>:'],
      ['German, Thunderbird', 'Am 03.03.25 um 18:40 schrieb Jane Doe:'],
      ['Spanish', 'El lun, 3 mar 2025 a las 18:40, Jane Doe (<jane@relay.example.com>) escribió:'],
      ['Dutch', 'Op ma 3 mrt 2025 om 18:40 schreef Jane Doe <jane@relay.example.com>:'],
      ['Italian', 'Il giorno lun 3 mar 2025 alle ore 18:40 Jane Doe <jane@relay.example.com> ha scritto:'],
      ['Portuguese', 'Em seg., 3 de mar. de 2025 às 18:40, Jane Doe <jane@relay.example.com> escreveu:'],
      ['Swedish', 'Den mån 3 mars 2025 kl 18:40 skrev Jane Doe <jane@relay.example.com>:'],
      ['Polish', 'W dniu 3.03.2025 o 18:40, Jane Doe <jane@relay.example.com> pisze:'],
      ['a bare name and address', 'Jane Doe <jane@relay.example.com> wrote:'],
    ])('removes a %s header and the quote', (_, header) => {
      expect(kept(`Thursday works.\n\n${header}\n\n${QUOTE}\n`)).toBe('Thursday works.');
    });
  });

  describe('Outlook header blocks with the earlier message unquoted below', () => {
    it.each([
      ['English', 'From: Jane Doe <jane@relay.example.com>\nSent: Monday, March 3, 2025 6:40 PM\nTo: Bob Smith <bob@acme.example>\nSubject: Interview'],
      ['English, names only', 'From: Jane Doe\nSent: Monday, March 3, 2025 6:40 PM\nTo: Bob Smith\nCc: Priya\nSubject: RE: Interview'],
      ['Outlook for Mac', 'From: Jane Doe <jane@relay.example.com>\nDate: Monday, 3 March 2025 at 18:40\nTo: Bob Smith <bob@acme.example>\nSubject: Interview'],
      ['bold, from Gmail’s text of an Outlook mail', '*From:* Jane Doe <jane@relay.example.com>\n*Sent:* Monday, March 3, 2025 6:40 PM\n*To:* Bob Smith\n*Subject:* Interview'],
      ['French', 'De : Jane Doe\nEnvoyé : lundi 3 mars 2025 18:40\nÀ : Bob Smith\nObjet : RE: Entretien'],
      ['German', 'Von: Jane Doe <jane@relay.example.com>\nGesendet: Montag, 3. März 2025 18:40\nAn: Bob Smith\nBetreff: AW: Termin'],
      ['Spanish', 'De: Jane Doe <jane@relay.example.com>\nEnviado: lunes, 3 de marzo de 2025 18:40\nPara: Bob Smith\nAsunto: RE: Entrevista'],
      ['Dutch', 'Van: Jane Doe <jane@relay.example.com>\nVerzonden: maandag 3 maart 2025 18:40\nAan: Bob Smith\nOnderwerp: RE: Sollicitatie'],
      ['Italian', 'Da: Jane Doe <jane@relay.example.com>\nInviato: lunedì 3 marzo 2025 18:40\nA: Bob Smith\nOggetto: R: Colloquio'],
      ['Portuguese', 'De: Jane Doe <jane@relay.example.com>\nEnviada em: segunda-feira, 3 de março de 2025 18:40\nPara: Bob Smith\nAssunto: RE: Entrevista'],
      ['an "Original Message" rule', '-----Original Message-----\nFrom: Jane Doe [mailto:jane@relay.example.com]\nSent: Monday, March 3, 2025 6:40 PM'],
      ['a German "Ursprüngliche Nachricht" rule', '-----Ursprüngliche Nachricht-----\nVon: Jane Doe'],
      ['a French "Message d’origine" rule', "-------- Message d'origine --------\nDe : Jane Doe"],
      ['a Spanish "Mensaje original" rule', '-------- Mensaje original --------\nDe: Jane Doe'],
    ])('removes an %s block and everything below', (_, header) => {
      expect(kept(`Thursday works.\n\n${header}\n\nCan we meet on Thursday?\n\nJane`)).toBe('Thursday works.');
    });

    it('removes the rule Outlook puts above the block', () => {
      expect(kept('Thursday works.\n________________________________\nFrom: Jane Doe\nSent: Monday\nSubject: Interview\n\nold')).toBe('Thursday works.');
    });
  });

  it('removes a trailing quoted block that has no header (iOS quotes the header too)', () => {
    expect(kept(`Sure.\n\n> On 3 Mar 2025, at 18:40, Jane <jane@relay.example.com> wrote:\n>\n${QUOTE}`)).toBe('Sure.');
  });

  it('keeps what was written below the quote when bottom-posting', () => {
    expect(kept(`On 03/03/2025 18:40, Jane Doe wrote:\n${QUOTE}\n\nThursday works.`)).toBe('Thursday works.');
  });

  it('keeps interleaved quotes as the context of each answer, dropping only the header', () => {
    const text = 'On 03/03/2025 18:40, Jane Doe wrote:\n> Thursday?\nYes.\n> At 10:00?\nBetter 11:00.';
    expect(kept(text)).toBe('> Thursday?\nYes.\n> At 10:00?\nBetter 11:00.');
  });

  it('keeps a forwarded message whole', () => {
    const text = 'FYI, see below.\n\n---------- Forwarded message ---------\nFrom: Priya <priya@acme.example>\nDate: Mon, 3 Mar 2025 at 18:40\nSubject: Feedback\nTo: Bob <bob@acme.example>\n\nJane did great.';
    expect(kept(text)).toBe(text);
  });

  it('keeps a message Outlook forwarded (Subject: FW:) whole', () => {
    const text = 'FYI.\n\nFrom: Priya\nSent: Monday, March 3, 2025 6:40 PM\nTo: Bob\nSubject: FW: Feedback\n\nJane did great.';
    expect(kept(text)).toBe(text);
  });

  it('keeps an Apple Mail forward whole', () => {
    const text = 'FYI.\n\nBegin forwarded message:\n\n> From: Priya <priya@acme.example>\n> Subject: Feedback\n>\n> Jane did great.';
    expect(kept(text)).toBe(text);
  });

  describe('prose that only looks like a header', () => {
    it.each([
      'On Monday the office is closed, so we wrote: please come Tuesday.',
      'On Monday I told Tom what he wrote:\nthat the role is filled.',
      'From: the whole team, congratulations!\nSee you soon.',
      'From: Jane\nThanks for the documents.',
      'Le bureau est fermé lundi.',
      '> quoted inline\nand answered below',
    ])('keeps %j', (text) => {
      expect(kept(text)).toBe(text);
    });
  });

  it('leaves nothing when the whole message is a quote', () => {
    expect(kept(`On Mon, 3 Mar 2025 at 18:40, Jane <jane@relay.example.com> wrote:\n${QUOTE}`)).toBe('');
  });

  it('ignores a header hidden inside quoted text', () => {
    expect(kept('Yes.\n> From: Jane\n> Sent: Monday\n> Subject: x\nAnd more.')).toBe('Yes.\n> From: Jane\n> Sent: Monday\n> Subject: x\nAnd more.');
  });
});
