/**
 * A progress line on a terminal (stderr), nothing when stderr is a pipe or a file: the JSONL on
 * stdout stays clean either way.
 */
export class Progress {
  private last = 0;
  private readonly started = Date.now();

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly total: number | null,
    private readonly label: string,
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  tick(done: number, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const rate = done / Math.max(0.001, (now - this.started) / 1000);
    const width = 30;
    let bar = '';
    if (this.total) {
      const filled = Math.round((done / this.total) * width);
      bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total}`;
    } else bar = `${done}`;
    this.stream.write(`\r${this.label} ${bar}  ${rate.toFixed(0)}/s `);
  }

  done(done: number): void {
    if (!this.enabled) return;
    this.tick(done, true);
    this.stream.write('\n');
  }
}
