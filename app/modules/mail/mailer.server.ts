// Mail port. There is no mail service on this deployment yet: the logging adapter writes each message
// to the server log (and keeps the last few in memory), and the pages that send mail also show the link.
// An SMTP or API adapter implements the same interface.

export type MailMessage = { to: string; subject: string; text: string };

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export class LoggingMailer implements Mailer {
  /** The most recent messages, newest last (bounded), for the developer console and tests. */
  readonly sent: MailMessage[] = [];
  constructor(private readonly log: (line: string) => void = (line) => console.log(line), private readonly keep = 50) {}
  async send(message: MailMessage) {
    this.sent.push(message);
    if (this.sent.length > this.keep) this.sent.shift();
    this.log(`[mail] to=${message.to} subject=${JSON.stringify(message.subject)}\n${message.text}`);
  }
}

let instance: Mailer | undefined;
export function mailer(): Mailer {
  instance ??= new LoggingMailer();
  return instance;
}
