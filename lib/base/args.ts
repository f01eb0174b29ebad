/** Values of parsed command-line options: a flag given once or repeated, read one way everywhere. */

/** Repeated or single, a flag's values as a list of strings. */
export function strings(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.map(String);
}

export function lastString(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return String(Array.isArray(value) ? value[value.length - 1] : value);
}
