/**
 * The stages' patterns (Python's syntax, read as JavaScript reads a pattern without its `u` flag)
 * written for RE2, the engine of DuckDB's and ClickHouse's regular expressions, with the same
 * meaning where RE2 has one.
 */
import { refused } from './refused.js';
import { leadingFlags } from '../spec/predicate.js';

/** The characters JavaScript's `\s` matches (and Number() trims), as a class RE2 reads. */
export const JS_SPACE = '\\t\\n\\x0B\\f\\r \\x{00A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';

/** A code point as RE2 writes any character. */
const hexChar = (code: number): string => `\\x{${code.toString(16)}}`;
const HEX2 = /^[0-9a-fA-F]{2}$/;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * A pattern in the stages' syntax (Python's, read as JavaScript reads a pattern without its `u`
 * flag) in RE2's, with the same meaning: an escape JavaScript reads as the letter itself is that
 * letter; `.` does not match a line end of JavaScript's; `\s` and `\S` are JavaScript's spaces;
 * `\Z` is the end. What has no RE2 form (a multi-line pattern, a back-reference, a look-around,
 * `\B`, a repeat past 1000, half a character) is refused.
 */
export function re2Pattern(pattern: string, caseInsensitive: boolean, where: string): string {
  let flags = caseInsensitive ? 'i' : '';
  const { letters, rest: source } = leadingFlags(pattern);
  if (letters.includes('m')) throw refused(where, 'a multi-line pattern ((?m)) treats \\r as JavaScript does');
  if (letters.includes('x')) throw refused(where, 'verbose patterns ((?x)) are not supported');
  for (const letter of ['i', 's']) if (letters.includes(letter) && !flags.includes(letter)) flags += letter;
  if (/\(\?(?:[=!]|<[=!]|P=)/.test(source)) throw refused(where, 'back-references and look-arounds have no RE2 form');
  for (const repeat of source.matchAll(/\{(\d+)(?:,(\d*))?\}/g)) {
    if (Number(repeat[1]) > 1000 || Number(repeat[2] || 0) > 1000) throw refused(where, 'RE2 repeats at most 1000 times');
  }
  const dotAll = flags.includes('s');
  let out = '';
  let inClass = false;
  /** The character or class an escape at `i` (the backslash) stands for, and the index of its last character. */
  const escapeAt = (i: number): { re2: string; end: number; isClass: boolean } => {
    const next = source[i + 1];
    if (next === undefined) throw refused(where, 'the pattern ends in a lone backslash');
    if ('dDwW'.includes(next)) return { re2: `\\${next}`, end: i + 1, isClass: true };
    if (next === 's') return { re2: inClass ? JS_SPACE : `[${JS_SPACE}]`, end: i + 1, isClass: true };
    if (next === 'S') {
      if (inClass) throw refused(where, '\\S inside a class');
      return { re2: `[^${JS_SPACE}]`, end: i + 1, isClass: true };
    }
    if (next === 'b') return { re2: inClass ? '\\x08' : '\\b', end: i + 1, isClass: false };
    if (next === 'B') throw refused(where, '\\B matches inside a character of several bytes in RE2');
    if (next === 'A' && !inClass) return { re2: '\\A', end: i + 1, isClass: false };
    if (next === 'Z' && !inClass) return { re2: '\\z', end: i + 1, isClass: false };
    if ('tnvfr'.includes(next)) return { re2: `\\${next}`, end: i + 1, isClass: false };
    if (next === '0') {
      // JavaScript's octal escape: \0 and up to two more octal digits (\012 is a line feed, \08 a NUL and an 8).
      const octal = (/^0[0-7]{0,2}/.exec(source.slice(i + 1)) as RegExpExecArray)[0];
      return { re2: hexChar(Number.parseInt(octal, 8)), end: i + octal.length, isClass: false };
    }
    if (/[1-9]/.test(next) || next === 'k') throw refused(where, 'back-references have no RE2 form');
    if (next === 'c') {
      const letter = source[i + 2] ?? '';
      if (!/[A-Za-z]/.test(letter)) throw refused(where, '\\c without a letter after it');
      return { re2: hexChar(letter.charCodeAt(0) % 32), end: i + 2, isClass: false };
    }
    if (next === 'x' && HEX2.test(source.slice(i + 2, i + 4)))
      return { re2: hexChar(Number.parseInt(source.slice(i + 2, i + 4), 16)), end: i + 3, isClass: false };
    if (next === 'u' && HEX4.test(source.slice(i + 2, i + 6))) {
      const unit = Number.parseInt(source.slice(i + 2, i + 6), 16);
      if (unit >= 0xd800 && unit <= 0xdbff && source.slice(i + 6, i + 8) === '\\u' && HEX4.test(source.slice(i + 8, i + 12))) {
        const low = Number.parseInt(source.slice(i + 8, i + 12), 16);
        if (low >= 0xdc00 && low <= 0xdfff) return { re2: hexChar(0x10000 + (unit - 0xd800) * 0x400 + (low - 0xdc00)), end: i + 11, isClass: false };
      }
      if (unit >= 0xd800 && unit <= 0xdfff) throw refused(where, 'half a character (a lone surrogate) has no RE2 form');
      return { re2: hexChar(unit), end: i + 5, isClass: false };
    }
    // Any other escaped character is that character.
    const code = next.codePointAt(0) as number;
    return { re2: literalChar(String.fromCodePoint(code)), end: i + (code > 0xffff ? 2 : 1), isClass: false };
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      const { re2, end, isClass } = escapeAt(i);
      out += re2;
      i = end;
      // In a class, a - beside a class escape is a character of it, not a range.
      if (inClass && isClass && source[i + 1] === '-') {
        out += '\\-';
        i++;
      }
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '[') {
        out += '\\[';
        continue;
      } else if (c === '-' && source[i + 1] === '\\' && 'dDwWsS'.includes(source[i + 2] ?? '')) {
        out += '\\-';
        continue;
      }
      out += c;
      continue;
    }
    if (c === '[') {
      // JavaScript's [] matches nothing and [^] anything (RE2 would read ] as a member).
      const negated = source[i + 1] === '^';
      if (source[i + (negated ? 2 : 1)] === ']') {
        out += negated ? '[\\x{0}-\\x{10FFFF}]' : '[^\\x{0}-\\x{10FFFF}]';
        i += negated ? 2 : 1;
        continue;
      }
      inClass = true;
      out += c;
      if (negated) out += source[++i];
      continue;
    }
    // A named group is a group: nothing can refer to its name here (back-references are refused),
    // and RE2 allows fewer names than JavaScript does (no $).
    const named = c === '(' ? /^\(\?P?<[^>]*>/.exec(source.slice(i)) : null;
    if (named !== null) {
      out += '(';
      i += named[0].length - 1;
      continue;
    }
    out += c === '.' && !dotAll ? '[^\\n\\r\\x{2028}\\x{2029}]' : c;
  }
  return flags === '' ? out : `(?${flags})${out}`;
}

/** A character matched as itself: punctuation escaped, letters, digits and the rest as they are. */
function literalChar(c: string): string {
  return /[!-/:-@[-`{-~]/.test(c) ? `\\${c}` : c;
}
