/**
 * Apache's RateLogger: a repeated message within the interval is counted, not logged; the count
 * is flushed when a different message arrives or the interval passes. Clock injected for tests.
 */
export class RateLogger {
  private msg: string | null = null;
  private value: string | null = null;
  private count = 0;
  private timestamp = 0;

  constructor(
    private readonly warn: (where: string, line: string) => void,
    private readonly where: (line: number) => string,
    private readonly interval = 100,
    private readonly now: () => number = () => performance.now(),
  ) {}

  log(newMsg: string, newValue: string | null = null): void {
    const now = this.now();
    if (newMsg === this.msg) {
      this.count++;
      this.value = newValue;
      if (now - this.timestamp >= this.interval) {
        this.flush();
        this.msg = newMsg;
        this.timestamp = now;
        this.value = newValue;
      }
      return;
    }
    this.flush();
    this.msg = newMsg;
    this.timestamp = now;
    this.value = newValue;
    this.warn(this.where(87), `Message:${newMsg} Value:${newValue}`);
  }

  flush(): void {
    if (this.msg !== null && this.count > 0) {
      let line = this.count > 1 ? `[${this.count} times] ` : "";
      line += `Message: ${this.msg}`;
      if (this.value !== null) line += ` Last value:${this.value}`;
      this.warn(this.where(57), line);
    }
    this.msg = null;
    this.value = null;
    this.count = 0;
  }
}
