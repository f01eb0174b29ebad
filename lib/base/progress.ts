/**
 * Progress of a long scan on stderr: files, bytes and MB/s, shown only on a terminal, only after
 * the first second, and cleared at the end so that nothing is left between the output lines.
 */
export interface ScanProgress {
  files: number;
  bytes: number;
}

function size(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * Starts showing progress (when stderr is a terminal and not --quiet) once the scan has run for
 * SEQ_PROGRESS_AFTER_MS (default 1000); returns the function that stops and clears it.
 */
export function showProgress(program: string, read: () => ScanProgress, enabled: boolean): () => void {
  if (!enabled || !process.stderr.isTTY) return () => undefined;
  const setting = Number(process.env.SEQ_PROGRESS_AFTER_MS);
  const after = Number.isFinite(setting) && setting >= 0 ? setting : 1000;
  const started = Date.now();
  let shown = false;
  const render = (): void => {
    const p = read();
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    const line = `${program}: ${p.files} files, ${size(p.bytes)}, ${(p.bytes / 1e6 / seconds).toFixed(0)} MB/s`;
    process.stderr.write(`\r${line.slice(0, Math.max(20, (process.stderr.columns || 80) - 1))}\x1b[K`);
    shown = true;
  };
  let timer: NodeJS.Timeout | undefined;
  const delay = setTimeout(() => {
    render();
    timer = setInterval(render, 250);
    timer.unref();
  }, after);
  delay.unref();
  return () => {
    clearTimeout(delay);
    if (timer) clearInterval(timer);
    if (shown) process.stderr.write('\r\x1b[K');
  };
}
