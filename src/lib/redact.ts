// Secrets redaction: every value registered (the API key, a signing secret) is replaced by
// [REDACTED] in whatever is written out, in each form it may take there.
import { escapeControl, REDACTED } from '../ui/format.js';

export { REDACTED };

/** Below this length a secret is redacted only where it stands as a whole token, not inside words. */
const SHORT_SECRET = 8;

/** Every way a secret may be written out: as is, JSON-escaped, percent-encoded, terminal-escaped. */
function secretForms(value: string): string[] {
  return [...new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), escapeControl(value)])];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Redactor {
  private readonly secrets = new Set<string>();
  /** The secrets longest first (so a form that contains another is replaced whole), kept sorted. */
  private sorted: string[] = [];
  private shortSecrets: RegExp | undefined;
  private readonly shortForms = new Set<string>();

  /** Registers a value that must never appear in output, logs or traces. */
  add(value: string | undefined): void {
    if (!value) return;
    for (const form of secretForms(value)) {
      if (form.length >= SHORT_SECRET) {
        this.secrets.add(form);
        this.sorted = [...this.secrets].sort((a, b) => b.length - a.length);
      } else if (!this.shortForms.has(form)) {
        this.shortForms.add(form);
        const alternatives = [...this.shortForms].sort((a, b) => b.length - a.length).map(escapeRegExp);
        this.shortSecrets = new RegExp(`(?<![A-Za-z0-9_.-])(?:${alternatives.join('|')})(?![A-Za-z0-9_-])`, 'g');
      }
    }
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.sorted) if (out.includes(s)) out = out.split(s).join(REDACTED);
    if (this.shortSecrets) out = out.replace(this.shortSecrets, REDACTED);
    return out;
  }
}
