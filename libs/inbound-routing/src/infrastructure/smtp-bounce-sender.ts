import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { BounceSender, OutgoingBounce } from '../domain/bounce.ports';

/** Sends bounce-backs over SMTP (SMTP_URL) with a null envelope sender, so they never bounce back. */
@Injectable()
export class SmtpBounceSender implements BounceSender, OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(smtpUrl: string) {
    this.transport = createTransport(smtpUrl);
  }

  async send(from: string, bounce: OutgoingBounce): Promise<void> {
    await this.transport.sendMail({
      from,
      to: bounce.to,
      subject: bounce.subject,
      text: bounce.text,
      headers: bounce.headers,
      // RFC 3834 §3.3: automatic responses go out with a null return path.
      envelope: { from: '', to: bounce.to },
    });
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
