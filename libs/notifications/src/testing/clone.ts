/**
 * A deep copy of plain data (objects, arrays, Dates), made in the caller's realm. Not
 * `structuredClone`: under Jest its Dates come from another realm and fail `instanceof Date`.
 */
export function clone<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(clone) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, clone(item)])) as T;
  }
  return value;
}
