import { BounceReason } from './bounce-reason.enum';

export interface BounceContext {
  /** The sender's address, as they will recognise it. */
  sender: string;
  /** The address the mail was sent to, when known. */
  recipient?: string;
  maxMessageBytes?: number;
}

export interface BounceExplanation {
  problem: string;
  fix: string;
}

/**
 * What went wrong and how to fix it, in words for the person who sent the mail. Never names a
 * registered address or another participant: anyone can forge a sender, and the bounce goes to
 * whoever that is.
 */
export function explainBounce(reason: BounceReason, context: BounceContext): BounceExplanation {
  const to = context.recipient ? ` ${context.recipient}` : '';
  switch (reason) {
    case BounceReason.UnknownAlias:
      return {
        problem: `The address${to} does not exist.`,
        fix: 'Check the address for typos, or reply to the most recent notification email about the conversation: each one carries your current reply address.',
      };
    case BounceReason.RevokedAlias:
      return {
        problem: `The address${to} is no longer active: it has been revoked.`,
        fix: 'Reply to the most recent notification email about the conversation, which carries your current reply address, or open the conversation in the app.',
      };
    case BounceReason.UnknownSender:
      return {
        problem: `We could not match the address you wrote from (${context.sender}) to a participant of this conversation.`,
        fix: `Reply from the address you registered with us, the one our notification was sent to, or add ${context.sender} to your account and send your message again.`,
      };
    case BounceReason.NotAParticipant:
      return {
        problem: `${context.sender} is not a participant of this conversation, so your message was not posted.`,
        fix: 'Ask a participant to add you to the conversation, then reply to the notification email you receive.',
      };
    case BounceReason.TooLarge:
      return {
        problem: `Your message is larger than the ${formatSize(context.maxMessageBytes)} we accept, attachments included.`,
        fix: 'Send it again with fewer or smaller attachments, or share large files as a link.',
      };
    case BounceReason.EmptyAfterTrimming:
      return {
        problem: 'Your message contained no new text once the quoted earlier messages and your signature were removed, so nothing was posted.',
        fix: 'Write your reply above the quoted text and send it again.',
      };
  }
}

function formatSize(bytes: number | undefined): string {
  if (!bytes) return 'size';
  return bytes >= 1024 * 1024 ? `${Math.floor(bytes / (1024 * 1024))} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
