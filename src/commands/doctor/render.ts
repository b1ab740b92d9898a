// `anchor doctor` for people: a line per check (✓ passed, ✗ failed, – skipped) with its detail,
// the fix indented under a failure, then a summary, and which checks --webhook would add.
import type { Context } from '../../context.js';
import { escapeControl, style } from '../../ui/format.js';
import { CHECK_IDS, WEBHOOK_CHECKS, type DoctorReport } from './report.js';

export function renderDoctor(report: DoctorReport, ctx: Context): void {
  const s = style(ctx.colorStdout);
  const width = Math.max(...CHECK_IDS.map((id) => id.length));
  for (const c of report.checks) {
    const mark = c.skipped ? s.dim('–') : c.ok ? s.green('✓') : s.red('✗');
    const detail = c.skipped ? s.dim(`skipped: ${escapeControl(c.detail)}`) : escapeControl(c.detail);
    ctx.out(`${mark} ${c.id.padEnd(width)}  ${detail}\n`);
    if (c.fix) ctx.out(`  ${' '.repeat(width)}  fix: ${escapeControl(c.fix)}\n`);
  }
  const failed = report.checks.filter((c) => !c.ok).length;
  const skippedChecks = report.checks.filter((c) => c.skipped);
  const passed = report.checks.length - failed - skippedChecks.length;
  ctx.out(
    `\n${failed ? s.red(`${failed} failed`) : s.green('Nothing wrong found')}, ${passed} passed, ${skippedChecks.length} skipped.\n`,
  );
  const needWebhook = skippedChecks.filter(
    (c) => WEBHOOK_CHECKS.includes(c.id) && c.detail.startsWith('needs --webhook'),
  );
  if (needWebhook.length)
    ctx.out(`${needWebhook.map((c) => c.id).join(', ')} were skipped: \`anchor doctor --webhook <id>\` runs them.\n`);
}
