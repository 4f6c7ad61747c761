import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { isDomainError } from '@libs/contracts';
import { UnsubscribeCommand } from '@libs/notifications';

/** The slice of Express's response this controller uses. */
interface HtmlResponse {
  status(code: number): HtmlResponse;
  type(type: string): HtmlResponse;
  send(body: string): unknown;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(title)}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em"><h1 style="font-size:1.3em">${escape(title)}</h1>${body}</body></html>`;

/**
 * The List-Unsubscribe target of notification emails. GET shows a confirmation button (mail
 * scanners follow links, so a GET never changes anything); POST turns email off for that seat,
 * which is also RFC 8058's one-click request (`List-Unsubscribe=One-Click`).
 */
@Controller('notifications/unsubscribe')
export class UnsubscribeController {
  constructor(private readonly commands: CommandBus) {}

  @Get()
  confirm(@Query('token') token: string | undefined, @Res() res: HtmlResponse): void {
    if (!token || token.length > 1_000) {
      res.status(400).type('html').send(page('Invalid unsubscribe link', '<p>Use the link from a recent notification email.</p>'));
      return;
    }
    res
      .status(200)
      .type('html')
      .send(
        page(
          'Stop email notifications?',
          `<p>You will no longer get email about new messages in this conversation. You can still reply to earlier emails.</p>` +
            `<form method="post" action="?token=${encodeURIComponent(token)}"><button type="submit">Unsubscribe</button></form>`,
        ),
      );
  }

  @Post()
  @HttpCode(200)
  async unsubscribe(@Query('token') token: string | undefined, @Res() res: HtmlResponse): Promise<void> {
    try {
      const { subject } = await this.commands.execute(new UnsubscribeCommand(String(token ?? '').slice(0, 1_000)));
      res.status(200).type('html').send(page('Unsubscribed', `<p>You will no longer get email notifications for “${escape(subject)}”.</p>`));
    } catch (error) {
      if (isDomainError(error) && error.code === 'INVALID_UNSUBSCRIBE_LINK') {
        res.status(400).type('html').send(page('Invalid unsubscribe link', `<p>${escape(error.message)}</p>`));
        return;
      }
      throw error;
    }
  }
}
