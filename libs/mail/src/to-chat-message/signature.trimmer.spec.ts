import { markSignature } from './signature.trimmer';

function kept(text: string, removed?: boolean[]): string {
  const lines = text.split('\n');
  const flags = removed ?? lines.map(() => false);
  markSignature(lines, flags);
  return lines.filter((_, i) => !flags[i]).join('\n').trim();
}

describe('markSignature', () => {
  it('removes an RFC 3676 "-- " signature', () => {
    expect(kept('See you then.\n\n-- \nBob Smith\nACME Corp')).toBe('See you then.');
  });

  it('removes a "--" signature whose trailing space a client dropped', () => {
    expect(kept('See you then.\n--\nBob Smith')).toBe('See you then.');
  });

  it('keeps a "--" line followed by more than a signature’s worth of text', () => {
    const text = `Agenda\n--\n${Array.from({ length: 12 }, (_, i) => `item ${i}`).join('\n')}`;
    expect(kept(text)).toBe(text);
  });

  it.each([
    'Sent from my iPhone',
    'Sent from my iPad',
    'Sent from my Samsung Galaxy smartphone.',
    'Sent from Mail for Windows',
    'Sent from Yahoo Mail on Android',
    'Sent with Proton Mail secure email.',
    'Get Outlook for iOS',
    'Get Outlook for Android<https://aka.ms/AAb9ysg>',
    'Von meinem iPhone gesendet',
    'Gesendet von meinem iPhone',
    'Envoyé de mon iPhone',
    'Télécharger Outlook pour iOS',
    'Enviado desde mi iPhone',
    'Enviado do meu iPhone',
    'Verzonden vanaf mijn iPhone',
    'Verstuurd vanaf mijn iPad',
    'Inviato da iPhone',
    'Inviato dal mio Samsung Galaxy',
    'Skickat från min iPhone',
  ])('removes the mobile footer %j', (footer) => {
    expect(kept(`Sure, Thursday.\n\n${footer}`)).toBe('Sure, Thursday.');
  });

  it('keeps a footer-like sentence in the middle of a message', () => {
    const text = 'Sent from my iPhone, so excuse typos.\nLine 2\nLine 3\nLine 4\nLine 5';
    expect(kept(text)).toBe(text);
  });

  it('keeps "Sent from" followed by a place', () => {
    expect(kept('Hi.\n\nSent from Paris with love')).toBe('Hi.\n\nSent from Paris with love');
  });

  it('keeps closing words like "Kind regards" and what follows them', () => {
    expect(kept('Thanks.\n\nKind regards,\nBob\n\nPS: bring your passport.')).toBe('Thanks.\n\nKind regards,\nBob\n\nPS: bring your passport.');
  });

  it('removes a rule left dangling at the end', () => {
    expect(kept('Thanks.\n________________________________')).toBe('Thanks.');
  });

  it('only looks at lines still kept', () => {
    expect(kept('Thanks.\n\nSent from my iPhone\n> quoted\n> more\n> more', [false, false, false, true, true, true])).toBe('Thanks.');
  });
});
