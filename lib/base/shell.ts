const SAFE = /^[A-Za-z0-9@%_+=:,./-]+$/;

/** A word as a POSIX shell reads it back: as it is where it holds nothing the shell would act on, else in single quotes. */
export function shellQuote(word: string): string {
  return SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
