// An ora spinner on stderr, only in a terminal of known width and never with --json or in CI;
// silent otherwise. Stopping it never throws: what follows a spinner may be a secret shown once.
import type { GlobalOptions } from '../globals.js';
import type { IO } from '../io.js';
import { usableColumns } from './format.js';

export interface Spinner {
  stop: () => void;
  /** Changes the text (a no-op when the spinner is not shown). */
  update: (text: string) => void;
}

const SILENT: Spinner = { stop: () => {}, update: () => {} };

/** What a spinner needs of its caller: stderr and whether it is a terminal, the flags that silence it, colour. */
export interface SpinnerHost {
  readonly io: Pick<IO, 'stderr'>;
  readonly stderrIsTTY: boolean;
  readonly globals: Pick<GlobalOptions, 'json' | 'debug'>;
  readonly inCI: boolean;
  readonly colorStderr: boolean;
}

export async function startSpinner(ctx: SpinnerHost, text: string): Promise<Spinner> {
  const stream = ctx.io.stderr;
  // ora redraws by counting wrapped lines against the width: with a width of 0 it never finishes.
  if (
    !ctx.stderrIsTTY ||
    ctx.globals.json ||
    ctx.inCI ||
    ctx.globals.debug ||
    usableColumns(stream.columns) === undefined
  )
    return SILENT;
  const { default: ora } = await import('ora');
  const spinner = ora({
    text,
    stream,
    color: ctx.colorStderr ? 'cyan' : false,
    isEnabled: true,
    discardStdin: false,
  }).start();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    stream.off?.('resize', onResize);
    try {
      spinner.stop();
    } catch {
      // A spinner that cannot clear itself leaves a line behind; that is all.
    }
  };
  // A terminal resized to an unusable width mid-spin: stop before the next frame is drawn.
  const onResize = () => {
    if (usableColumns(stream.columns) === undefined) stop();
  };
  stream.on?.('resize', onResize);
  return {
    stop,
    update: (t) => {
      if (!stopped) spinner.text = t;
    },
  };
}
