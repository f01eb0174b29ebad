/**
 * What a report prints, built from blocks (headings, facts, tables, charts) so that one report
 * reads as text on a terminal and as Markdown in a file, with tables and charts drawn by the
 * same formatters as seq-format.
 */
import type { JsonValue, Row } from '../jsonl/json.js';
import { formatRows, type FormatOptions } from '../stages/format.js';

export type Fact = [label: string, value: JsonValue];

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'facts'; facts: Fact[] }
  | { kind: 'table'; rows: Row[]; columns?: string[] }
  | { kind: 'chart'; rows: Row[]; columns: [label: string, value: string] }
  | { kind: 'note'; text: string };

export type DocumentFormat = 'table' | 'markdown';

function factValue(value: JsonValue): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(1);
  if (value === null) return '-';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function renderDocument(blocks: Block[], format: DocumentFormat, options: FormatOptions): string {
  const parts: string[] = [];
  let previous: Block['kind'] | undefined;
  for (const block of blocks) {
    // Blocks under one heading are set apart by a blank line.
    if (previous !== undefined && previous !== 'heading' && block.kind !== 'heading') parts.push('\n');
    previous = block.kind;
    switch (block.kind) {
      case 'heading':
        // A blank line before each heading but the first; its content follows it directly.
        parts.push((parts.length > 0 ? '\n' : '') + (format === 'markdown' ? `## ${block.text}\n\n` : `${options.style.header(block.text)}\n`));
        break;
      case 'facts': {
        if (format === 'markdown') {
          parts.push(`${block.facts.map(([label, value]) => `- **${label}**: ${factValue(value)}`).join('\n')}\n`);
        } else {
          const width = Math.max(...block.facts.map(([label]) => label.length));
          parts.push(`${block.facts.map(([label, value]) => `  ${(`${label}:`).padEnd(width + 1)}  ${factValue(value)}`).join('\n')}\n`);
        }
        break;
      }
      case 'table':
        parts.push(formatRows(block.rows, format === 'markdown' ? 'markdown' : 'table', block.columns, options));
        break;
      case 'chart': {
        const chart = formatRows(
          block.rows,
          'chart',
          block.columns,
          format === 'markdown' ? { ...options, style: { header: (t) => t, rule: (t) => t, bar: (t) => t } } : options,
        );
        parts.push(format === 'markdown' ? `\`\`\`\n${chart}\`\`\`\n` : chart);
        break;
      }
      case 'note':
        parts.push(format === 'markdown' ? `_${block.text}_\n` : `${block.text}\n`);
        break;
    }
  }
  return parts.join('');
}
