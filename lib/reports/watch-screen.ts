/** What `seq watch` shows: today's usage and the running block's, as lines of text. */
import type { JsonValue } from '../jsonl/json.js';
import { countText } from '../stages/formats/cells.js';
import { dollarsToCent, type Recent, timeLeft } from './recent.js';

const count = (value: JsonValue | undefined): string => countText(typeof value === 'number' ? value : 0);

/** Hours and minutes of a local instant: `14:05`. */
function clock(iso: JsonValue | undefined): string {
  const date = new Date(String(iso));
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** The screen: a title line, then today, the block, its burn rate and where that leads; `withCost` false (--no-cost): no dollars. */
export function watchScreen(recent: Recent, at: number, title: string, problem: string | undefined, withCost = true): string[] {
  const { today, block } = recent;
  const money = (value: JsonValue | undefined): string => (withCost ? `  ${dollarsToCent(value).padStart(9)}` : '');
  const lines = [title, ''];
  lines.push(`Today        ${count(today.total_tokens).padStart(12)} tokens${money(today.cost_usd)}  ${count(today.requests)} requests`);
  if (block === undefined) lines.push('Block        none running');
  else {
    lines.push(
      `Block ${clock(block.block_start)}  ${count(block.total).padStart(12)} tokens${money(block.cost_usd)}  ${timeLeft(block.minutes_left)} left, until ${clock(block.block_end)}`,
    );
    if (typeof block.tokens_per_minute === 'number')
      lines.push(
        `Burn rate    ${count(block.tokens_per_minute).padStart(12)} tokens a minute${withCost ? `, ${dollarsToCent(block.cost_per_hour)} an hour` : ''}`,
      );
    if (typeof block.projected_total === 'number')
      lines.push(`By ${clock(block.block_end)}     ${count(block.projected_total).padStart(12)} tokens${money(block.projected_cost_usd)}  at this pace`);
  }
  lines.push('', `as of ${new Date(at).toLocaleTimeString('en-GB')}${problem === undefined ? '' : `  (${problem})`}`);
  return lines;
}
