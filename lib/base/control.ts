/**
 * Control characters (C0, DEL, C1) in text that reaches a terminal: shown escaped, since they
 * would break a table's lines or drive the terminal (a log can hold an escape sequence).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it replaces
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it replaces
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

function escaped(char: string): string {
  switch (char) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}

/** The text with its control characters escaped (`\n`, `\u001b`); `keepLineBreaks`: a message of several lines keeps them. */
export function escapeControls(text: string, keepLineBreaks = false): string {
  return text.replace(keepLineBreaks ? CONTROL_BUT_LINE_BREAKS : CONTROL, escaped);
}
