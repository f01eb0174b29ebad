import { describe, expect, it } from 'vitest';
import { findJsonProblem } from '../../lib/jsonl/json-errors.js';

describe('findJsonProblem', () => {
  it('accepts valid JSON', () => {
    for (const text of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\"y\\u00e9"]} ', '"s"', '0']) {
      expect(findJsonProblem(text)).toBeUndefined();
    }
  });
  it.each([
    ['{"a":1,}', 7, 'expected a key in double quotes, got "}"'],
    ['{"a" 1}', 5, 'expected \':\' after the key, got "1"'],
    ['[1 2]', 3, "expected ',' or ']', got \"2\""],
    ['{"a":1', 6, "expected ',' or '}', got the end of the text"],
    ['{"a":tru}', 5, 'expected a value, got "t"'],
    ['{"a":"x\ny"}', 7, 'a line break or control character inside a string (write \\n), got "\\n"'],
    ['{"a":"\\q"}', 6, 'invalid escape in a string, got "\\\\"'],
    ['{} x', 3, 'unexpected text after the end, got "x"'],
    ["{'a':1}", 1, 'expected a key in double quotes, got "\'"'],
  ])('%s', (text, offset, message) => {
    expect(findJsonProblem(text)).toEqual({ offset, message });
  });
});
