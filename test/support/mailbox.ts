import { appEnv } from './env';

export interface MailboxMessage {
  ID: string;
  MessageID: string;
  From: { Name: string; Address: string };
  To: { Name: string; Address: string }[];
  Subject: string;
}

/** The SMTP catcher's Mailpit-compatible API (MAILBOX_URL). */
export class Mailbox {
  constructor(private readonly url = appEnv().MAILBOX_URL ?? 'http://127.0.0.1:8025') {}

  async messages(): Promise<MailboxMessage[]> {
    const response = await fetch(`${this.url}/api/v1/messages?limit=10000`);
    return ((await response.json()) as { messages: MailboxMessage[] }).messages;
  }

  async to(address: string): Promise<MailboxMessage[]> {
    return (await this.messages()).filter((m) => m.To.some((t) => t.Address.toLowerCase() === address.toLowerCase()));
  }

  async headers(id: string): Promise<Record<string, string[]>> {
    const response = await fetch(`${this.url}/api/v1/message/${id}/headers`);
    return (await response.json()) as Record<string, string[]>;
  }

  async text(id: string): Promise<string> {
    const response = await fetch(`${this.url}/api/v1/message/${id}`);
    return ((await response.json()) as { Text: string }).Text;
  }
}
