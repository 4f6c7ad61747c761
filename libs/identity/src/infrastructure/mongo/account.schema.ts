import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One account in the `accounts` collection. Addresses are stored normalised (lower-case), so
 * the unique index on `email` is a case-insensitive uniqueness rule without needing collations
 * (which MongoDB-wire servers such as FerretDB do not all support).
 */
@Schema({ collection: 'accounts', timestamps: true, versionKey: false })
export class AccountRecord {
  /** Opaque string ids (UUIDs): they travel in JWT `sub` claims and URLs. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true, unique: true })
  email!: string;

  @Prop({ type: String, required: true })
  displayName!: string;

  /** Multikey index: inbound mail from an old address must still find its account quickly. */
  @Prop({ type: [String], default: [], index: true })
  previousEmails!: string[];

  updatedAt?: Date;
  createdAt?: Date;
}

export const AccountRecordSchema = SchemaFactory.createForClass(AccountRecord);
