/**
 * `make bench`: start-up and throughput of the stages, as ratios against other programs measured
 * in the same run on the same machine (so that machine speed and noise cancel out as far as they
 * can). Each figure is the median of several runs, with the min and max beside it.
 *
 *   npx tsx test/bench/bench.ts [--records N] [--runs N] [--sessions N] [--single-mb N]
 *   make bench SIZE=1G     (a 1.1 GB corpus and a 1 GB single transcript)
 */
import { spawnSync } from 'node:child_process';
import { tablesBench } from './tables.js';
import { compare, fmt, installCcusage, option, peakMb, ROOT, sizeOf, stats, type Timing, timed } from './measure.js';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

const RECORDS = option('records', 1_000_000);
const SESSIONS = option('sessions', 2000);
const RUNS = option('runs', 5);
const STARTS = option('starts', 30);
// One Claude transcript of about this many MB, made of the corpus's own transcripts joined.
const SINGLE_MB = option('single-mb', 100);

function generate(path: string, count: number): void {
  const tools = ['Bash', 'Read', 'Edit', 'Grep', 'exec_command', 'apply_patch', 'mcp__github__search', 'shell', 'write_stdin', 'update_plan'];
  const models = ['claude-opus-4-6', 'claude-sonnet-4-5', 'gpt-5.3-codex', 'o3'];
  let x = 20261121;
  const next = (): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x;
  };
  const chunks: string[] = [];
  let chunk = '';
  for (let i = 0; i < count; i++) {
    const day = `2026-${String(1 + (next() % 12)).padStart(2, '0')}-${String(1 + (next() % 28)).padStart(2, '0')}`;
    chunk += `${JSON.stringify({
      source: i % 3 === 0 ? 'claude' : 'codex',
      session_id: `s${next() % 20000}`,
      timestamp: `${day}T${String(next() % 24).padStart(2, '0')}:00:00.000Z`,
      day,
      tool: tools[next() % tools.length],
      model: models[next() % models.length],
      tokens: next() % 5000,
      ok: next() % 5 !== 0,
    })}\n`;
    if (chunk.length > 1 << 20) {
      chunks.push(chunk);
      chunk = '';
    }
  }
  chunks.push(chunk);
  writeFileSync(path, chunks.join(''));
}

function groupsOf(jsonl: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of jsonl.split('\n')) {
    if (!line) continue;
    const row = JSON.parse(line) as { tool: string; count: number };
    out[row.tool] = row.count;
  }
  return out;
}

/** Appends 1% of each of a tenth of the files: whole lines, copies of the file's own last lines. */
function appendToTenth(files: string[]): void {
  for (let i = 0; i < files.length; i += 10) {
    const path = files[i] as string;
    const text = readFileSync(path, 'utf8');
    const want = Math.max(1, Math.floor(text.length / 100));
    let from = text.length - 1;
    while (from > 0 && text.length - from < want) from = text.lastIndexOf('\n', from - 1);
    appendFileSync(path, text.slice(from + 1));
  }
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.name.endsWith('.jsonl')) out.push(path);
  }
  return out.sort();
}

/**
 * Tokens per day over generated session logs, every figure of issue 6 in one run: cold (no
 * cache) against ccusage and jq computing the same totals, warm (cache filled), after appending
 * 1% to a tenth of the files, the pipe of executables against seq query, and peak memory.
 */
function scanBench(hasJq: boolean, startupMs: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'seq-bench-sessions-'));
  const cache = mkdtempSync(join(tmpdir(), 'seq-bench-cache-'));
  try {
    spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'examples/generate.ts'), '--out', dir, '--sessions', String(SESSIONS)], { stdio: 'ignore' });
    const mb = sizeOf(dir);
    const codex = `${dir}/codex`;
    const claude = `${dir}/claude`;
    const query = `seq query --dataset usage --by day --metric sum:total_tokens:tokens --sort day --format jsonl ${dir}`;
    const cold: Record<string, string> = {
      'seq query (cold)': `${query} --no-cache`,
      'seq query (cold, SEQ_THREADS=0)': `SEQ_THREADS=0 ${query} --no-cache`,
      'seq-scan --dataset usage': `seq-scan --no-cache --dataset usage ${dir} > /dev/null`,
      'seq-scan | seq-group | seq-format': `seq-scan --no-cache --dataset usage ${dir} | seq-group --by day --metric sum:total_tokens:tokens | seq-format --sort day --format jsonl`,
      // One scan for every section, against the scans of its sections' own reports, one after the other.
      'seq report-bundle': `seq report-bundle --no-cache --sections Contract,Proof ${dir} > /dev/null`,
      "the bundle's reports one by one": `{ seq role-breakdown --no-cache ${dir}; seq query --no-cache --spec @${join(ROOT, 'specs/tools-rank.json')} ${dir}; seq token-usage --no-cache ${dir}; seq section-audit --no-cache --sections Contract,Proof ${dir}; } > /dev/null`,
    };
    // jq: Codex deltas of the cumulative totals per file (codex-days.jq), Claude usage once per (message.id, requestId), largest kept.
    const jqCodex = `find ${codex} -name '*.jsonl' -print0 | xargs -0 jq -cn -f ${join(ROOT, 'test/bench/codex-days.jq')}`;
    const jqClaude = `find ${claude} -name '*.jsonl' -print0 | xargs -0 jq -cn '[inputs | select(.type == "assistant" and .message.usage != null and .message.model != "<synthetic>") | {k: "\\(.message.id):\\(.requestId)", day: .timestamp[0:10], t: (.message.usage | (.input_tokens + .output_tokens + (.cache_creation_input_tokens // 0) + (.cache_read_input_tokens // 0)))}] | group_by(.k) | map(max_by(.t)) | group_by(.day) | map({key: .[0].day, value: (map(.t) | add)}) | from_entries'`;
    const days = (jsonl: string): Map<string, number> =>
      new Map(
        jsonl
          .split('\n')
          .filter(Boolean)
          .map((line) => {
            const row = JSON.parse(line) as { day: string; tokens: number };
            return [row.day, row.tokens];
          }),
      );
    const ours = days(timed(cold['seq query (cold)'] as string).stdout);
    if (timed(cold['seq-scan | seq-group | seq-format'] as string).stdout !== timed(cold['seq query (cold)'] as string).stdout)
      throw new Error('the pipe and seq query disagree');
    if (hasJq) cold['jq (same totals)'] = `{ ${jqCodex}; ${jqClaude}; }`;
    // ccusage (the Rust rewrite), reading the same corpus as its only history.
    const ccusage = installCcusage();
    if (ccusage) {
      const home = join(dir, 'empty-home');
      mkdirSync(home);
      const command = `HOME=${home} CODEX_HOME=${codex} CLAUDE_CONFIG_DIR=${claude} ${ccusage} daily --json --offline`;
      cold['ccusage daily --json --offline'] = `${command} > /dev/null`;
      const theirs = JSON.parse(timed(command).stdout) as { totals: { totalTokens: number } };
      const total = [...ours.values()].reduce((a, b) => a + b, 0);
      if (theirs.totals.totalTokens !== total) throw new Error(`ccusage and seq disagree on the total: ${theirs.totals.totalTokens} against ${total}`);
    }
    if (hasJq) {
      const theirs = new Map<string, number>();
      for (const line of timed(cold['jq (same totals)'] as string).stdout.split('\n')) {
        if (!line) continue;
        for (const [day, tokens] of Object.entries(JSON.parse(line) as Record<string, number>)) theirs.set(day, (theirs.get(day) ?? 0) + tokens);
      }
      const same = [...ours].every(([day, tokens]) => theirs.get(day) === tokens) && ours.size === theirs.size;
      if (!same) throw new Error('jq and seq disagree on tokens per day');
    }
    const times = compare(cold, RUNS);

    // Warm: the cache filled once, nothing changed since.
    const cached = `XDG_CACHE_HOME=${cache} ${query}`;
    const fill = timed(cached);
    if (fill.stdout !== timed(`${query} --no-cache`).stdout) throw new Error('the cached scan disagrees with the cold one');
    const warm = compare({ warm: cached }, RUNS).warm as Timing;
    // After appending: each run appends 1% to a tenth of the files, then scans (the append is not timed).
    const files = listFiles(dir);
    const appendSamples: number[] = [];
    let last = '';
    for (let i = 0; i < RUNS; i++) {
      appendToTenth(files);
      const t = timed(cached);
      appendSamples.push(t.ms);
      last = t.stdout;
    }
    if (last !== timed(`${query} --no-cache`).stdout) throw new Error('after appending, the cached scan disagrees with a cold one');
    const appended = stats(appendSamples);

    const coldQuery = times['seq query (cold)'] as Timing;
    const line = (name: string, t: Timing, command: string | undefined): void => {
      const peak = command === undefined ? undefined : peakMb(command);
      const share = name.startsWith('jq') || name.startsWith('ccusage') ? '' : `  start-up ${((startupMs / t.median) * 100).toFixed(0)}%`;
      console.log(`  ${name.padEnd(34)} ${fmt(t)}  ${(mb / (t.median / 1000)).toFixed(0)} MB/s${peak ? `  peak ${peak.toFixed(0)} MB` : ''}${share}`);
    };
    console.log(
      `\nScan: tokens per day over ${files.length.toLocaleString('en')} generated session files, ${mb.toFixed(0)} MB (both agents), ${RUNS} runs each`,
    );
    for (const [name, t] of Object.entries(times)) line(name, t, name.startsWith('jq') ? undefined : cold[name]);
    line('seq query (warm: cache filled)', warm, cached);
    appendToTenth(files);
    line('seq query (after appending 1%)', appended, cached);
    const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined ? 'n/a' : `${(a / b).toFixed(2)}x`);
    console.log(`  cache fill (first cached scan)     ${fill.ms.toFixed(0)} ms, ${ratio(fill.ms, coldQuery.median)} of cold`);
    const cc = times['ccusage daily --json --offline']?.median;
    console.log(
      `  ratio cold / ccusage               ${cc === undefined ? 'n/a: ccusage could not be installed (npm install ccusage@20.0.24 failed)' : ratio(coldQuery.median, cc)}  (target: at most 1.0x)`,
    );
    if (hasJq) console.log(`  ratio jq / cold                    ${ratio(times['jq (same totals)']?.median, coldQuery.median)} faster  (target: at least 3x)`);
    else console.log('  jq is not installed: no ratio against jq (apt-get install jq)');
    console.log(`  ratio warm / cold                  ${ratio(warm.median, coldQuery.median)}  (target: at most 0.1x)`);
    console.log(`  ratio appended / cold              ${ratio(appended.median, coldQuery.median)}  (target: at most 0.1x)`);
    console.log(`  ratio pipe / seq query             ${ratio(times['seq-scan | seq-group | seq-format']?.median, coldQuery.median)}  (target: at most 1.3x)`);
    console.log(
      `  ratio cold / cold in one thread    ${ratio(coldQuery.median, times['seq query (cold, SEQ_THREADS=0)']?.median)}  (what the reading threads buy)`,
    );
    console.log(
      `  ratio bundle / its reports         ${ratio(times['seq report-bundle']?.median, times["the bundle's reports one by one"]?.median)}  (one scan for every section)`,
    );
    console.log(`  (start-up: seq-filter --version takes ${startupMs.toFixed(0)} ms; the share of each time is beside it)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}

/**
 * Claude tokens per day, the work ccusage does with `ccusage claude daily`: over the Claude part
 * of a generated corpus, cold, against ccusage, on every thread count from none to one per core
 * (SEQ_THREADS), with the default beside them; and over a history of about 20 MB, where start-up
 * counts as much as reading.
 */
function claudeBench(): void {
  const ccusage = installCcusage();
  const cores = availableParallelism();
  for (const [label, sessions] of [
    ['corpus', SESSIONS],
    ['history of about 20 MB', 400],
  ] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'seq-bench-claude-'));
    try {
      spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'examples/generate.ts'), '--out', dir, '--sessions', String(sessions)], { stdio: 'ignore' });
      const claude = join(dir, 'claude');
      const mb = sizeOf(claude);
      const query = `seq query --no-cache --dataset usage --by day --metric sum:total_tokens:tokens --sort day --format jsonl ${claude}`;
      const commands: Record<string, string> = { 'seq query (default threads)': query };
      if (label === 'corpus')
        for (let threads = 0; threads <= cores; threads++) commands[`seq query, SEQ_THREADS=${threads}`] = `SEQ_THREADS=${threads} ${query}`;
      const total = (jsonl: string): number =>
        jsonl
          .split('\n')
          .filter(Boolean)
          .reduce((sum, line) => sum + (JSON.parse(line) as { tokens: number }).tokens, 0);
      const ours = total(timed(query).stdout);
      if (ccusage) {
        const home = join(dir, 'empty-home');
        mkdirSync(home);
        const command = `HOME=${home} CLAUDE_CONFIG_DIR=${claude} ${ccusage} claude daily --json --offline`;
        const theirs = JSON.parse(timed(command).stdout) as { totals: { totalTokens: number } };
        if (theirs.totals.totalTokens !== ours) throw new Error(`ccusage and seq disagree on the Claude total: ${theirs.totals.totalTokens} against ${ours}`);
        commands['ccusage claude daily --json --offline'] = `${command} > /dev/null`;
      }
      const times = compare(commands, label === 'corpus' ? RUNS : Math.max(RUNS, 15));
      console.log(`\nClaude tokens per day, cold, over a ${label}: ${mb.toFixed(0)} MB of Claude transcripts, ${cores} cores`);
      for (const [name, t] of Object.entries(times)) {
        const peak = name.startsWith('ccusage') ? undefined : peakMb(commands[name] as string);
        console.log(`  ${name.padEnd(38)} ${fmt(t)}${peak ? `  peak ${peak.toFixed(0)} MB` : ''}`);
      }
      const cc = times['ccusage claude daily --json --offline']?.median;
      const seq = times['seq query (default threads)']?.median ?? 0;
      const target = label === 'corpus' ? 'at most 1.0x' : 'at most 3x';
      console.log(
        `  ratio seq / ccusage                     ${cc === undefined ? 'n/a: ccusage could not be installed' : `${(seq / cc).toFixed(2)}x`}  (target: ${target})`,
      );
      if (label === 'corpus') {
        const best = Math.min(
          ...Object.entries(times)
            .filter(([name]) => name.includes('SEQ_THREADS'))
            .map(([, t]) => t.median),
        );
        console.log(`  ratio default / best thread count       ${(seq / best).toFixed(2)}x  (target: at most 1.0x)`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * One large Claude transcript (a long-lived session): the transcripts of a generated corpus
 * joined into one file, all given one session id, until it holds about SINGLE_MB. Its requests
 * all stay distinct, so the dedupe keys grow with it as in a real one.
 */
function singleFileBench(): void {
  const dir = mkdtempSync(join(tmpdir(), 'seq-bench-single-'));
  try {
    // A generated session's Claude files come to about 45 kB.
    const sessions = Math.ceil((SINGLE_MB * 1e6) / 45_000);
    spawnSync(
      join(ROOT, 'node_modules/.bin/tsx'),
      [join(ROOT, 'examples/generate.ts'), '--out', join(dir, 'corpus'), '--sessions', String(sessions), '--seed', '7'],
      { stdio: 'ignore' },
    );
    const file = join(dir, 'session.jsonl');
    const joined = spawnSync('bash', [
      '-c',
      `find ${join(dir, 'corpus/claude')} -name '*.jsonl' -print0 | sort -z | xargs -0 cat | sed -E 's/"sessionId":"[^"]*"/"sessionId":"0b5e2d1c-1111-4a4a-9c9c-000000000001"/' > ${file} && rm -rf ${join(dir, 'corpus')}`,
    ]);
    if (joined.status !== 0) throw new Error(`could not build the single transcript: ${joined.stderr}`);
    const mb = statSync(file).size / 1e6;
    const commands: Record<string, string> = {
      'seq-scan --dataset usage': `seq-scan --no-cache --dataset usage ${file} > /dev/null`,
      'seq query tokens by day': `seq query --no-cache --dataset usage --by day --metric sum:total_tokens:tokens --sort day --format jsonl ${file} > /dev/null`,
    };
    const cache = mkdtempSync(join(tmpdir(), 'seq-bench-cache-'));
    const warm = `XDG_CACHE_HOME=${cache} seq query --dataset usage --by day --metric sum:total_tokens:tokens --sort day --format jsonl ${file} > /dev/null`;
    timed(warm); // fills the cache
    commands['seq query (warm)'] = warm;
    const times = compare(commands, Math.min(RUNS, 3));
    rmSync(cache, { recursive: true, force: true });
    console.log(`\nOne Claude transcript of ${mb.toFixed(0)} MB (one session, its requests all distinct)`);
    for (const [name, t] of Object.entries(times)) {
      const peak = peakMb(commands[name] as string);
      console.log(
        `  ${name.padEnd(26)} ${fmt(t)}  ${(mb / (t.median / 1000)).toFixed(0)} MB/s${peak ? `  peak ${peak.toFixed(0)} MB` : ''}  (target: under 150 MB)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `seq statusline` on a warm cache over a corpus of Claude transcripts, of which a few were
 * written in the last minutes (as while a session runs) and the rest a month ago.
 */
function statuslineBench(): void {
  const dir = mkdtempSync(join(tmpdir(), 'seq-bench-statusline-'));
  try {
    spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'examples/generate.ts'), '--out', dir, '--sessions', String(SESSIONS)], { stdio: 'ignore' });
    const claude = join(dir, 'claude');
    const files = listFiles(claude).filter((file) => file.endsWith('.jsonl'));
    const old = new Date(Date.now() - 30 * 86_400_000);
    for (const file of files) utimesSync(file, old, old);
    const now = new Date();
    for (const file of files.slice(0, 3)) utimesSync(file, now, now);
    const transcript = files[0] as string;
    const input = join(dir, 'status.json');
    writeFileSync(input, JSON.stringify({ session_id: 'bench', transcript_path: transcript, model: { display_name: 'Opus' } }));
    const home = join(dir, 'home');
    mkdirSync(home);
    const cache = join(dir, 'cache');
    const command = `HOME=${home} XDG_CACHE_HOME=${cache} CLAUDE_CONFIG_DIR=${claude} seq statusline < ${input} > /dev/null`;
    timed(command); // fills the cache
    const times = compare({ node: 'node -e 0', statusline: command }, Math.max(RUNS, 15));
    const t = times.statusline as Timing;
    console.log(`\nseq statusline, warm, over ${sizeOf(claude).toFixed(0)} MB of Claude transcripts (${files.length} files, 3 written just now)`);
    console.log(`  ${'node -e 0'.padEnd(22)} ${fmt(times.node as Timing)}`);
    console.log(`  ${'seq statusline'.padEnd(22)} ${fmt(t)}  ${(t.median / (times.node?.median ?? 1)).toFixed(2)}x node  (target: at most 3x)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const hasJq = spawnSync('jq', ['--version']).status === 0;
  console.log(`seq bench: ${RECORDS.toLocaleString('en')} records, ${RUNS} runs each (${STARTS} for start-up), node ${process.version}\n`);

  // The record stages load only the stages (no scanner, sources, cache or threads); seq-scan and seq load more.
  const programs = ['seq-filter', 'seq-group', 'seq-format', 'seq-scan', 'seq'];
  const startup = compare({ node: 'node -e 0', ...Object.fromEntries(programs.map((name) => [name, `${name} --version`])) }, STARTS);
  const nodeMs = startup.node?.median ?? 1;
  console.log('Start-up');
  console.log(`  ${'node -e 0'.padEnd(22)} ${fmt(startup.node as Timing)}`);
  for (const name of programs) {
    const t = startup[name] as Timing;
    console.log(`  ${`${name} --version`.padEnd(22)} ${fmt(t)}  ${(t.median / nodeMs).toFixed(2)}x node  (target: at most 1.5x)`);
  }
  console.log('');

  const dir = mkdtempSync(join(tmpdir(), 'seq-bench-'));
  try {
    const file = join(dir, 'records.jsonl');
    generate(file, RECORDS);
    const mb = statSync(file).size / 1e6;
    const commands: Record<string, string> = {
      'seq-filter | seq-group': `seq-filter --where 'tokens > 1000' < ${file} | seq-group --by tool`,
      'seq query': `seq query --dataset jsonl --where 'tokens > 1000' --by tool --format jsonl ${file}`,
    };
    if (hasJq) {
      commands['jq | jq'] =
        `jq -c 'select(.tokens > 1000)' < ${file} | jq -c -n 'reduce inputs as $r ({}; .[$r.tool] += 1) | to_entries[] | {tool: .key, count: .value}'`;
      commands['jq (one process)'] =
        `jq -c -n 'reduce (inputs | select(.tokens > 1000)) as $r ({}; .[$r.tool] += 1) | to_entries[] | {tool: .key, count: .value}' < ${file}`;
    }
    // Every command must give the same answer before its time means anything.
    const answers = Object.entries(commands).map(([name, command]) => [name, groupsOf(timed(command).stdout)] as const);
    const [first] = answers;
    for (const [name, answer] of answers) {
      if (JSON.stringify(Object.entries(answer).sort()) !== JSON.stringify(Object.entries(first?.[1] ?? {}).sort())) {
        throw new Error(`${name} disagrees with ${first?.[0]}: ${JSON.stringify(answer)}`);
      }
    }
    const times = compare(commands, RUNS);
    console.log(`Throughput: filter 'tokens > 1000', then count by tool, over ${mb.toFixed(0)} MB`);
    for (const [name, t] of Object.entries(times)) {
      console.log(`  ${name.padEnd(24)} ${fmt(t)}  ${(mb / (t.median / 1000)).toFixed(0)} MB/s`);
    }
    if (hasJq) {
      const ours = times['seq-filter | seq-group']?.median ?? 0;
      const jq = times['jq | jq']?.median ?? 1;
      const jqOne = times['jq (one process)']?.median ?? 1;
      console.log(`  ratio seq pipe / jq pipe        ${(ours / jq).toFixed(2)}x  (target: below 1, faster than jq)`);
      console.log(`  ratio seq pipe / jq one process ${(ours / jqOne).toFixed(2)}x`);
      console.log(`  ratio seq query / jq pipe       ${((times['seq query']?.median ?? 0) / jq).toFixed(2)}x`);
    } else {
      console.log('  jq is not installed: no ratio against jq (apt-get install jq)');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  scanBench(hasJq, startup['seq-filter']?.median ?? 0);
  claudeBench();
  singleFileBench();
  statuslineBench();
  tablesBench(SESSIONS, RUNS);
}

main();
