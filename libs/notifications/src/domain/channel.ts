/** How a notification reaches a person. In-app is the account's inbox in the chat product. */
export const CHANNELS = ['email', 'sms', 'push', 'in_app'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channels sent through the SMS/push provider's HTTP API (docs/notification-provider.md). */
export type ProviderChannel = Extract<Channel, 'sms' | 'push'>;

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}
