import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { RenderedEmail } from './email-render.util';
import type { Person } from './email.job';

export interface OutgoingEmail extends RenderedEmail {
  to: Person[];
  /** Stable Message-ID per job: a resend after a crash is recognisable as the same message. */
  messageId: string;
}

/** Sends through SMTP (nodemailer). Resolves once the server accepted the message for delivery. */
export class Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    timeoutMs: number,
  ) {
    const options: SMTPPool.Options = {
      url: smtpUrl,
      pool: true,
      maxConnections: 4,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    };
    // No retries inside nodemailer: BullMQ owns retries and their backoff.
    this.transport = nodemailer.createTransport(options);
  }

  async send(email: OutgoingEmail): Promise<{ accepted: number; rejected: number }> {
    const info = (await this.transport.sendMail({
      from: this.from,
      to: email.to.map((p) => ({ name: p.name, address: p.email })),
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: email.messageId,
    })) as { accepted?: unknown[]; rejected?: unknown[] };
    return { accepted: info.accepted?.length ?? 0, rejected: info.rejected?.length ?? 0 };
  }

  close(): void {
    this.transport.close();
  }
}
