import nodemailer from 'nodemailer'

export interface Mailer {
  /** `html`, when given, is sent beside the plain text as a multipart/alternative email. */
  send(to: string, subject: string, text: string, html?: string): Promise<void>
}

export interface MailLogger {
  info(details: Record<string, unknown>, message: string): void
}

/** Sends through SMTP_URL when configured; otherwise writes the email to the log, so a self-hoster can still copy links. */
export function createMailer(smtpUrl: string | undefined, log: MailLogger): Mailer {
  if (!smtpUrl) {
    return {
      // The plain-text part carries the same content and links as the HTML one: only it is logged.
      send: async (to, subject, text) => {
        log.info(
          { email: { to, subject, text } },
          `Email to ${to} (no SMTP_URL set, so logged): ${subject}\n${text}`,
        )
      },
    }
  }
  const transport = nodemailer.createTransport(smtpUrl)
  return {
    send: async (to, subject, text, html) => {
      await transport.sendMail({
        from: 'Tandem <no-reply@tandem.local>',
        to,
        subject,
        text,
        ...(html === undefined ? {} : { html }),
      })
    },
  }
}
