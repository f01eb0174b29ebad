/**
 * Where a JSON text goes wrong, for the files a person edits (a spec, the run store, a settings or
 * prices file): JSON.parse on Node 20 often says only "Unexpected token" with no position, and a
 * person needs the line and column.
 */
export interface JsonProblem {
  offset: number;
  message: string;
}

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

function shown(text: string, at: number): string {
  return at >= text.length ? 'the end of the text' : JSON.stringify(text[at]);
}

/** The first syntax error of a JSON text, or undefined when it is valid. */
export function findJsonProblem(text: string): JsonProblem | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message: `${message}, got ${shown(text, i)}` } satisfies JsonProblem;
  };
  const space = (): void => {
    while (i < text.length && WS.has(text[i] as string)) i++;
  };
  const string = (): void => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string: expected a closing "');
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        ESCAPE.lastIndex = i;
        if (!ESCAPE.test(text)) fail('invalid escape in a string');
        i = ESCAPE.lastIndex;
      } else if (c < ' ') {
        fail('a line break or control character inside a string (write \\n)');
      } else {
        i++;
      }
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail('expected a key in double quotes');
        string();
        space();
        if (text[i] !== ':') fail("expected ':' after the key");
        i++;
        value();
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail("expected ',' or '}'");
      }
    } else if (c === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail("expected ',' or ']'");
      }
    } else if (c === '"') {
      string();
    } else {
      for (const word of ['true', 'false', 'null']) {
        if (text.startsWith(word, i)) {
          i += word.length;
          return;
        }
      }
      NUMBER.lastIndex = i;
      if (NUMBER.test(text)) i = NUMBER.lastIndex;
      else fail('expected a value');
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail('unexpected text after the end');
    return undefined;
  } catch (problem) {
    // Nesting deep enough to exhaust the stack is a problem of its own, at the place it was reached.
    if (problem instanceof RangeError) return { offset: i, message: 'nested too deeply to read' };
    return problem as JsonProblem;
  }
}

/** What is wrong in a JSON text that does not parse, for a message: `invalid JSON at line L, column C: …`. */
export function invalidJson(text: string, error?: unknown): string {
  const problem = findJsonProblem(text);
  if (problem === undefined) return `invalid JSON${error instanceof Error ? `: ${error.message}` : ''}`;
  const before = text.slice(0, problem.offset);
  return `invalid JSON at line ${before.split('\n').length}, column ${problem.offset - before.lastIndexOf('\n')}: ${problem.message}`;
}
