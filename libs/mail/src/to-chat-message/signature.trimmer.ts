import { isBlank } from './reply-header.patterns';

/** RFC 3676 §4.3 "-- " delimiter; many clients drop the trailing space. */
const DELIMITER = /^-- ?$/;
/** A signature is a few lines; more than this after a "--" line is content that happens to follow one. */
const MAX_SIGNATURE_LINES = 10;
/** Where mobile footers sit: among the last few lines, never in the middle of a message. */
const FOOTER_WINDOW = 3;
const MAX_FOOTER_LENGTH = 100;
const SEPARATOR = /^\s*(?:_{8,}|-{8,}|={8,})\s*$/;

/** Devices and mail apps that sign for their users, so "Sent from Paris" stays content. */
const APP = String.raw`(?:iphone|ipad|android|samsung|galaxy|blackberry|huawei|xiaomi|pixel|mobile|outlook|mail|yahoo|aol|gmail|proton ?mail|zoho|gmx|web\.de|libero|orange|the all new aol|windows)`;
const MY = String.raw`(?:my|mein(?:em)?|mon|ma|mi|meu|mio|mijn|min)`;

/** "Sent from my iPhone" and the other footers mail apps add, in the languages we meet. */
const MOBILE_FOOTERS = [
  new RegExp(String.raw`^sent (?:from|with|via|using) (?:${MY} .+|${APP}\b.*)$`, 'i'),
  /^get outlook for (?:ios|android)\b.*$/i,
  new RegExp(String.raw`^(?:von ${MY} .+ gesendet|gesendet (?:von|mit) (?:${MY} .+|${APP}\b.*|der .+ app)|outlook für (?:ios|android) (?:herunterladen|beziehen)\b.*)$`, 'i'),
  new RegExp(String.raw`^(?:envoyé (?:de|depuis|à partir de|avec) (?:${MY} .+|${APP}\b.*|l'application .+)|(?:télécharger|obtenir) outlook pour (?:ios|android)\b.*)$`, 'i'),
  new RegExp(String.raw`^(?:enviado (?:desde|con|do|a partir do|de) (?:${MY} .+|${APP}\b.*|o .+)|(?:obtener|obter o|baixe o) outlook para (?:ios|android)\b.*)$`, 'i'),
  new RegExp(String.raw`^(?:(?:verzonden|verstuurd) (?:vanaf|met|van) (?:${MY} .+|${APP}\b.*)|outlook voor (?:ios|android) downloaden\b.*)$`, 'i'),
  new RegExp(String.raw`^(?:inviato (?:da|dal) (?:${MY} .+|${APP}\b.*)|scarica outlook per (?:ios|android)\b.*)$`, 'i'),
  new RegExp(String.raw`^(?:skickat från (?:${MY} .+|${APP}\b.*)|sendt fra (?:${MY} .+|${APP}\b.*)|wysłane z (?:mojego .+|${APP}\b.*))$`, 'i'),
];

/**
 * Marks the sender's signature among the lines still kept (`removed` false): a "-- " block at
 * the end, a mobile footer near the end, and a separator rule left dangling at the end. Closing
 * words ("Regards", "Cheers", "Cordialement") are deliberately kept: matching them drops real
 * content written below them (see README).
 */
export function markSignature(lines: readonly string[], removed: boolean[]): void {
  const kept = lines.map((_, i) => i).filter((i) => !removed[i]);
  const cut = delimiterCut(lines, kept) ?? footerCut(lines, kept);
  if (cut !== null) for (const i of kept) if (i >= cut) removed[i] = true;
  dropDanglingSeparator(lines, removed);
}

function delimiterCut(lines: readonly string[], kept: readonly number[]): number | null {
  for (let k = 0; k < kept.length; k++) {
    if (!DELIMITER.test(lines[kept[k]])) continue;
    const after = kept.slice(k + 1).filter((i) => !isBlank(lines[i])).length;
    if (after <= MAX_SIGNATURE_LINES) return kept[k];
  }
  return null;
}

function footerCut(lines: readonly string[], kept: readonly number[]): number | null {
  const lastLines = kept.filter((i) => !isBlank(lines[i])).slice(-FOOTER_WINDOW);
  for (const i of lastLines) {
    const line = lines[i].trim();
    if (line.length <= MAX_FOOTER_LENGTH && MOBILE_FOOTERS.some((footer) => footer.test(line))) return i;
  }
  return null;
}

function dropDanglingSeparator(lines: readonly string[], removed: boolean[]): void {
  for (let i = lines.length - 1; i >= 0; i--) {
    if (removed[i] || isBlank(lines[i])) continue;
    if (SEPARATOR.test(lines[i])) removed[i] = true;
    return;
  }
}
