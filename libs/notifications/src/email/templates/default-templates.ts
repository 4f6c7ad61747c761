import { TemplateKind, TemplatePart } from './template-data';

/**
 * The built-in templates, used for every part no custom template overrides. Kept as code so they
 * ship with the build. HTML stays small, with inline styles and no external resources (images,
 * fonts, CSS): mail clients block those, and they would tell a sender when an email is opened.
 *
 * Helpers (template-helpers.ts): `nl2br` (HTML only), `fileSize`, `date`, `plural`.
 * The text footer starts with "-- " so mail clients leave it out of a quoted reply.
 */
const NEW_MESSAGE_SUBJECT = `{{#if conversation.subject}}Re: {{conversation.subject}}{{else}}New message{{#if author}} from {{author.displayName}}{{/if}}{{/if}}`;

const NEW_MESSAGE_TEXT = `{{#if author}}{{author.displayName}} wrote:{{else}}New message:{{/if}}

{{message.body}}
{{#if message.attachments.length}}

Attachments:
{{#each message.attachments}}
- {{filename}} ({{fileSize size}})
{{/each}}
{{/if}}

-- 
{{#if recipient.alias}}
Reply to this email to answer in the conversation.
{{/if}}
{{#if links.unsubscribe}}
Stop email notifications for this conversation: {{links.unsubscribe}}
{{/if}}
`;

const NEW_MESSAGE_HTML = `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{conversation.subject}}</title></head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#222222">
<p style="margin:0 0 12px;color:#555555">{{#if author}}<strong style="color:#222222">{{author.displayName}}</strong> wrote:{{else}}New message:{{/if}}</p>
<div style="margin:0 0 16px">{{nl2br message.body}}</div>
{{#if message.attachments.length}}
<p style="margin:0 0 4px;color:#555555">Attachments:</p>
<ul style="margin:0 0 16px;padding-left:20px">
{{#each message.attachments}}
<li>{{filename}} <span style="color:#888888">({{fileSize size}})</span></li>
{{/each}}
</ul>
{{/if}}
<hr style="border:0;border-top:1px solid #dddddd;margin:16px 0">
{{#if recipient.alias}}
<p style="margin:0 0 4px;font-size:12px;color:#888888">Reply to this email to answer in the conversation.</p>
{{/if}}
{{#if links.unsubscribe}}
<p style="margin:0;font-size:12px;color:#888888"><a href="{{links.unsubscribe}}" style="color:#888888">Stop email notifications for this conversation</a></p>
{{/if}}
</body>
</html>
`;

const REMINDER_SUBJECT = `Reminder: {{reminder.unreadCount}} unread {{plural reminder.unreadCount "message" "messages"}} in {{conversation.subject}}`;

const REMINDER_TEXT = `You have {{reminder.unreadCount}} unread {{plural reminder.unreadCount "message" "messages"}} in "{{conversation.subject}}"{{#if reminder.oldestUnreadAt}}, the oldest since {{date reminder.oldestUnreadAt}}{{/if}}.
{{#if message}}

The latest{{#if author}}, from {{author.displayName}}{{/if}}:

{{message.body}}
{{/if}}

-- 
{{#if recipient.alias}}
Reply to this email to answer in the conversation.
{{/if}}
{{#if links.unsubscribe}}
Stop email notifications for this conversation: {{links.unsubscribe}}
{{/if}}
`;

const REMINDER_HTML = `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{conversation.subject}}</title></head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#222222">
<p style="margin:0 0 12px">You have <strong>{{reminder.unreadCount}} unread {{plural reminder.unreadCount "message" "messages"}}</strong> in &ldquo;{{conversation.subject}}&rdquo;{{#if reminder.oldestUnreadAt}}, the oldest since {{date reminder.oldestUnreadAt}}{{/if}}.</p>
{{#if message}}
<p style="margin:0 0 4px;color:#555555">The latest{{#if author}}, from <strong style="color:#222222">{{author.displayName}}</strong>{{/if}}:</p>
<div style="margin:0 0 16px;padding-left:12px;border-left:3px solid #dddddd">{{nl2br message.body}}</div>
{{/if}}
<hr style="border:0;border-top:1px solid #dddddd;margin:16px 0">
{{#if recipient.alias}}
<p style="margin:0 0 4px;font-size:12px;color:#888888">Reply to this email to answer in the conversation.</p>
{{/if}}
{{#if links.unsubscribe}}
<p style="margin:0;font-size:12px;color:#888888"><a href="{{links.unsubscribe}}" style="color:#888888">Stop email notifications for this conversation</a></p>
{{/if}}
</body>
</html>
`;

export const DEFAULT_TEMPLATES: Record<TemplateKind, Record<TemplatePart, string>> = {
  'new-message': { subject: NEW_MESSAGE_SUBJECT, text: NEW_MESSAGE_TEXT, html: NEW_MESSAGE_HTML },
  reminder: { subject: REMINDER_SUBJECT, text: REMINDER_TEXT, html: REMINDER_HTML },
};
