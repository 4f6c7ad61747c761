import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TemplateData } from './template-data';
import { TemplateError, TemplateRenderer, toSubjectLine } from './template-renderer';

function aNewMessage(overrides: Partial<TemplateData> = {}): TemplateData {
  return {
    conversation: { id: 'c1', subject: 'Senior engineer role', useCase: 'recruiting' },
    recipient: { displayName: 'Bob Smith', email: 'bob@acme.example', alias: 'bob.x7k2@relay.example.com' },
    author: { displayName: 'Jane Doe' },
    message: {
      body: 'Hello Bob,\nare you free on Tuesday?',
      createdAt: new Date('2025-03-04T09:05:00Z'),
      attachments: [{ filename: 'cv.pdf', size: 123_456 }],
    },
    links: { unsubscribe: 'http://127.0.0.1:3000/notifications/unsubscribe?token=v1.abc.def' },
    ...overrides,
  };
}

function aReminder(overrides: Partial<TemplateData> = {}): TemplateData {
  return {
    ...aNewMessage(),
    reminder: { unreadCount: 3, stage: 1, oldestUnreadAt: '2025-03-03T08:00:00Z' },
    ...overrides,
  };
}

describe('TemplateRenderer with the built-in templates', () => {
  const renderer = new TemplateRenderer({});

  it('renders a new message: author, body, attachments, how to answer, unsubscribe link', () => {
    const email = renderer.render('new-message', { useCase: null }, aNewMessage());

    expect(email.subject).toBe('Re: Senior engineer role');
    expect(email.text).toContain('Jane Doe wrote:');
    expect(email.text).toContain('Hello Bob,\nare you free on Tuesday?');
    expect(email.text).toContain('- cv.pdf (121 KB)');
    expect(email.text).toContain('Reply to this email to answer in the conversation.');
    expect(email.text).toContain('http://127.0.0.1:3000/notifications/unsubscribe?token=v1.abc.def');
    expect(email.text).toContain('\n-- \n');
    expect(email.html).toContain('<strong style="color:#222222">Jane Doe</strong> wrote:');
    expect(email.html).toContain('Hello Bob,<br>\nare you free on Tuesday?');
    expect(email.html).toContain('cv.pdf');
    expect(email.html).toMatch(/<a href="http:\/\/127\.0\.0\.1:3000\/notifications\/unsubscribe\?token&#x3D;v1\.abc\.def"/);
  });

  it('loads nothing from elsewhere in the html', () => {
    const { html } = renderer.render('new-message', { useCase: null }, aNewMessage());
    expect(html).not.toMatch(/<img|<link|<script|url\(|src=/i);
  });

  it('escapes HTML in the html part only', () => {
    const data = aNewMessage({
      conversation: { id: 'c1', subject: 'Tom & Jerry <3', useCase: null },
      author: { displayName: '<script>alert(1)</script>' },
      message: { body: '<b>bold</b> & "quoted"', createdAt: new Date(), attachments: [{ filename: '<x>.pdf', size: 10 }] },
    });
    const email = renderer.render('new-message', { useCase: null }, data);

    expect(email.subject).toBe('Re: Tom & Jerry <3');
    expect(email.text).toContain('<script>alert(1)</script> wrote:');
    expect(email.text).toContain('<b>bold</b> & "quoted"');
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<b>bold</b>');
    expect(email.html).toContain('&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;');
    expect(email.html).toContain('&lt;x&gt;.pdf');
    expect(email.html).toContain('<title>Tom &amp; Jerry &lt;3</title>');
  });

  it('leaves out what the recipient cannot use: the reply line without an alias, the link without a token, an empty attachment list', () => {
    const data = aNewMessage({
      recipient: { displayName: 'Bob', email: 'bob@acme.example', alias: null },
      message: { body: 'Hi', createdAt: new Date(), attachments: [] },
      links: { unsubscribe: null },
    });
    const email = renderer.render('new-message', { useCase: null }, data);

    for (const part of [email.text, email.html]) {
      expect(part).not.toContain('Reply to this email');
      expect(part).not.toContain('Attachments');
      expect(part).not.toContain('unsubscribe');
    }
  });

  it('renders a reminder with the unread count', () => {
    const email = renderer.render('reminder', { useCase: null }, aReminder());

    expect(email.subject).toBe('Reminder: 3 unread messages in Senior engineer role');
    expect(email.text).toContain('You have 3 unread messages in "Senior engineer role", the oldest since 2025-03-03 08:00 UTC.');
    expect(email.text).toContain('Hello Bob,\nare you free on Tuesday?');
    expect(email.html).toContain('3 unread messages');
    expect(email.html).toContain('the oldest since 2025-03-03 08:00 UTC');
  });

  it('says "message" for a single unread message', () => {
    const email = renderer.render('reminder', { useCase: null }, aReminder({ reminder: { unreadCount: 1, stage: 2, oldestUnreadAt: null } }));
    expect(email.subject).toBe('Reminder: 1 unread message in Senior engineer role');
    expect(email.text).toContain('You have 1 unread message in "Senior engineer role".');
  });

  it('renders a reminder without a latest message', () => {
    const email = renderer.render('reminder', { useCase: null }, aReminder({ message: undefined, author: undefined }));
    expect(email.text).not.toContain('The latest');
    expect(email.html).not.toContain('The latest');
  });

  it('keeps the subject on one line, even when the conversation subject spans several', () => {
    const data = aNewMessage({ conversation: { id: 'c1', subject: 'Hello\r\nBcc: victim@example.com', useCase: null } });
    expect(renderer.render('new-message', { useCase: null }, data).subject).toBe('Re: Hello Bcc: victim@example.com');
  });

  it('refuses an unknown kind', () => {
    expect(() => renderer.render('digest' as never, { useCase: null }, aNewMessage())).toThrow(/Unknown notification template kind/);
  });
});

describe('toSubjectLine', () => {
  it('shortens to 200 characters with an ellipsis', () => {
    const subject = toSubjectLine('x'.repeat(500));
    expect(Array.from(subject)).toHaveLength(200);
    expect(subject.endsWith('…')).toBe(true);
  });

  it('never splits a character made of two UTF-16 units', () => {
    const subject = toSubjectLine('😀'.repeat(300));
    expect(Array.from(subject)).toHaveLength(200);
    expect(subject).toBe(`${'😀'.repeat(199)}…`);
  });

  it('removes control characters and collapses spaces', () => {
    expect(toSubjectLine('  a\tb\u0000c\u2028d   e \n')).toBe('a b c d e');
  });
});

describe('TemplateRenderer with custom templates', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'templates-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(path: string, content: string): void {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }

  it('prefers the campaign, then the use case, then the default directory, then the built-in', () => {
    write('campaigns/spring-2025/new-message.subject.hbs', 'campaign: {{conversation.subject}}');
    write('use-cases/recruiting/new-message.subject.hbs', 'use case: {{conversation.subject}}');
    write('default/new-message.subject.hbs', 'default: {{conversation.subject}}');
    const renderer = new TemplateRenderer({ templatesDir: dir });
    const subject = (selector: { useCase: string | null; campaign?: string | null }) => renderer.render('new-message', selector, aNewMessage()).subject;

    expect(subject({ useCase: 'recruiting', campaign: 'spring-2025' })).toBe('campaign: Senior engineer role');
    expect(subject({ useCase: 'recruiting', campaign: 'autumn' })).toBe('use case: Senior engineer role');
    expect(subject({ useCase: 'recruiting' })).toBe('use case: Senior engineer role');
    expect(subject({ useCase: 'sales', campaign: null })).toBe('default: Senior engineer role');
    expect(new TemplateRenderer({ templatesDir: null }).render('new-message', { useCase: 'recruiting' }, aNewMessage()).subject).toBe('Re: Senior engineer role');
  });

  it('resolves each part on its own: a custom html beside the built-in subject and text', () => {
    write('use-cases/recruiting/new-message.html.hbs', '<p>{{author.displayName}}: {{message.body}}</p>');
    const email = new TemplateRenderer({ templatesDir: dir }).render('new-message', { useCase: 'recruiting' }, aNewMessage({ author: { displayName: 'A & B' } }));

    expect(email.html).toBe('<p>A &amp; B: Hello Bob,\nare you free on Tuesday?</p>');
    expect(email.subject).toBe('Re: Senior engineer role');
    expect(email.text).toContain('A & B wrote:');
  });

  it('does not escape custom text and subject templates', () => {
    write('default/reminder.text.hbs', '{{author.displayName}} <{{recipient.email}}>');
    const email = new TemplateRenderer({ templatesDir: dir }).render('reminder', { useCase: null }, aReminder({ author: { displayName: 'A & B' } }));
    expect(email.text).toBe('A & B <bob@acme.example>');
  });

  it.each(['..', 'a/b', 'Recruiting', 'with space', 'a.b'])('ignores the unsafe name %j and falls through to the next level', (name) => {
    write('default/new-message.subject.hbs', 'default');
    // Where the name would lead if it were used as is.
    write(`use-cases/${name}/new-message.subject.hbs`, 'use case');
    write(`campaigns/${name}/new-message.subject.hbs`, 'campaign');
    const renderer = new TemplateRenderer({ templatesDir: dir });
    expect(renderer.render('new-message', { useCase: name, campaign: name }, aNewMessage()).subject).toBe('default');
  });

  it('never reads a template outside the directory', () => {
    const templatesDir = join(dir, 'templates');
    write('templates/default/new-message.subject.hbs', 'inside');
    write('new-message.subject.hbs', 'outside');
    const renderer = new TemplateRenderer({ templatesDir });
    expect(renderer.render('new-message', { useCase: '../..', campaign: '../..' }, aNewMessage()).subject).toBe('inside');
  });

  it('uses the built-in part when no directory level has it', () => {
    write('campaigns/spring-2025/reminder.text.hbs', 'custom text');
    const email = new TemplateRenderer({ templatesDir: dir }).render('reminder', { useCase: 'recruiting', campaign: 'spring-2025' }, aReminder());
    expect(email.text).toBe('custom text');
    expect(email.subject).toBe('Reminder: 3 unread messages in Senior engineer role');
  });

  it('reads and compiles a file once', () => {
    write('default/new-message.subject.hbs', 'first');
    const renderer = new TemplateRenderer({ templatesDir: dir });
    expect(renderer.render('new-message', { useCase: null }, aNewMessage()).subject).toBe('first');

    write('default/new-message.subject.hbs', 'second');
    expect(renderer.render('new-message', { useCase: null }, aNewMessage()).subject).toBe('first');
    expect(renderer.render('new-message', { useCase: 'other' }, aNewMessage()).subject).toBe('first');
  });

  it('names the file of a template that does not compile', () => {
    write('use-cases/recruiting/new-message.text.hbs', 'Hello {{#if author}}unclosed');
    const renderer = new TemplateRenderer({ templatesDir: dir });
    const render = () => renderer.render('new-message', { useCase: 'recruiting' }, aNewMessage());

    expect(render).toThrow(TemplateError);
    expect(render).toThrow(`Template ${join(dir, 'use-cases/recruiting/new-message.text.hbs')}: cannot be compiled`);
  });

  it('names the file of a template that fails to render', () => {
    write('default/reminder.html.hbs', '{{unknownHelper conversation.subject}}');
    const renderer = new TemplateRenderer({ templatesDir: dir });

    expect(() => renderer.render('reminder', { useCase: null }, aReminder())).toThrow(
      new RegExp(`Template ${join(dir, 'default/reminder.html.hbs')}: cannot be rendered: Missing helper: "unknownHelper"`),
    );
  });

  it('keeps a custom subject to one line of at most 200 characters', () => {
    write('default/new-message.subject.hbs', '{{conversation.subject}}\n{{message.body}}');
    const email = new TemplateRenderer({ templatesDir: dir }).render('new-message', { useCase: null }, aNewMessage({ conversation: { id: 'c', subject: 'y'.repeat(300), useCase: null } }));
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(Array.from(email.subject)).toHaveLength(200);
  });
});
