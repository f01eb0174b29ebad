/**
 * Collects output text into chunks: one write per ~8 KB instead of one per record, which is most
 * of the cost of printing a million lines. Not larger: lines held longer outlive two collections
 * of the young generation and are moved to the old one, raising the peak. What is collected is
 * also sent at the next turn of the event loop, so a slow trickle of input
 * (`tail -f | seq-filter`) still shows at once.
 */
export class TextBatch {
  private parts: string[] = [];
  private length = 0;
  private scheduled = false;

  constructor(
    private readonly send: (text: string) => void,
    private readonly size = 8 * 1024,
  ) {}

  add(text: string): void {
    if (text === '') return;
    this.parts.push(text);
    this.length += text.length;
    if (this.length >= this.size) {
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
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.length = 0;
    this.send(text);
  }
}
