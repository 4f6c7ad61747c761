import { NotificationPreferences } from '../domain/preferences';
import { PreferenceStore } from '../domain/stores.port';
import { roundTrip } from './in-memory-delivery.store';
import { clone } from './clone';

/**
 * The preference store port in memory, as mongo-preference.store.ts: one record per seat
 * (`<conversationId>:<participantId>`), `save` an upsert that stamps `updatedAt` when missing,
 * null phone number / push token stored as absent and read back as null.
 */
export class InMemoryPreferenceStore implements PreferenceStore {
  private readonly preferences = new Map<string, NotificationPreferences>();
  /** How many times `save` was called: an unchanged seat may be left alone. */
  saves = 0;

  async get(conversationId: string, participantId: string): Promise<NotificationPreferences | null> {
    await roundTrip();
    const stored = this.preferences.get(keyOf(conversationId, participantId));
    return stored ? clone(stored) : null;
  }

  async save(preferences: NotificationPreferences): Promise<void> {
    await roundTrip();
    this.saves += 1;
    this.preferences.set(keyOf(preferences.conversationId, preferences.participantId), {
      conversationId: preferences.conversationId,
      participantId: preferences.participantId,
      email: preferences.email !== false,
      sms: preferences.sms === true,
      push: preferences.push === true,
      phoneNumber: preferences.phoneNumber ?? null,
      pushToken: preferences.pushToken ?? null,
      updatedAt: new Date(preferences.updatedAt ?? new Date()),
    });
  }
}

function keyOf(conversationId: string, participantId: string): string {
  return `${conversationId}:${participantId}`;
}
