/** The notifications an email template exists for. */
export const TEMPLATE_KINDS = ['new-message', 'reminder'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

/** The three parts of an email, each resolved and rendered on its own. */
export const TEMPLATE_PARTS = ['subject', 'text', 'html'] as const;
export type TemplatePart = (typeof TEMPLATE_PARTS)[number];

/** Picks custom templates: a campaign's win over its use case's, which win over the defaults. */
export interface TemplateSelector {
  useCase: string | null;
  campaign?: string | null;
}

/** What every template sees. Optional parts are absent when the kind of notification has none. */
export interface TemplateData {
  conversation: { id: string; subject: string; useCase: string | null };
  recipient: { displayName: string; email: string; alias: string | null };
  author?: { displayName: string };
  message?: { body: string; createdAt: Date | string; attachments: TemplateAttachment[] };
  /** `stage`: 1 for the first reminder (24 h by default), 2 for the second, … */
  reminder?: { unreadCount: number; stage: number; oldestUnreadAt: Date | string | null };
  links: { unsubscribe: string | null };
}

export interface TemplateAttachment {
  filename: string;
  /** Bytes. */
  size: number;
}

export interface RenderedEmail {
  /** One line, at most MAX_SUBJECT_CHARS characters. */
  subject: string;
  text: string;
  html: string;
}
