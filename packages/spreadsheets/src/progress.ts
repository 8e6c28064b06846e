/**
 * Import progress: a cli-progress bar on a terminal (bytes of the file read drive the bar and the
 * ETA; rows done and rows/s beside it), plain lines every few seconds otherwise (CI logs, pipes).
 */
import cliProgress from 'cli-progress';
import { t } from '@moral-registry/common';

export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

export interface Progress {
  update(bytes: number, rows: number): void;
  /** Prints a line above the bar (a bar on the terminal only; otherwise undefined). */
  log?(line: string): void;
  stop(): void;
}

const seconds = (ms: number) => ms / 1000;

function eta(startedAt: number, bytes: number, totalBytes: number): number | null {
  const fraction = totalBytes > 0 ? bytes / totalBytes : 0;
  if (fraction <= 0) return null;
  return Math.max(0, (seconds(Date.now() - startedAt) * (1 - fraction)) / fraction);
}

export function startProgress(
  mode: ProgressMode,
  label: string,
  totalBytes: number,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Progress {
  const chosen = mode === 'auto' ? (process.stderr.isTTY ? 'bar' : 'lines') : mode;
  const startedAt = Date.now();
  const rate = (rows: number) => Math.round(rows / Math.max(seconds(Date.now() - startedAt), 0.001));
  if (chosen === 'none') return { update() {}, stop() {} };
  if (chosen === 'bar') {
    // A multi-bar with one bar: it can print lines (rejected rows) above the bar without breaking it.
    const bars = new cliProgress.MultiBar(
      {
        // cli-progress's own placeholders, passed through the message (Thai or English) as they are.
        format: t('cli.import.progressBar', {
          label,
          bar: '{bar}',
          percent: '{percentage}',
          rows: '{rows}',
          rate: '{rate}',
          left: '{eta_formatted}',
        }),
        hideCursor: true,
        etaBuffer: 50,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    const bar = bars.create(Math.max(totalBytes, 1), 0, { rows: 0, rate: 0 });
    return {
      update: (bytes, rows) => bar.update(Math.min(bytes, totalBytes), { rows, rate: rate(rows) }),
      log: (line) => bars.log(`${line}\n`),
      stop: () => bars.stop(),
    };
  }
  let lastAt = 0;
  return {
    update(bytes, rows) {
      if (Date.now() - lastAt < 2000) return;
      lastAt = Date.now();
      const left = eta(startedAt, bytes, totalBytes);
      const percent = totalBytes > 0 ? Math.min(100, Math.round((bytes / totalBytes) * 100)) : 0;
      const secondsLeft = left === null ? 'unknown' : String(Math.ceil(left));
      write(
        t('cli.import.progressLine', {
          label,
          rows,
          percent,
          rate: rate(rows),
          left: t('cli.import.progressLeft', { seconds: secondsLeft }),
        }),
      );
    },
    stop() {},
  };
}
