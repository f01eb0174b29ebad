/**
 * For every spec in specs/ and test/specs/, the pipe of separate executables that
 * `seq query --explain` prints writes byte for byte what `seq query` writes.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, ROOT, run, sh, tempFiles } from '../helpers/cli.js';
import { FIXTURES, generatedSessions, hasFixtures } from '../helpers/sessions.js';

const DATA = 'test/data/records.jsonl';

function specsIn(folder: string): string[] {
  return readdirSync(join(ROOT, folder))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => `${folder}/${name}`);
}

const specs = [...specsIn('specs'), ...specsIn('test/specs')];

describe('seq query and the pipe of stages agree', () => {
  it('there are specs to compare', () => {
    expect(specsIn('specs').length).toBeGreaterThan(0);
    expect(specsIn('test/specs').length).toBeGreaterThanOrEqual(10);
  });

  it.each(specs)('%s', (spec) => {
    // Session-log specs read session logs (the fixtures, else generated ones); the others, records.
    const dataset = (JSON.parse(readFileSync(join(ROOT, spec), 'utf8')) as { dataset: string }).dataset;
    const sessions = hasFixtures ? [`${FIXTURES}/codex/sessions`, `${FIXTURES}/claude/projects`] : [generatedSessions()];
    const inputs = dataset === 'jsonl' ? [DATA] : sessions;
    const query = run('seq', ['query', '--spec', `@${spec}`, ...inputs]);
    expect(query.stderr).toBe('');
    expect(query.status).toBe(0);
    expect(query.stdout.length).toBeGreaterThan(0);

    const explain = run('seq', ['query', '--spec', `@${spec}`, ...inputs, '--explain']);
    expect(explain.status).toBe(0);
    expect(explain.stdout).toBe(
      `seq-scan --spec @${spec} ${inputs.join(' ')} \\\n  | seq-filter --spec @${spec} \\\n  | seq-group --spec @${spec} \\\n  | seq-format --spec @${spec}\n`,
    );
    const pipe = sh(explain.stdout);
    expect(pipe.stderr).toBe('');
    expect(pipe.status).toBe(0);
    expect(pipe.stdout).toBe(query.stdout);
  });

  it('flags given to seq query go to their stage in the pipe, with the format the flags imply', () => {
    const args = ['query', '--dataset', 'jsonl', '--where', 'tokens > 10', '--by', 'source', '--metric', 'sum:tokens:tokens', '--sort', '-tokens', DATA];
    const query = run('seq', args);
    const explain = run('seq', [...args, '--explain']);
    expect(explain.stdout).toBe(
      `seq-scan --dataset jsonl ${DATA} \\\n  | seq-filter --where 'tokens > 10' \\\n  | seq-group --by source --metric sum:tokens:tokens \\\n  | seq-format --sort -tokens --format table\n`,
    );
    expect(query.stdout).toBe('source  tokens\n------  ------\ncodex     5127\nclaude  2310.5\n');
    expect(sh(explain.stdout).stdout).toBe(query.stdout);
  });

  it("seq's own specs are found from any folder, in the pipe too, unless the folder has a file of that name", () => {
    const elsewhere = tempFiles({});
    const inputs = [generatedSessions()];
    const here = run('seq', ['query', '--spec', '@specs/tools-rank.json', ...inputs]);
    const there = run('seq', ['query', '--spec', '@specs/tools-rank.json', ...inputs], { cwd: elsewhere });
    expect(there).toEqual(here);
    const explain = run('seq', ['query', '--spec', '@specs/tools-rank.json', ...inputs, '--explain'], { cwd: elsewhere });
    expect(sh(explain.stdout, { cwd: elsewhere }).stdout).toBe(here.stdout);
    mkdirSync(join(elsewhere, 'specs'));
    writeFileSync(join(elsewhere, 'specs/tools-rank.json'), '{"dataset":"tool_calls","group_by":["tool"],"limit":1,"sort":"-count"}');
    expect(jsonLines(run('seq', ['query', '--spec', '@specs/tools-rank.json', '--format', 'jsonl', ...inputs], { cwd: elsewhere }).stdout)).toHaveLength(1);
  });

  it('a field no row of the dataset has is refused before any log is read, with what was meant', () => {
    const refused: Array<[string[], string]> = [
      [
        ['query', '--dataset', 'usage', '--by', 'modle'],
        'spec.group_by[0]: "modle" is no field of usage; did you mean model? (seq dataset-schema --dataset usage lists them)',
      ],
      [
        ['query', '--dataset', 'usage', '--metric', 'sum:total_tokns'],
        'spec.metrics[0].field: "total_tokns" is no field of usage; did you mean total_tokens? (seq dataset-schema --dataset usage lists them)',
      ],
      [
        ['query', '--dataset', 'token_sessions', '--select', 'path,total_tokens'],
        'spec.select[1]: "total_tokens" is no field of token_sessions (seq dataset-schema --dataset token_sessions lists them)',
      ],
      [
        ['query', '--dataset', 'tool_calls', '--where', 'tol == Bash'],
        'spec.where[0].field: "tol" is no field of tool_calls; did you mean tool? (seq dataset-schema --dataset tool_calls lists them)',
      ],
      [['query', '--dataset', 'usage', '--by', 'model', '--sort', '-cnt'], 'spec.sort[0]: "cnt" is no column of the grouped rows (they are model, count)'],
      [
        ['daily', '--sort', '-cost'],
        'spec.sort[0]: "cost" is no column of the grouped rows; did you mean cost_usd? (they are day, input, output, cache_write, cache_read, total, cost_usd, requests)',
      ],
      [
        ['export', '--dataset', 'sessions', '--where', 'turn > 3'],
        'spec.where[0].field: "turn" is no field of sessions; did you mean turns? (seq dataset-schema --dataset sessions lists them)',
      ],
      // Fields that another param makes: the schema lists them, so the message says that they need it.
      [
        ['query', '--dataset', 'messages', '--by', 'missing_sections'],
        'spec.group_by[0]: "missing_sections" is a field of messages only with another param (seq dataset-schema --dataset messages says which)',
      ],
      [
        ['export', '--dataset', 'messages', '--where', 'has_section_2 == 1'],
        'spec.where[0].field: "has_section_2" is a field of messages only with another param (seq dataset-schema --dataset messages says which)',
      ],
      [
        ['query', '--dataset', 'messages', '--by', 'has_section_x'],
        'spec.group_by[0]: "has_section_x" is no field of messages (seq dataset-schema --dataset messages lists them)',
      ],
    ];
    for (const [args, message] of refused)
      expect(run('seq', [...args, '/nonexistent']), args.join(' ')).toEqual({ status: 2, stdout: '', stderr: `seq: ${message}\n` });
    // A dotted path into a field of lists or objects is that field's.
    const sections = run('seq', [
      'query',
      '--dataset',
      'messages',
      '--param',
      'sections=["Summary"]',
      '--by',
      'missing_sections.0',
      '--format',
      'jsonl',
      generatedSessions(),
    ]);
    expect(sections.status).toBe(0);
    expect(jsonLines(sections.stdout).length).toBeGreaterThan(0);
    // Datasets whose records keep their own keys take any name.
    expect(run('seq', ['query', '--dataset', 'jsonl', '--by', 'anything', '--format', 'jsonl', DATA]).status).toBe(0);
    const store = tempFiles({ 'm.json': '{"version":1,"runs":[]}' });
    expect(run('seq', ['query', '--dataset', 'runs', '--by', 'metrics.anything', join(store, 'm.json')]).status).toBe(0);
  });

  it('an inline spec is quoted for the shell', () => {
    const spec = '{"dataset":"jsonl","where":[{"field":"note","op":"contains","value":"it\'s"}]}';
    const explain = run('seq', ['query', '--spec', spec, DATA, '--explain']);
    expect(explain.stdout.split('\n')[0]).toBe(
      `seq-scan --spec '{"dataset":"jsonl","where":[{"field":"note","op":"contains","value":"it'\\''s"}]}' ${DATA} \\`,
    );
    expect(sh(explain.stdout).stdout).toBe(run('seq', ['query', '--spec', spec, DATA]).stdout);
  });
});
