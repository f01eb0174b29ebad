/**
 * Writes a JSON value in another valid spelling of the same record: whitespace wherever JSON
 * allows it, keys in another order, characters as \uXXXX escapes. Every choice comes from a
 * seeded random source, so a failing spelling can be written again from its seed.
 */

/** How a spelling is chosen: each a probability, 0 never, 1 always. */
export interface Spelling {
  /** Whitespace (spaces and tabs) around every structural character. */
  space: number;
  /** An object's keys in a shuffled order. */
  shuffle: number;
  /** A character of a string or key written as \uXXXX. */
  escape: number;
  /** CRLF line ends instead of LF. */
  crlf: boolean;
  /** A UTF-8 byte-order mark at the start of a file. */
  bom: boolean;
  /** Whitespace before and after each line's record. */
  pad: boolean;
}

/** A small seeded generator (mulberry32): the same seed, the same spelling. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WHITE = [' ', '  ', '\t', ' \t '];

function string(text: string, spelling: Spelling, next: () => number): string {
  if (spelling.escape === 0) return JSON.stringify(text);
  let out = '"';
  for (const char of text) {
    const plain = JSON.stringify(char).slice(1, -1);
    if (next() < spelling.escape) {
      // A character beyond the BMP is two escapes (its surrogate pair).
      for (let i = 0; i < char.length; i++) out += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
    } else {
      out += plain;
    }
  }
  return `${out}"`;
}

/** One JSON value in the chosen spelling. */
export function spell(value: unknown, spelling: Spelling, next: () => number): string {
  const ws = (): string => (spelling.space > 0 && next() < spelling.space ? (WHITE[Math.floor(next() * WHITE.length)] ?? ' ') : '');
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string') return string(value, spelling, next);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${ws()}${value.map((item) => `${spell(item, spelling, next)}${ws()}`).join(`,${ws()}`)}]`;
  }
  const keys = Object.keys(value);
  if (next() < spelling.shuffle) {
    for (let i = keys.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [keys[i], keys[j]] = [keys[j] as string, keys[i] as string];
    }
  }
  const members = keys.map(
    (key) => `${ws()}${string(key, spelling, next)}${ws()}:${ws()}${spell((value as Record<string, unknown>)[key], spelling, next)}${ws()}`,
  );
  return `{${members.join(',')}}`;
}

/**
 * A whole file of JSON Lines in the chosen spelling. Lines that are not JSON (a damaged line)
 * are kept as they are: the differential compares what the readers make of the same records.
 */
export function respell(text: string, spelling: Spelling, seed: number): string {
  const next = random(seed);
  const eol = spelling.crlf ? '\r\n' : '\n';
  const out = text.split('\n').map((line, i, all) => {
    if (line === '' && i === all.length - 1) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return line;
    }
    const pad = (): string => (spelling.pad && next() < 0.5 ? (WHITE[Math.floor(next() * WHITE.length)] ?? ' ') : '');
    return `${pad()}${spell(value, spelling, next)}${pad()}`;
  });
  const body = out.filter((line) => line !== undefined).join(eol) + (text.endsWith('\n') ? eol : '');
  return (spelling.bom ? '\uFEFF' : '') + body;
}
