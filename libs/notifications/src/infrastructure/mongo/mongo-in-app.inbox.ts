import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Connection } from 'mongoose';
import { InAppInbox, InAppNotification } from '../../domain/stores.port';

interface InboxDocument extends Omit<InAppNotification, 'id'> {
  _id: string;
  readAt?: Date | null;
}

const DUPLICATE_KEY = 11000;

/** Account holders' in-app notifications (`in_app_notifications`), one per delivery id. */
@Injectable()
export class MongoInAppInbox implements InAppInbox, OnModuleInit {
  private readonly inbox: Collection<InboxDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.inbox = connection.collection<InboxDocument>('in_app_notifications');
  }

  async onModuleInit(): Promise<void> {
    await this.inbox.createIndex({ accountId: 1, createdAt: -1 }).catch(() => undefined);
  }

  async put(n: InAppNotification): Promise<void> {
    try {
      await this.inbox.insertOne({ _id: n.id, accountId: n.accountId, conversationId: n.conversationId, messageId: n.messageId, kind: n.kind, title: n.title, preview: n.preview, createdAt: n.createdAt });
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    }
  }

  async list(accountId: string, limit: number): Promise<(InAppNotification & { readAt: Date | null })[]> {
    const docs = (await this.inbox.find({ accountId }).sort({ createdAt: -1 }).limit(limit).toArray()) as InboxDocument[];
    return docs.map(({ _id, ...rest }) => ({ ...rest, id: _id, messageId: rest.messageId ?? null, readAt: rest.readAt ?? null }));
  }
}
