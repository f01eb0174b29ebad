/**
 * `seq report`: one overview of the logs, as JSON or as a self-contained HTML page: tokens and
 * cost per day by source, by model, the 5-hour blocks, the top tools and skills, and (with
 * --sections) the section audit. Every figure is a grouping of one scan, by the stages' code.
 */
import type { Values } from '../base/command.js';
import type { JsonValue, Row } from '../jsonl/json.js';
import { withCost } from '../datasets/costs.js';
import type { Metric } from '../spec/types.js';
import { formatShorthand } from '../stages/format-options.js';
import { BLOCK_INPUT, BLOCK_MS, blockRequests, blockRows, HAS_TIME, sayUnreadTimes, UNREAD_TIMES, withoutCosts } from './blocks.js';
import { now } from '../time/now.js';
import { ask, sortKeys, type Question } from './engine.js';
import { daySeries } from './day-series.js';
import { overviewPage, PALETTE, type Overview } from './overview-page.js';
import { countOption, mentionParams, topRows, type Report } from './run.js';
import { auditJson, auditSetup, sectionAuditsQuestion } from './section-audit.js';
import { skillsRankBranch } from './skills-rank.js';
import { notOneOf } from '../base/suggestion.js';
import type { OVERVIEW_FLAGS } from './flags.js';

/** The sums of each day, model and the whole; a cost is null where a request had no price (none with --no-cost). */
function sums(costs: boolean): Metric[] {
  return [
    { op: 'sum', field: 'total_tokens', as: 'total_tokens' },
    ...(costs ? [{ op: 'sum_strict', field: 'cost_usd', as: 'cost_usd' } as const] : []),
    { op: 'count', field: undefined, as: 'requests' },
  ];
}

export function overviewJson(overview: Overview): JsonValue {
  const { totals, days, daysByModel, models, blocks, tools, skills, sectionAudit } = overview;
  return { totals, days, days_by_model: daysByModel, models, blocks, tools, skills, section_audit: sectionAudit };
}

export const overview: Report<Values<typeof OVERVIEW_FLAGS>> = (given) => {
  const context = { ...given, scan: (spec: Record<string, JsonValue>) => given.scan({ tz: 'local', ...spec }) };
  const { values } = context;
  const format = formatShorthand(values) ?? (values.output?.endsWith('.html') === true ? 'html' : 'json');
  if (format !== 'html' && format !== 'json') throw notOneOf('--format', format, ['html', 'json']);
  const top = countOption(values.top, 'top', 10);
  const setup = auditSetup(values, false, 0);
  const at = now();
  const scan = context.scan({ dataset: 'usage' });
  const costs = withCost(scan.params);
  const metrics = sums(costs);
  const usage: Question<Pick<Overview, 'totals' | 'days' | 'daysByModel' | 'sourceSeries' | 'modelSeries' | 'models' | 'blocks'>> = {
    scan,
    branches: [
      { where: [HAS_TIME], group: { groupBy: [], metrics } },
      { where: [HAS_TIME], group: { groupBy: ['day', 'source'], metrics }, sort: sortKeys('day', 'source') },
      { where: [HAS_TIME], group: { groupBy: ['day', 'model'], metrics }, sort: sortKeys('day', 'model') },
      { where: [HAS_TIME], group: { groupBy: ['model'], metrics }, sort: sortKeys('-total_tokens', 'model'), limit: top },
      { where: blockRequests(values.source), select: BLOCK_INPUT, sort: sortKeys('timestamp') },
      UNREAD_TIMES,
    ],
    answer: ([totals = [], days = [], daysByModel = [], models = [], rows = [], unread = []]) => {
      sayUnreadTimes(unread[0], context.run.problems);
      return {
        totals: totals[0] ?? {},
        days,
        daysByModel,
        sourceSeries: daySeries(days, 'source', PALETTE.length, costs),
        modelSeries: daySeries(daysByModel, 'model', PALETTE.length, costs),
        models: topRows(models, top),
        blocks: costs ? blockRows(rows, BLOCK_MS, at) : withoutCosts(blockRows(rows, BLOCK_MS, at)),
      };
    },
  };
  const tools: Question<Row[]> = {
    scan: context.scan({ dataset: 'tool_calls' }),
    branches: [{ group: { groupBy: ['tool'], metrics: [{ op: 'count', field: undefined, as: 'count' }] }, sort: sortKeys('-count', 'tool'), limit: top }],
    answer: ([rows = []]) => topRows(rows, top),
  };
  const skills: Question<Row[]> = {
    scan: context.scan({ dataset: 'skill_mentions', params: mentionParams(values) }),
    branches: [skillsRankBranch(top)],
    answer: ([rows = []]) => topRows(rows, top),
  };
  return async () => {
    const [tokens, toolRows, skillRows, audits] = await ask(
      [usage, tools, skills, setup ? sectionAuditsQuestion(context, setup, [undefined]) : undefined],
      context.run,
    );
    const audit = audits?.[0];
    const figures: Overview = {
      ...tokens,
      costs,
      tools: toolRows,
      skills: skillRows,
      sectionAudit: audit === undefined ? null : auditJson(audit),
    };
    if (format === 'json') return `${JSON.stringify(overviewJson(figures), null, 2)}\n`;
    return overviewPage(figures, new Date(at).toISOString(), scan.tz);
  };
};
