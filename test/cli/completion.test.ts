/**
 * seq completion: the scripts are sourced in the real shells and asked what they complete,
 * as a user's TAB would. bash always; zsh and fish where they are installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, sh } from '../helpers/cli.js';

/** What bash completes for the words of a line, the last being the one under the cursor. */
function bash(...words: string[]): string[] {
  const line = words.map((word) => `'${word}'`).join(' ');
  const r = sh(`source <(seq completion bash)
COMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _seq; printf '%s\\n' "\${COMPREPLY[@]}"`);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter((word) => word !== '');
}

function has(shell: string): boolean {
  const found = spawnSync(shell, ['-c', 'true']).status === 0;
  if (!found) console.warn(`${shell} is not installed: skipping its completion test (apt-get install ${shell} runs it)`);
  return found;
}

describe('seq completion bash', () => {
  it('completes the commands of seq and of seq-record, and what a command takes', () => {
    expect(bash('seq', 'qu')).toEqual(['query']);
    expect(bash('seq', 'd')).toEqual(['datasets', 'dataset-schema', 'daily']);
    expect(bash('seq', 'cache', '')).toEqual(['info', 'clear']);
    expect(bash('seq-record', 'i')).toEqual(['install-hook']);
    expect(bash('seq', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(bash('seq', 'query', 'spe')).toEqual(['specs']);
  });

  it("completes a command's flags, with --no-FLAG where the help offers it", () => {
    expect(bash('seq', 'query', '--dat')).toEqual(['--dataset', '--database']);
    expect(bash('seq', 'daily', '--b')).toEqual(['--breakdown']);
    expect(bash('seq', 'daily', '--no-c')).toEqual(['--no-cost', '--no-cache']);
    expect(bash('seq-group', '--m')).toEqual(['--metric']);
    expect(bash('seq-record', 'run', '--out')).toEqual(['--outcome', '--output-tokens']);
  });

  it("completes values: datasets, agents, formats, the line's dataset's fields in lists, spec files", () => {
    expect(bash('seq', 'query', '--dataset', 'to')).toEqual(['token_events', 'token_deltas', 'token_sessions', 'tool_calls', 'tool_outputs']);
    expect(bash('seq', 'daily', '--source', 'c')).toEqual(['codex', 'copilot', 'claude']);
    expect(bash('seq', 'query', '--format', 'c')).toEqual(['csv', 'chart']);
    expect(bash('seq', 'export', '--format', '')).toEqual(['parquet', 'csv', 'jsonl']);
    expect(bash('seq-record', 'run', '--outcome', '')).toEqual(['success', 'partial', 'failed']);
    expect(bash('seq-record', 'run', '--failure-category', 'b')).toEqual(['build_error', 'billing']);
    expect(bash('seq-record', 'run', '--phases', 'spec,te')).toEqual(['spec,testgen', 'spec,test']);
    expect(bash('seq', 'query', '--dataset', 'usage', '--by', 'day,mo')).toEqual(['day,month', 'day,model']);
    expect(bash('seq', 'query', '-d', 'tool_calls', '--sort', '-to')).toEqual(['-tool']);
    expect(bash('seq', 'query', '--spec', '@specs/to').sort()).toEqual([
      '@specs/tokens-by-day.json',
      '@specs/tokens-by-model.json',
      '@specs/tokens-by-source-day.json',
      '@specs/tokens-top-days.json',
      '@specs/tokens-top-sessions.json',
      '@specs/tool-errors.json',
      '@specs/tools-rank.json',
    ]);
    expect(bash('seq', 'skill-trend', '--bucket', '')).toEqual(['day', 'week', 'month']);
  });

  it('is refused for a shell it does not know', () => {
    const r = run('seq', ['completion', 'tcsh']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no completion for "tcsh"; give one of bash, zsh, fish');
  });
});

describe.skipIf(!has('zsh'))('seq completion zsh', () => {
  it('loads in zsh and completes through bashcompinit', () => {
    // As zsh's compgen runs it: in sh emulation, where arrays count from 0 as in bash.
    const r = sh(
      `zsh -c 'source <(seq completion zsh); f() { emulate -L sh; COMP_WORDS=(seq query --dataset us); COMP_CWORD=3; _seq; print -l -- "\${COMPREPLY[@]}"; }; f'`,
      { env: { ZDOTDIR: mkdtempSync(join(tmpdir(), 'seq-zsh-')) } },
    );
    expect(r.stderr).toBe('');
    // zsh's compgen leaves the matching to compadd, which keeps the words the typed prefix starts.
    expect(r.stdout.split('\n').filter((word) => word.startsWith('us'))).toEqual(['usage']);
  });
});

describe.skipIf(!has('fish'))('seq completion fish', () => {
  it('loads in fish and completes commands, flags and fields', () => {
    const complete = (line: string): string[] => {
      const r = sh(`fish -c 'seq completion fish | source; complete -C "${line}"'`);
      expect(r.stderr).toBe('');
      return r.stdout
        .split('\n')
        .filter((entry) => entry !== '')
        .map((entry) => entry.split('\t')[0]);
    };
    expect(complete('seq qu')).toEqual(['query']);
    expect(complete('seq daily --br')).toEqual(['--breakdown']);
    expect(complete('seq query -d usage --by mo')).toEqual(['model', 'month']);
    expect(complete('seq completion ')).toEqual(['bash', 'fish', 'zsh']);
  });
});
