import { MongoClient } from 'mongodb';
import { parseEmail } from '@libs/mail';
import { FIXTURE_ALIAS, FixtureName, loadFixture } from '../../libs/mail/src/testing';
import { AppProcess, eventually, sleep } from '../support/app-process';
import { appEnv, runId } from '../support/env';
import { TEST_JWT_SECRET, graphqlOk, tokenFor } from '../support/graphql';
import { TEST_MAILGUN_SIGNING_KEY, postMailgun } from '../support/mailgun';

const DOMAIN = 'relay.example.com';
const CREATE = `mutation($input: CreateConversationInput!) { createConversation(input: $input) { id myAlias } }`;
const MESSAGES = `query($id: ID!) { conversation(id: $id) { myAlias messages(first: 100) { edges { node { body source author { email } attachments { filename contentType size sha256 } } } } } }`;

interface Attachment {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}
interface Message {
  body: string;
  source: string;
  author: { email: string };
  attachments: Attachment[];
}

/**
 * What real mail clients send, end to end: each fixture of libs/mail is posted through the real
 * Mailgun webhook to a conversation in which its sender is a participant, and the chat message is
 * read back over GraphQL. The expected bodies were written from reading the fixtures: the reply
 * only, quote and signature trimmed, HTML converted, charsets decoded.
 *
 * Every run swaps in its own sender addresses and aliases, so the raw bytes (and the ingress ids
 * derived from them) never collide with an earlier run's.
 */
describe('relay: what real mail clients send, end to end', () => {
  const run = runId('fixtures');
  const jane = { sub: `jane-${run}`, email: `jane.${run}@example.com` };
  const env = () =>
    appEnv({ JWT_SECRET: TEST_JWT_SECRET, MAILGUN_SIGNING_KEY: TEST_MAILGUN_SIGNING_KEY, ALIAS_DOMAIN: DOMAIN, KAFKA_RETRY_INITIAL_MS: '100' });
  let gateway: AppProcess;
  let relay: AppProcess;
  let janeToken: string;
  let mongo: MongoClient;

  /** The fixture's From address, and the per-run address that replaces it. */
  async function senderOf(name: FixtureName): Promise<{ original: string; address: string }> {
    const original = (await parseEmail(loadFixture(name))).from!.address;
    const [local, domain] = original.split('@');
    return { original, address: `${local}.${run}@${domain}`.toLowerCase() };
  }

  /** A conversation Jane starts with the fixture's sender; the sender's own alias is the one replied to. */
  async function conversationWith(senderEmail: string, subject: string) {
    const created = await graphqlOk(gateway.url, CREATE, { input: { subject, participants: [{ email: senderEmail, displayName: 'Fixture Sender' }] } }, janeToken);
    const senderToken = await tokenFor({ sub: `sender-${senderEmail}`, email: senderEmail });
    const senderAlias: string = (await graphqlOk(gateway.url, MESSAGES, { id: created.createConversation.id }, senderToken)).conversation.myAlias;
    return { id: created.createConversation.id as string, janeAlias: created.createConversation.myAlias as string, senderAlias };
  }

  const messagesOf = async (id: string): Promise<Message[]> =>
    (await graphqlOk(gateway.url, MESSAGES, { id }, janeToken)).conversation.messages.edges.map((e: { node: Message }) => e.node);

  const firstMessagesOf = (id: string, what: string) =>
    eventually(async () => {
      const list = await messagesOf(id);
      return list.length > 0 ? list : undefined;
    }, 60_000, what);

  async function outcomeOf(ingressId: string): Promise<{ status: string; statusReason: string | null }> {
    return eventually(
      async () => {
        const record = await mongo.db().collection('inbound_emails').findOne({ _id: ingressId as never });
        return record && !['received', 'queued'].includes(record.status as string) ? (record as unknown as { status: string; statusReason: string | null }) : undefined;
      },
      60_000,
      `the relay's outcome for ${ingressId}`,
    );
  }

  /**
   * The fixture with its sender and alias swapped for this run's (the alias alone makes the bytes
   * unique when the sender is kept), posted to the sender's alias or Jane's.
   */
  async function postFixture(name: FixtureName, options: { recipientOf?: 'sender' | 'jane'; aliasInHeaders?: string; keepSender?: boolean } = {}) {
    const sender = await senderOf(name);
    if (options.keepSender) sender.address = sender.original;
    const c = await conversationWith(sender.address, name);
    const recipient = options.recipientOf === 'jane' ? c.janeAlias : c.senderAlias;
    const raw = loadFixture(name, { replace: { [sender.original]: sender.address, [FIXTURE_ALIAS]: options.aliasInHeaders ?? recipient } });
    const answer = await postMailgun(gateway.url, raw, { recipient, sender: sender.address });
    expect(answer).toMatchObject({ status: 202, body: { id: expect.any(String) } });
    return { conversation: c, sender: sender.address, raw, recipient, ingressId: answer.body.id! };
  }

  beforeAll(async () => {
    mongo = await MongoClient.connect(appEnv().MONGO_URL!);
    [gateway, relay] = await Promise.all([AppProcess.start('gateway', env()), AppProcess.start('relay', env())]);
    janeToken = await tokenFor(jane);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), relay?.stop()]);
    await mongo?.close();
  });

  const PDF: Attachment = {
    filename: 'Offer letter – Jane Doe.pdf',
    contentType: 'application/pdf',
    size: 447,
    sha256: 'ab53b49b7e42925c2b304fa0739d241369f5723c5285ccf65965fd554465b17c',
  };
  const PNG: Attachment = { filename: 'floorplan.png', contentType: 'image/png', size: 79, sha256: 'be21aef17f0baf04b1bf148f8a23bda4e879b346a64637fdd711bea012e646a8' };
  // The closing boundary and the end of the base64 are missing: what arrived, decoded leniently (a trailing "R" group of two characters is one byte).
  const TRUNCATED_PDF: Attachment = {
    filename: 'notes.pdf',
    contentType: 'application/pdf',
    size: 1504,
    sha256: '7b08ac8d641ebf9087bace6338f2ddc60afc87b2dd4b2eaeb2601cdbf7d9fcaa',
  };

  // [fixture, the chat body, the attachments]
  const REPLIES: [FixtureName, string, Attachment[]][] = [
    ['gmail-reply', "Hi Jane,\n\nThursday at 10:00 works for us. We'll send you a calendar invite with the\nvideo link.\n\nBest,\nBob", []],
    ['gmail-android-reply', "Yes, Thursday works. I'll bring the signed forms.", []],
    // No "-- " delimiter: the closing and the signature block are kept (libs/mail README, Signatures).
    [
      'outlook-desktop-reply',
      'Hi Jane,\n\nYes, Thursday 10:00 is confirmed. Please bring a copy of your passport for the visitor badge.\n\nKind regards,\nBob Smith\nHead of Engineering | ACME Corp\n+44 20 7946 0000',
      [],
    ],
    ['outlook-web-reply', 'Hi Jane,\n\nQuick update: the interview moves to room 4.12 on the fourth floor.\n\nBob', []],
    ['apple-mail-reply', 'Hi Jane,\n\nPerfect — see you on Thursday. The office is at 12 Rue de la Paix; ask for me at the reception desk on the ground floor.\n\nBob', []],
    // Bottom-posted, format=flowed, "-- " signature.
    ['thunderbird-reply', 'Hi Jane,\n\nThanks for confirming. I have booked meeting room 3 for Thursday at 10:00 and our CTO, Priya, will join us for the second half of the interview.\n\nBob', []],
    ['iphone-reply', 'Sounds good, see you Thursday!', []],
    ['french-reply', "Bonjour Jane,\n\nJeudi à 10h me convient parfaitement. Je vous enverrai l'adresse exacte demain.\n\nCordialement,\nBob", []],
    ['german-reply', 'Hallo Jane,\n\nDonnerstag um 10:00 Uhr passt. Bitte bringen Sie Ihre Zeugnisse mit.\n\nMit freundlichen Grüßen\nBob Smith', []],
    ['spanish-reply', 'Hola Jane:\n\nSí, el jueves a las 10:00 me va perfecto. ¿Necesitas que te enviemos algo antes?\n\nSaludos,\nBob', []],
    [
      'html-only',
      'Hi Jane,\n\nYour interview is confirmed for Thursday, 6 March at 10:00.\n\n' +
        'Please confirm your attendance <https://careers.acme.example/interviews/8841/confirm?utm_source=email&utm_medium=ats> or write to recruiting@acme.example.\n\n' +
        'Location 12 Rue de la Paix, Paris\nDuration 90 minutes\n\nBob',
      [],
    ],
    ['iso-8859-1', "Bonjour Jane,\n\nJ'ai bien reçu votre CV. Nous serons ravis de vous rencontrer à Genève, près du Jet d'eau.\n\nAmitiés,\nAndré", []],
    ['windows-1252', 'Hi Jane,\n\nThe range for this role is €65,000–€75,000 … and it’s negotiable for the “right” candidate.\n\nBob', []],
    ['shift-jis', 'ジェーン様\n\n木曜日の10時で問題ありません。\nよろしくお願いいたします。\n\n山田', []],
    // Declared UTF-8, written in windows-1252.
    ['broken-charset', 'Hi Jane,\n\nThe relocation package covers your first month in a café-district flat – we’ll confirm the details naïvely soon.\n\nHR', []],
    ['unknown-charset', 'Bonjour Jane,\n\nVotre accès au portail candidat est prêt. Connectez-vous avec votre adresse électronique.\n\nLe service informatique', []],
    ['pdf-attachment', 'Hi Jane,\n\nPlease find your offer letter attached. Let us know if you have any questions.\n\nBob', [PDF]],
    ['inline-image', 'Hi Jane,\n\nHere is the floor plan: the meeting room is marked in red.\n\n[image: Floor plan]\n\nBob', [PNG]],
    ['no-message-id', 'Hi Jane, a quick note from our careers site: the interview stays at 10:00.\n\nBob', []],
    ['truncated-mime', 'Hi Jane,\n\nMy notes on your portfolio are attached.\n\nBob', [TRUNCATED_PDF]],
    ['nul-bytes', 'Hi Jane,\n\nSee you on Thursday.\n\nBob', []],
  ];

  it.each(REPLIES)('%s becomes one chat message by its sender: the reply only, decoded', async (name, body, attachments) => {
    const posted = await postFixture(name);
    const messages = await firstMessagesOf(posted.conversation.id, `the ${name} message`);
    expect(messages).toEqual([{ body, source: 'EMAIL', author: { email: posted.sender }, attachments }]);
    expect(await outcomeOf(posted.ingressId)).toMatchObject({ status: 'processed' });
  });

  it('the attachments expected above are what libs/mail decodes from the fixtures', async () => {
    for (const [name, , attachments] of REPLIES.filter(([, , a]) => a.length > 0)) {
      const parsed = await parseEmail(loadFixture(name));
      expect(parsed.attachments.map(({ filename, contentType, size, sha256 }) => ({ filename, contentType, size, sha256 }))).toEqual(attachments);
    }
  });

  it('routes a Bcc: the alias only in the envelope recipient, not in To or Cc', async () => {
    const posted = await postFixture('gmail-reply', { aliasInHeaders: `jane.${run}@example.com` });
    expect(posted.raw.toString('latin1')).not.toContain(posted.recipient);
    const messages = await firstMessagesOf(posted.conversation.id, 'the Bcc message');
    expect(messages).toEqual([expect.objectContaining({ body: REPLIES[0][1], author: { email: posted.sender } })]);
  });

  // Once with a Message-ID, once keyed by content: the provider retries (same bytes), and the
  // same mail arrives again through another relay hop (one more Received line, so another ingress id).
  it.each<FixtureName>(['gmail-reply', 'no-message-id'])('%s posted twice, and again through another hop, is one message', async (name) => {
    const posted = await postFixture(name);
    const again = await postMailgun(gateway.url, posted.raw, { recipient: posted.recipient, sender: posted.sender });
    expect(again).toMatchObject({ status: 202, body: { id: posted.ingressId } });
    const hop = Buffer.concat([Buffer.from(`Received: from mx2.acme.example by mx.${DOMAIN}; ${new Date().toUTCString()}\r\n`), posted.raw]);
    const third = await postMailgun(gateway.url, hop, { recipient: posted.recipient, sender: posted.sender });
    expect(third.status).toBe(202);
    expect(third.body.id).not.toBe(posted.ingressId);
    await firstMessagesOf(posted.conversation.id, `the ${name} message`);
    expect(await outcomeOf(third.body.id!)).toMatchObject({ status: 'processed' });
    await sleep(2_000);
    expect(await messagesOf(posted.conversation.id)).toHaveLength(1);
  });

  // [fixture, status, statusReason, whose alias it is sent to]
  const NOT_POSTED: [FixtureName, string, RegExp, 'sender' | 'jane'][] = [
    ['auto-reply-rfc3834', 'ignored', /^auto-reply:/, 'sender'],
    ['out-of-office-german', 'ignored', /^auto-reply:/, 'sender'],
    ['dsn', 'ignored', /^delivery-status:/, 'jane'],
    ['mailgun-spam', 'quarantined', /sflag/i, 'sender'],
    ['notification-loop', 'ignored', /^loop:/, 'jane'],
    ['newsletter', 'ignored', /^bulk:/, 'jane'],
  ];

  it.each(NOT_POSTED)('%s is not posted: the inbound record says %s', async (name, status, reason, recipientOf) => {
    // Automated senders keep their address: that it is MAILER-DAEMON or our platform address is part of the case.
    const posted = await postFixture(name, { recipientOf, keepSender: true });
    const outcome = await outcomeOf(posted.ingressId);
    expect(outcome).toMatchObject({ status, statusReason: expect.stringMatching(reason) });
    expect(await messagesOf(posted.conversation.id)).toEqual([]);
  });
});
