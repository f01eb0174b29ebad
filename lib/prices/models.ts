/**
 * A model's price entry, by the name a log gives it. Logs spell one model many ways: with a
 * provider's prefix (`anthropic/`, `openrouter/openai/`), as a Bedrock id
 * (`us.anthropic.claude-sonnet-4-5-20250929-v1:0`) or a Vertex one (`claude-opus-4-1@20250805`),
 * with a release date (`gpt-5-1-codex-2025-11-13`), with its version's dot as a dash or the
 * other way round. The names are tried from the most exact to the least, and the first the table
 * has is the price key (`price_model`).
 */
import type { PriceEntry } from './fields.js';

/** Models a log names by a role rather than by the model: priced as the model they stand for. */
const STAND_INS: Record<string, string> = {
  // Codex's /review model; ccusage 20 prices it as gpt-5.3-codex.
  'codex-auto-review': 'gpt-5.3-codex',
};

/** The names to look a model up by, most exact first. */
function priceNames(model: string): string[] {
  const names: string[] = [];
  const add = (name: string): void => {
    if (name !== '' && !names.includes(name)) names.push(name);
  };
  const exact = model.trim();
  add(exact);
  const lower = exact.toLowerCase();
  add(lower);
  const unprefixed = lower.replace(/^(?:[a-z0-9_.-]+\/)+/, '').replace(/^(?:us|eu|apac|au|jp|global)\./, '');
  add(unprefixed);
  const unwrapped = unprefixed
    .replace(/^anthropic\./, '')
    .replace(/-v\d+(?::\d+)?$/, '')
    .replace(/@default$/, '')
    .replace(/@(\d{8})$/, '-$1')
    // A gateway's name for the model with thinking on: the model's own price.
    .replace(/(?::thinking(?::[a-z0-9]+)?|-thinking(?::\d+)?|-think)$/, '');
  add(unwrapped);
  const undated = unwrapped.replace(/-\d{8}$/, '').replace(/-\d{4}-\d{2}-\d{2}$/, '');
  for (const name of [unwrapped, undated]) {
    add(name);
    add(name.replace(/^gpt-(\d+)-(\d+)(?=-|$)/, 'gpt-$1.$2'));
    add(name.replace(/^(claude-[a-z]+-\d+)\.(\d+)/, '$1-$2'));
  }
  const standIn = STAND_INS[undated];
  if (standIn !== undefined) add(standIn);
  return names;
}

/** The entry of a model and the key it was found by, or undefined when the table has none. */
export function findPrice(model: string, table: ReadonlyMap<string, PriceEntry>): { key: string; entry: PriceEntry } | undefined {
  for (const name of priceNames(model)) {
    const entry = table.get(name);
    if (entry !== undefined) return { key: name, entry };
  }
  return undefined;
}
