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

  it('an inline spec is quoted for the shell', () => {
    const spec = '{"dataset":"jsonl","where":[{"field":"note","op":"contains","value":"it\'s"}]}';
    const explain = run('seq', ['query', '--spec', spec, DATA, '--explain']);
    expect(explain.stdout.split('\n')[0]).toBe(
      `seq-scan --spec '{"dataset":"jsonl","where":[{"field":"note","op":"contains","value":"it'\\''s"}]}' ${DATA} \\`,
    );
    expect(sh(explain.stdout).stdout).toBe(run('seq', ['query', '--spec', spec, DATA]).stdout);
  });
});
