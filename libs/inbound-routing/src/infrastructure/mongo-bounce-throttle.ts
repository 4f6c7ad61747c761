import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Schema } from 'mongoose';
import { BounceThrottle, throttleKey } from '../domain/bounce.ports';

export const BOUNCE_LOG_MODEL = 'BounceLog';
export interface BounceLogDocument {
  _id: string;
  createdAt: Date;
}
export const BounceLogSchema = new Schema<BounceLogDocument>({ _id: { type: String, required: true }, createdAt: { type: Date, required: true } }, { collection: 'bounce_log', versionKey: false });

const DUPLICATE_KEY = 11000;

/** One document per sender, reason and hour; its unique `_id` is the reservation. */
@Injectable()
export class MongoBounceThrottle implements BounceThrottle {
  constructor(@InjectModel(BOUNCE_LOG_MODEL) private readonly log: Model<BounceLogDocument>) {}

  async reserve(sender: string, reason: string, at: Date): Promise<boolean> {
    try {
      await this.log.create({ _id: throttleKey(sender, reason, at), createdAt: at });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async release(sender: string, reason: string, at: Date): Promise<void> {
    await this.log.deleteOne({ _id: throttleKey(sender, reason, at) }).exec();
  }
}
