/**
 * Progress of a long scan on stderr: files, bytes and MB/s, shown only on a terminal, only after
 * the first second, and cleared at the end so that nothing is left between the output lines.
 */
export interface ScanProgress {
  files: number;
  totalFiles: number;
  bytes: number;
}

function size(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Starts showing progress (when stderr is a terminal and not --quiet); returns the function that stops it. */
export function showProgress(program: string, read: () => ScanProgress, enabled: boolean): () => void {
  if (!enabled || !process.stderr.isTTY) return () => undefined;
  const started = Date.now();
  let shown = false;
  const timer = setInterval(() => {
    const elapsed = (Date.now() - started) / 1000;
    if (elapsed < 1) return;
    const p = read();
    const rate = p.bytes / 1e6 / elapsed;
    const line = `${program}: ${p.files}/${p.totalFiles} files, ${size(p.bytes)}, ${rate.toFixed(0)} MB/s`;
    process.stderr.write(`\r${line.slice(0, Math.max(20, (process.stderr.columns || 80) - 1))}\x1b[K`);
    shown = true;
  }, 250);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (shown) process.stderr.write('\r\x1b[K');
  };
}
