import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Connection } from 'mongoose';
import { NotificationPreferences } from '../../domain/preferences';
import { PreferenceStore } from '../../domain/stores.port';

interface PreferenceDocument {
  _id: string;
  conversationId: string;
  participantId: string;
  email: boolean;
  sms: boolean;
  push: boolean;
  phoneNumber?: string | null;
  pushToken?: string | null;
  updatedAt: Date;
}

/** Per participant (`<conversationId>:<participantId>`), in `notification_preferences`. */
@Injectable()
export class MongoPreferenceStore implements PreferenceStore {
  private readonly preferences: Collection<PreferenceDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.preferences = connection.collection<PreferenceDocument>('notification_preferences');
  }

  async get(conversationId: string, participantId: string): Promise<NotificationPreferences | null> {
    const doc = (await this.preferences.findOne({ _id: `${conversationId}:${participantId}` })) as PreferenceDocument | null;
    if (!doc) return null;
    return {
      conversationId: doc.conversationId,
      participantId: doc.participantId,
      email: doc.email !== false,
      sms: doc.sms === true,
      push: doc.push === true,
      phoneNumber: doc.phoneNumber ?? null,
      pushToken: doc.pushToken ?? null,
      updatedAt: doc.updatedAt ?? null,
    };
  }

  async save(p: NotificationPreferences): Promise<void> {
    const unset: Record<string, ''> = {};
    if (p.phoneNumber === null) unset.phoneNumber = '';
    if (p.pushToken === null) unset.pushToken = '';
    await this.preferences.updateOne(
      { _id: `${p.conversationId}:${p.participantId}` },
      {
        $set: {
          conversationId: p.conversationId,
          participantId: p.participantId,
          email: p.email,
          sms: p.sms,
          push: p.push,
          ...(p.phoneNumber !== null ? { phoneNumber: p.phoneNumber } : {}),
          ...(p.pushToken !== null ? { pushToken: p.pushToken } : {}),
          updatedAt: p.updatedAt ?? new Date(),
        },
        ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}),
      },
      { upsert: true },
    );
  }
}
