/** One mailbox as written in an address header; `name` is '' when there is none. */
export interface MailAddress {
  address: string;
  name: string;
}

/** Case-insensitive access to every header of the message, values unfolded and decoded. */
export interface EmailHeaders {
  /** The first value, or undefined when the header is absent. */
  get(name: string): string | undefined;
  /** Every value in message order; [] when absent. */
  getAll(name: string): readonly string[];
  has(name: string): boolean;
  /** Lower-cased names of the headers present, each once. */
  names(): readonly string[];
}

export interface EmailAttachment {
  /** Safe to use as a file name anywhere: no path, no control characters; `attachment-N` when the mail gave none. */
  filename: string;
  contentType: string;
  size: number;
  /** Hex SHA-256 of `content`, for the blob store and for de-duplication. */
  sha256: string;
  content: Buffer;
  /** The Content-ID without angle brackets, as `cid:` URLs in the HTML refer to it. */
  contentId?: string;
  /** Part of the message's rendering (inline disposition or multipart/related) rather than a file the sender attached. */
  inline: boolean;
}

export interface ParsedEmail {
  /** Normalised to one `<id@host>`; undefined when the mail has none (de-duplicate by content then). */
  messageId?: string;
  inReplyTo?: string;
  references: readonly string[];
  from?: MailAddress;
  replyTo: readonly MailAddress[];
  to: readonly MailAddress[];
  cc: readonly MailAddress[];
  /**
   * The envelope sender the final MTA recorded in Return-Path: '' for the null sender `<>` (bounces
   * and other automatic mail), undefined when the header is absent.
   */
  returnPath?: string;
  subject: string;
  date?: Date;
  headers: EmailHeaders;
  /** The text/plain part(s) as sent; undefined for HTML-only mail (never text derived from the HTML). */
  text?: string;
  html?: string;
  attachments: readonly EmailAttachment[];
}
