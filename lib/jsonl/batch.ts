/**
 * Collects output text into large chunks: one write per ~64 KB instead of one per record, which
 * is most of the cost of printing a million lines. What is collected is also sent at the next
 * turn of the event loop, so a slow trickle of input (`tail -f | seq-filter`) still shows at once.
 */
export class TextBatch {
  private buffer = '';
  private scheduled = false;

  constructor(
    private readonly send: (text: string) => void,
    private readonly size = 64 * 1024,
  ) {}

  add(text: string): void {
    if (text === '') return;
    this.buffer += text;
    if (this.buffer.length >= this.size) {
      this.flush();
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  flush(): void {
    if (this.buffer === '') return;
    const text = this.buffer;
    this.buffer = '';
    this.send(text);
  }
}
