/**
 * Header every mail the platform sends carries (notifications, bounces). Mail that arrives with
 * it is our own coming back — through a forwarding rule, an auto-responder or a mis-set alias —
 * and is never posted, so two systems cannot answer each other forever.
 */
export const NOTIFICATION_HEADER = 'X-Conversation-Alias-Notification';
