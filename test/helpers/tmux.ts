// A real terminal for end-to-end prompt tests: a private tmux server running one command, driven
// with send-keys and read with capture-pane.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export class Terminal {
  private readonly socket = `anchor-test-${randomBytes(4).toString('hex')}`;
  private ended = false;

  constructor(private readonly env: Record<string, string>) {}

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { env: this.env, encoding: 'utf8' });
  }

  /** Runs `command` in a 120x40 terminal (or the size given); when it ends, the screen shows `EXIT:<code>`. */
  start(command: string, size: { columns: number; rows: number } = { columns: 120, rows: 40 }): void {
    this.tmux(
      'new-session',
      '-d',
      '-s',
      'main',
      '-x',
      String(size.columns),
      '-y',
      String(size.rows),
      `${command}; echo "EXIT:$?"; sleep 600`,
    );
  }

  /** Types text literally. */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', '--', text);
  }

  /** Presses named keys: Enter, Space, Down, BSpace, C-c … */
  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', 'main');
  }

  cursorVisible(): boolean {
    return this.tmux('display-message', '-p', '-t', 'main', '#{cursor_flag}').trim() === '1';
  }

  async waitFor(what: string | RegExp, timeoutMs = 10_000): Promise<string> {
    const start = Date.now();
    for (;;) {
      const s = this.screen();
      if (typeof what === 'string' ? s.includes(what) : what.test(s)) {
        // Wait for the prompt to finish drawing: the screen unchanged across two captures.
        let last = s;
        for (;;) {
          await new Promise((r) => setTimeout(r, 50));
          const now = this.screen();
          if (now === last) return now;
          if (Date.now() - start > timeoutMs)
            throw new Error(`the screen kept changing after showing ${String(what)}:\n${now}`);
          last = now;
        }
      }
      if (Date.now() - start > timeoutMs)
        throw new Error(`timed out waiting for ${String(what)}; the screen shows:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async exitCode(timeoutMs = 10_000): Promise<number> {
    const s = await this.waitFor(/EXIT:\d+/, timeoutMs);
    return Number(s.match(/EXIT:(\d+)/)![1]);
  }

  /** Ends the session as closing its window would: tmux closes the terminal, whose programs get SIGHUP. */
  hangUp(): void {
    this.tmux('kill-session', '-t', 'main');
    // Its only session gone, the server has exited: close() has nothing left to end.
    this.ended = true;
  }

  close(): void {
    if (this.ended) return;
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }
}
