import { Channel } from './channel';

export interface ChannelTarget {
  channel: Channel;
  /** Where to: an email address, a phone number, a push token, an account id. */
  address: string;
}
