import { NOTIFICATION_HEADER } from '@libs/mail';
import { PermanentDeliveryError } from '../domain/delivery.errors';
import { parseBounceAddress } from './bounce-address';
import { ComposeEmailInput, ComposeEmailOptions, composeEmail, displayName } from './email-composer';
import { TemplateRenderer } from './templates/template-renderer';
import { verifyUnsubscribeToken } from './unsubscribe-token';

const options: ComposeEmailOptions = {
  domain: 'relay.example.com',
  fromAddress: 'notifications@relay.example.com',
  publicUrl: 'http://127.0.0.1:3000/',
  secret: 'notifier-secret',
  renderer: new TemplateRenderer({}),
};

function aNewMessage(overrides: Partial<ComposeEmailInput> = {}): ComposeEmailInput {
  return {
    kind: 'new-message',
    deliveryId: 'dlv_01hx9',
    conversation: { id: 'conv-1', subject: 'Senior engineer role', useCase: 'recruiting' },
    recipient: { participantId: 'p-bob', email: 'bob@acme.example', displayName: 'Bob Smith', alias: 'bob.x7k2@relay.example.com' },
    author: { displayName: 'Jane Doe' },
    message: { body: 'Are you free on Tuesday?', createdAt: new Date('2025-03-04T09:05:00Z'), attachments: [] },
    ...overrides,
  };
}

function aReminder(overrides: Partial<ComposeEmailInput> = {}): ComposeEmailInput {
  return { ...aNewMessage({ kind: 'reminder', author: undefined, message: undefined }), reminder: { unreadCount: 2, stage: 1, oldestUnreadAt: null }, ...overrides };
}

function unsubscribeToken(listUnsubscribe: string): string {
  const match = /^<http:\/\/127\.0\.0\.1:3000\/notifications\/unsubscribe\?token=([^>]+)>$/.exec(listUnsubscribe);
  if (!match) throw new Error(`unexpected List-Unsubscribe ${listUnsubscribe}`);
  return decodeURIComponent(match[1]);
}

describe('composeEmail', () => {
  it('sends from the platform address under the author’s name, to the recipient, Reply-To their alias', () => {
    const email = composeEmail(aNewMessage(), options);

    expect(email.from).toEqual({ name: 'Jane Doe', address: 'notifications@relay.example.com' });
    expect(email.to).toEqual({ name: 'Bob Smith', address: 'bob@acme.example' });
    expect(email.replyTo).toBe('bob.x7k2@relay.example.com');
  });

  it('has no Reply-To when the recipient has no alias', () => {
    const email = composeEmail(aNewMessage({ recipient: { ...aNewMessage().recipient, alias: null } }), options);
    expect(email.replyTo).toBeNull();
    expect(email.text).not.toContain('Reply to this email');
  });

  it('renders the templates chosen for the use case', () => {
    const render = jest.spyOn(options.renderer, 'render');
    const email = composeEmail(aNewMessage({ campaign: 'spring' }), options);

    expect(render).toHaveBeenCalledWith('new-message', { useCase: 'recruiting', campaign: 'spring' }, expect.objectContaining({ author: { displayName: 'Jane Doe' } }));
    expect(email.subject).toBe('Re: Senior engineer role');
    expect(email.text).toContain('Are you free on Tuesday?');
    expect(email.html).toContain('Are you free on Tuesday?');
    render.mockRestore();
  });

  it('threads every notification for this conversation and recipient under one root', () => {
    const first = composeEmail(aNewMessage(), options);
    const second = composeEmail(aNewMessage({ deliveryId: 'dlv_02' }), options);
    const otherRecipient = composeEmail(aNewMessage({ recipient: { ...aNewMessage().recipient, participantId: 'p-carol' } }), options);

    expect(first.messageId).toBe('<n.dlv_01hx9@relay.example.com>');
    expect(first.inReplyTo).toBe('<conversation.conv-1.p-bob@relay.example.com>');
    expect(first.references).toEqual(['<conversation.conv-1.p-bob@relay.example.com>']);
    expect(second.inReplyTo).toBe(first.inReplyTo);
    expect(otherRecipient.inReplyTo).not.toBe(first.inReplyTo);
  });

  it('composes the same email for the same delivery', () => {
    expect(composeEmail(aNewMessage(), options)).toEqual(composeEmail(aNewMessage(), options));
  });

  it('marks the email as automatic, ours, and unsubscribable in one click', () => {
    const { headers } = composeEmail(aNewMessage(), options);

    expect(headers).toEqual({
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      [NOTIFICATION_HEADER]: 'dlv_01hx9',
      'List-Id': '<conv-1.conversations.relay.example.com>',
      'List-Unsubscribe': expect.stringMatching(/^<http:\/\/127\.0\.0\.1:3000\/notifications\/unsubscribe\?token=/),
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(Object.keys(headers).map((name) => name.toLowerCase())).not.toContain('precedence');
  });

  it('links to an unsubscribe token for this conversation, participant and channel', () => {
    const email = composeEmail(aNewMessage(), options);
    const token = unsubscribeToken(email.headers['List-Unsubscribe']);

    expect(verifyUnsubscribeToken(token, options.secret)).toEqual({ conversationId: 'conv-1', participantId: 'p-bob', channel: 'email' });
    expect(email.text).toContain(email.headers['List-Unsubscribe'].slice(1, -1));
  });

  it('returns bounces to a VERP address naming the delivery', () => {
    const email = composeEmail(aNewMessage(), options);

    expect(email.envelopeFrom).toMatch(/^bounces\+dlv_01hx9\.[a-z2-7]{10}@relay\.example\.com$/);
    expect(parseBounceAddress(email.envelopeFrom, options)).toBe('dlv_01hx9');
  });

  it('sends reminders under the platform’s name', () => {
    const email = composeEmail(aReminder(), options);

    expect(email.from).toEqual({ name: 'Conversation Alias', address: 'notifications@relay.example.com' });
    expect(email.subject).toBe('Reminder: 2 unread messages in Senior engineer role');
    expect(email.inReplyTo).toBe('<conversation.conv-1.p-bob@relay.example.com>');
  });

  it('keeps a conversation id that is unsafe in a header valid in List-Id and the msg-ids', () => {
    const email = composeEmail(aNewMessage({ conversation: { id: 'urn:conv/1 2', subject: 'S', useCase: null } }), options);

    expect(email.headers['List-Id']).toMatch(/^<urn-conv-1-2-[0-9a-f]{12}\.conversations\.relay\.example\.com>$/);
    expect(email.inReplyTo).toMatch(/^<conversation\.urn-conv-1-2-[0-9a-f]{12}\.p-bob@relay\.example\.com>$/);
  });

  describe('header injection', () => {
    it('removes line breaks, quotes and angle brackets from display names', () => {
      const email = composeEmail(
        aNewMessage({
          author: { displayName: 'Jane "JD" Doe\r\nBcc: victim@example.com' },
          recipient: { ...aNewMessage().recipient, displayName: 'Bob <ceo@bank.example>\\' },
        }),
        options,
      );

      expect(email.from.name).toBe('Jane JD Doe Bcc: victim@example.com');
      expect(email.to.name).toBe('Bob ceo@bank.example');
    });

    it('falls back to the platform’s name when nothing of the author’s name is left', () => {
      expect(composeEmail(aNewMessage({ author: { displayName: ' "<>"\r\n ' } }), options).from.name).toBe('Conversation Alias');
    });

    it('keeps a conversation subject with line breaks on one line', () => {
      const email = composeEmail(aNewMessage({ conversation: { id: 'conv-1', subject: 'Hi\r\nBcc: victim@example.com', useCase: null } }), options);
      expect(email.subject).toBe('Re: Hi Bcc: victim@example.com');
    });

    it.each(['bob@acme.example\r\nBcc: victim@example.com', 'Bob <bob@acme.example>', 'bob@acme.example, eve@evil.example', 'not-an-address', ''])(
      'refuses the recipient address %j for good',
      (address) => {
        expect(() => composeEmail(aNewMessage({ recipient: { ...aNewMessage().recipient, email: address } }), options)).toThrow(PermanentDeliveryError);
      },
    );

    it('refuses an alias that would add a header', () => {
      const recipient = { ...aNewMessage().recipient, alias: 'bob@relay.example.com\r\nBcc: victim@example.com' };
      expect(() => composeEmail(aNewMessage({ recipient }), options)).toThrow(/alias is not a valid address/);
    });
  });

  it('refuses incomplete input', () => {
    expect(() => composeEmail(aNewMessage({ message: undefined }), options)).toThrow(/needs the message and its author/);
    expect(() => composeEmail(aReminder({ reminder: undefined }), options)).toThrow(/needs the reminder/);
  });

  it('refuses a delivery id that cannot be carried in a bounce address', () => {
    expect(() => composeEmail(aNewMessage({ deliveryId: 'Delivery:1' }), options)).toThrow(/cannot be carried/);
  });
});

describe('displayName', () => {
  it('keeps names that are safe as they are', () => {
    expect(displayName('José Müller-Lüdenscheidt, PhD')).toBe('José Müller-Lüdenscheidt, PhD');
  });

  it('shortens very long names to 100 characters', () => {
    expect(Array.from(displayName('é'.repeat(300)))).toHaveLength(100);
  });

  it('turns null into an empty name', () => {
    expect(displayName(null)).toBe('');
  });
});
