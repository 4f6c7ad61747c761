// Turning one raw inbound email into what the relay needs. Pure functions: no Nest, no I/O.
// Test fixtures and loadFixture live in ./testing (import it relatively; it is not part of this entry point).
export * from './mail.constants';
export * from './mail.errors';

export * from './parse-email/parsed-email.types';
export { parseEmail } from './parse-email/email.parser';
export { normalizeMessageId, parseMessageIds } from './parse-email/message-id.parser';
export { sanitizeAttachmentFilename } from './parse-email/attachment-filename.sanitizer';
export { decodeBytes, resolveCharset } from './parse-email/charset.decoder';

export * from './classify-email/email-classification.types';
export { classifyEmail } from './classify-email/email.classifier';
export { readDeliveryReport, type DeliveryReport } from './classify-email/delivery-report.reader';
export { isOutOfOfficeSubject } from './classify-email/auto-reply.signals';

export { toChatMessage, DEFAULT_MAX_BODY_CHARS } from './to-chat-message/chat-message.converter';
export type { ChatMessage, ChatMessageOptions } from './to-chat-message/chat-message.converter';

export * from './bounce/bounce-reason.enum';
export { buildBounce } from './bounce/bounce.builder';
export type { Bounce, BounceOptions, BounceOriginal } from './bounce/bounce.builder';
export { shouldBounce, bounceSuppressionReason } from './bounce/bounce.policy';
export type { BounceEnvelope } from './bounce/bounce.policy';
