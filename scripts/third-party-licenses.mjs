// What a bundle carries of other people's code, and their licences to ship beside it: shared by
// the CLI's build (scripts/build.mjs) and the action's (action/build.mjs).
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** A set of the packages esbuild bundled, and `note(result)` to add those of one build's metafile. */
export function bundledPackages() {
  const names = new Set();
  const note = (result) => {
    for (const input of Object.keys(result.metafile.inputs)) {
      const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g);
      if (m)
        names.add(
          m
            .at(-1)
            .replace(/^node_modules\//, '')
            .replace(/\/$/, ''),
        );
    }
  };
  return { names, note };
}

/** Each package's name, version, licence and licence text (files looked for in a stable order). */
export function licenseNotices(root, names) {
  return [...names].sort().map((name) => {
    const dir = resolve(root, 'node_modules', name);
    const meta = JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir)
      .sort()
      .find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file
      ? readFileSync(resolve(dir, file), 'utf8').trim()
      : `License: ${meta.license ?? 'see the package'}`;
    return `${name}@${meta.version} (${meta.license ?? 'unknown'})\n${'-'.repeat(72)}\n${text}\n`;
  });
}
