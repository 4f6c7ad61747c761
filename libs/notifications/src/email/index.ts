// Composing and sending notification emails: templates, threading, VERP bounce addresses,
// unsubscribe tokens and the SMTP adapter.
export { composeEmail, displayName, PLATFORM_DISPLAY_NAME } from './email-composer';
export type { ComposeEmailInput, ComposeEmailOptions } from './email-composer';

export { threadingHeaders, threadRootId, notificationMessageId, encodeIdPart } from './threading';
export type { ThreadingHeaders } from './threading';

export { bounceAddress, parseBounceAddress, BOUNCE_LOCAL_PREFIX, MAX_BOUNCE_DELIVERY_ID_CHARS } from './bounce-address';
export type { BounceAddressOptions } from './bounce-address';

export { signUnsubscribeToken, verifyUnsubscribeToken, UNSUBSCRIBE_TOKEN_VERSION } from './unsubscribe-token';
export type { UnsubscribePayload, UnsubscribeChannel } from './unsubscribe-token';

export { TemplateRenderer, TemplateError, toSubjectLine, MAX_SUBJECT_CHARS } from './templates/template-renderer';
export type { TemplateRendererOptions } from './templates/template-renderer';
export { TEMPLATE_KINDS, TEMPLATE_PARTS } from './templates/template-data';
export type { TemplateData, TemplateAttachment, TemplateKind, TemplatePart, TemplateSelector, RenderedEmail } from './templates/template-data';
export { DEFAULT_TEMPLATES } from './templates/default-templates';

export { SmtpEmailSender, createSmtpTransport, classifySmtpError } from './smtp-email-sender';
export type { SmtpEmailSenderOptions, SmtpTransport } from './smtp-email-sender';
