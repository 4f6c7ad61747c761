import { malformedRequest } from '../inbound-http.errors';
import { parseParameters } from './media-type';

export interface FormPart {
  name: string;
  filename: string | null;
  /** The part's bytes exactly as sent: a raw email keeps its bytes whatever its charset. */
  data: Buffer;
}

export interface MultipartLimits {
  maxParts: number;
  maxPartHeaderBytes: number;
}

const DEFAULT_LIMITS: MultipartLimits = { maxParts: 100, maxPartHeaderBytes: 16 * 1024 };
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The fields of a multipart/form-data body, by name. */
export class MultipartForm {
  constructor(readonly parts: readonly FormPart[]) {}

  /** First value of a field as UTF-8 text. */
  text(name: string): string | undefined {
    return this.parts.find((part) => part.name === name)?.data.toString('utf8');
  }

  /** Every value of a (repeatable) field as UTF-8 text. */
  texts(name: string): string[] {
    return this.parts.filter((part) => part.name === name).map((part) => part.data.toString('utf8'));
  }

  /** First value of a field as bytes, a plain field or a file part alike. */
  bytes(name: string): Buffer | undefined {
    return this.parts.find((part) => part.name === name)?.data;
  }
}

/**
 * Parses a complete multipart/form-data body (RFC 7578) that is already in memory (read by
 * readBoundedBody, so bounded). Parts keep their exact bytes: unlike a streaming form parser,
 * nothing is decoded as UTF-8 on the way, so a raw email's sha256 is that of what was sent.
 *
 * @throws DomainError INBOUND_MALFORMED_REQUEST
 */
export function parseMultipartForm(body: Buffer, boundary: string, limits: MultipartLimits = DEFAULT_LIMITS): MultipartForm {
  if (!/^[0-9A-Za-z'()+_,\-./:=? ]{1,70}$/.test(boundary) || boundary.endsWith(' ')) throw malformedRequest('The multipart boundary is invalid.');
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.concat([CRLF, dashBoundary]);

  let position: number;
  if (body.subarray(0, dashBoundary.length).equals(dashBoundary)) {
    position = dashBoundary.length;
  } else {
    const first = body.indexOf(delimiter);
    if (first === -1) throw malformedRequest('The multipart body has no boundary.');
    position = first + delimiter.length;
  }

  const parts: FormPart[] = [];
  for (;;) {
    if (body[position] === 0x2d && body[position + 1] === 0x2d) break; // "--": the close delimiter
    while (body[position] === 0x20 || body[position] === 0x09) position += 1; // transport padding
    if (body[position] !== 0x0d || body[position + 1] !== 0x0a) throw malformedRequest('The multipart body is malformed.');
    position += 2;

    const headerEnd = body.subarray(position, position + 2).equals(CRLF) ? position - 2 : body.indexOf(HEADER_END, position);
    if (headerEnd === -1 || headerEnd - position > limits.maxPartHeaderBytes) throw malformedRequest('A multipart part has malformed headers.');
    const headers = headerEnd < position ? '' : body.toString('utf8', position, headerEnd);
    const contentStart = headerEnd + HEADER_END.length;
    const next = body.indexOf(delimiter, contentStart);
    if (next === -1) throw malformedRequest('The multipart body is truncated.');

    const disposition = headerValue(headers, 'content-disposition');
    const params = disposition ? parseParameters(disposition.slice(disposition.indexOf(';'))) : new Map<string, string>();
    const name = params.get('name');
    if (name !== undefined) parts.push({ name, filename: params.get('filename') ?? null, data: body.subarray(contentStart, next) });
    if (parts.length > limits.maxParts) throw malformedRequest(`The form has more than ${limits.maxParts} fields.`);
    position = next + delimiter.length;
  }
  return new MultipartForm(parts);
}

function headerValue(headers: string, name: string): string | undefined {
  for (const line of headers.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name) return line.slice(colon + 1).trim();
  }
  return undefined;
}
