/** Lower-cased `local@domain`, or '' for anything that is not an address. */
export function normalizeAddress(address: string | undefined): string {
  const value = (address ?? '').trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(value) ? value.replace(/\.$/, '') : '';
}

export function domainOf(address: string | undefined): string {
  const normalized = normalizeAddress(address);
  return normalized.slice(normalized.lastIndexOf('@') + 1);
}

export function localPartOf(address: string | undefined): string {
  const normalized = normalizeAddress(address);
  return normalized.slice(0, normalized.lastIndexOf('@'));
}
