import addressparser from 'nodemailer/lib/addressparser';
import { decodeEncodedWords } from './encoded-word.decoder';
import type { MailAddress } from './parsed-email.types';

const SIMPLE_ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/;

/**
 * Mailboxes of an address header, groups flattened, entries without a usable address dropped.
 * Parses before decoding encoded words: a display name like `=?utf-8?Q?evil=40x.example?=` must
 * stay a name and never become an address.
 */
export function parseAddressList(raw: string | undefined): MailAddress[] {
  if (!raw) return [];
  return addressparser(raw, { flatten: true })
    .map((entry) => ({ address: entry.address.trim(), name: decodeEncodedWords(entry.name).trim() }))
    .filter((entry) => SIMPLE_ADDRESS.test(entry.address));
}
