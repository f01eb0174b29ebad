/** The stages in pipes with jq, both ways, as users combine them. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { jsonLines, sh } from '../helpers/cli.js';

const hasJq = spawnSync('jq', ['--version']).status === 0;
if (!hasJq) {
  if (process.env.CI) throw new Error('jq is not installed, and CI must run the jq tests: .ci/run installs it');
  console.warn('jq is not installed: skipping the jq pipe tests (install jq to run them)');
}

describe.skipIf(!hasJq)('pipes with jq', () => {
  it('jq reads what the stages write', () => {
    const r = sh(`seq-scan --dataset jsonl test/data/records.jsonl | seq-filter --where 'source == codex' | jq -r .tool`);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('mcp__github__search\nBash\nexec_command\napply_patch\nshell\n');
  });

  it('the stages read what jq writes', () => {
    const compact = sh(
      `jq -c '{tool, n: (.tokens | numbers)}' test/data/records.jsonl | seq-group --by tool --metric sum:n:n | seq-format --sort -n --limit 2 --format csv`,
    );
    expect(compact.stdout).toBe('tool,n\nBash,1259\nmcp__linear__create_issue,810.5\n');
    expect(compact.status).toBe(0);
  });

  it('seq-group totals agree with jq computing the same', () => {
    const ours = jsonLines(sh(`seq-group --by source --metric sum:tokens:t test/data/records.jsonl`).stdout);
    const theirs = JSON.parse(
      sh(
        `jq -s 'map(select(.tokens | type == "number" or (type == "string" and test("^[0-9.]+$")))) | group_by(.source) | map({source: .[0].source, t: (map(.tokens | tonumber) | add)})' test/data/records.jsonl`,
      ).stdout,
    ) as unknown;
    expect(ours).toEqual(theirs);
  });
});
