import { InAppInbox, InAppNotification } from '../domain/stores.port';
import { roundTrip } from './in-memory-delivery.store';
import { clone } from './clone';

/** Account holders' in-app notifications in memory, as mongo-in-app.inbox.ts: idempotent on `id`. */
export class InMemoryInAppInbox implements InAppInbox {
  private readonly notifications = new Map<string, InAppNotification & { readAt: Date | null }>();
  /** Every `put`, repeated ones included. */
  puts = 0;

  async put(notification: InAppNotification): Promise<void> {
    await roundTrip();
    this.puts += 1;
    if (this.notifications.has(notification.id)) return;
    this.notifications.set(notification.id, { ...clone(notification), readAt: null });
  }

  async list(accountId: string, limit: number): Promise<(InAppNotification & { readAt: Date | null })[]> {
    await roundTrip();
    return [...this.notifications.values()]
      .filter((n) => n.accountId === accountId)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .slice(0, limit)
      .map((n) => clone(n));
  }

  /** Every notification kept, in the order they arrived. */
  all(): (InAppNotification & { readAt: Date | null })[] {
    return [...this.notifications.values()].map((n) => clone(n));
  }
}
