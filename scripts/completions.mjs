// `npm run completions`: writes completions/ from the built binary (a test checks they match).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const files = { bash: 'completions/anchor.bash', zsh: 'completions/_anchor', fish: 'completions/anchor.fish' };
for (const [shell, path] of Object.entries(files)) {
  writeFileSync(
    new URL(`../${path}`, import.meta.url),
    execFileSync(process.execPath, ['bin/anchor.cjs', 'completion', shell]),
  );
  console.log(`wrote ${path}`);
}
