// Completion in real shells — bash (with bash-completion), zsh (in tmux) and fish — using the
// committed scripts and the built binary; and the committed scripts match the command tree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../src/core/scenarios.js';
import { RECEIVER_CHECK_IDS } from '../../src/core/receiver-checks.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT,
  isolatedEnv,
  runBin,
  startBinEmulator,
  type BinEmulator,
  ANCHOR_EXECUTABLE,
  anchorCommand,
} from '../helpers/bin.js';
import { Terminal } from '../helpers/tmux.js';
import { lacks } from '../helpers/tools.js';

const FILES = { bash: 'completions/anchor.bash', zsh: 'completions/_anchor', fish: 'completions/anchor.fish' } as const;

// `anchor` on PATH, as an installed CLI would be; a folder with a file to complete.
const binDir = mkdtempSync(join(tmpdir(), 'anchor-path-'));
symlinkSync(ANCHOR_EXECUTABLE, join(binDir, 'anchor'));
const work = mkdtempSync(join(tmpdir(), 'anchor-files-'));
writeFileSync(join(work, 'body.json'), '{}');
writeFileSync(join(work, 'bootstrap.txt'), '');

let emu: BinEmulator;
let webhookId: string;
let env: Record<string, string>;
beforeAll(async () => {
  emu = await startBinEmulator();
  env = isolatedEnv({
    PATH: `${binDir}:${process.env.PATH}`,
    ANCHOR_API_URL: emu.url,
    ANCHOR_API_KEY: 'completion-key',
  });
  const created = await runBin(
    [
      'webhooks',
      'create',
      '--url',
      'https://hooks.example.com/c',
      '--event',
      'task.failed',
      '--description',
      'for completion',
      '--json',
    ],
    { env },
  );
  webhookId = JSON.parse(created.stdout).id;
});
afterAll(async () => {
  await emu.stop();
});

function bash(line: string, extraEnv: Record<string, string> = {}): string[] {
  const words = line.split(' ');
  // Single quotes: the harness itself must not expand what is "typed".
  const q = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
  const script = [
    'source /usr/share/bash-completion/bash_completion',
    `source ${join(ROOT, FILES.bash)}`,
    `COMP_LINE=${q(line)}`,
    'COMP_POINT=${#COMP_LINE}',
    `COMP_WORDS=(${words.map(q).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    '_anchor',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
    env: { ...env, ...extraEnv },
    cwd: work,
    encoding: 'utf8',
  });
  return r.stdout.split('\n').filter(Boolean).sort();
}

function fish(line: string): string[] {
  const r = spawnSync(
    'fish',
    ['--no-config', '-c', `source ${join(ROOT, FILES.fish)}; complete -C ${JSON.stringify(line)}`],
    { env, cwd: work, encoding: 'utf8' },
  );
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0]!);
}

describe('committed scripts', () => {
  it.each(Object.entries(FILES))(
    '%s: completions/ matches `anchor completion` (run `npm run completions` after changing commands)',
    async (shell, path) => {
      const r = await runBin(['completion', shell]);
      expect(r.code).toBe(0);
      expect(readFileSync(join(ROOT, path), 'utf8')).toBe(r.stdout);
      for (const cmd of ['webhooks create', 'webhooks listen', 'events trigger', 'auth login', 'completion'])
        expect(r.stdout).toContain(cmd);
    },
  );

  it('an unknown shell is exit 2', async () => {
    const r = await runBin(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bash, zsh, fish');
  });
});

describe.skipIf(lacks('bash-completion'))('bash', () => {
  it('completes commands, subcommands and flags', () => {
    expect(bash('anchor web')).toEqual(['webhooks']);
    expect(bash('anchor webhooks cr')).toEqual(['create']);
    expect(bash('anchor webhooks create --sec')).toEqual(['--secret-file']);
    expect(bash('anchor webhooks deliveries --st')).toEqual(['--status']);
    expect(bash('anchor webhooks deliveries x --status s')).toEqual(['succeeded']);
  });

  it("a group's default command lends it its flags: webhooks received is received list", () => {
    expect(bash('anchor webhooks received --si')).toEqual(['--since']);
    expect(bash('anchor webhooks received --type task.f')).toEqual(['task.failed']);
    expect(bash('anchor webhooks received sh')).toEqual(['show']);
  });

  it('completes scenario names, chaos kinds (in a comma list) and check ids, from their declarations', () => {
    expect(bash('anchor events trigger --scenario human')).toEqual(['human-in-the-loop']);
    expect(bash('anchor events trigger --scenario ')).toEqual([...SCENARIO_NAMES].sort());
    expect(bash('anchor events trigger --chaos dup')).toEqual(['duplicate']);
    expect(bash('anchor events trigger --chaos duplicate,re')).toEqual(['duplicate,reorder']);
    expect(bash('anchor webhooks check-receiver http://localhost:3000/ --only rej')).toEqual(
      RECEIVER_CHECK_IDS.filter((id) => id.startsWith('rej')).sort(),
    );
    expect(bash('anchor webhooks listen --until task.c')).toEqual(['task.cancelled', 'task.completed']);
  });

  it('completes event types after --event, --add-event, --remove-event, --events, events show and events trigger', () => {
    expect(bash('anchor webhooks create --event task.f')).toEqual(['task.failed']);
    expect(bash('anchor webhooks update wh_1 --add-event intervention.r')).toEqual([
      'intervention.requested',
      'intervention.resolved',
    ]);
    expect(bash('anchor webhooks create --event task.completed,session.f')).toEqual(['task.completed,session.failed']);
    expect(bash('anchor webhooks update wh_1 --remove-event batch.c')).toEqual(['batch.completed']);
    expect(bash('anchor webhooks listen --events identity.a')).toEqual([
      'identity.authenticated',
      'identity.authentication_failed',
    ]);
    expect(bash('anchor events show session.rec')).toEqual(['session.recording.ready']);
    expect(bash('anchor events trigger task.he')).toEqual(['task.healed']);
  });

  it('completes file names after --payload and --secret-file, and none elsewhere', () => {
    expect(bash('anchor webhooks verify --payload bo')).toEqual(['body.json', 'bootstrap.txt']);
    expect(bash('anchor webhooks sign --secret-file body')).toEqual(['body.json']);
    expect(bash('anchor webhooks create --url bo')).toEqual([]);
  });

  it('completes webhook ids from the API when a key is configured, and nothing (quietly) when the API is down', () => {
    expect(bash('anchor webhooks get wh_')).toEqual([webhookId]);
    expect(bash('anchor webhooks delete ')).toEqual([webhookId]);
    expect(bash('anchor webhooks get wh_', { ANCHOR_API_URL: 'http://127.0.0.1:9' })).toEqual([]);
    expect(bash('anchor webhooks get wh_', { ANCHOR_API_KEY: '' })).toEqual([]);
  });

  it('never evaluates what was typed', () => {
    const marker = join(work, 'pwned');
    bash(`anchor webhooks $(touch${'${IFS}'}${marker})`);
    expect(spawnSync('test', ['-e', marker]).status).not.toBe(0);
  });
});

describe.skipIf(lacks('fish'))('fish', () => {
  it('completes commands, flags, event types, files and ids', () => {
    expect(fish('anchor webhooks cr')).toEqual(['create']);
    expect(fish('anchor webhooks create --ev')).toEqual(['--event']);
    expect(fish('anchor webhooks create --event task.c')).toEqual(['task.cancelled', 'task.completed']);
    expect(fish('anchor events show batch.')).toEqual(['batch.completed', 'batch.failed']);
    expect(fish('anchor webhooks verify --payload bo')).toEqual(['body.json', 'bootstrap.txt']);
    expect(fish('anchor webhooks rotate-secret wh')).toEqual([webhookId]);
  });
});

describe.skipIf(lacks('zsh', 'tmux'))('zsh (in a real terminal)', () => {
  it('completes a command, event types, and files', async () => {
    const zenv = { ...env, ZDOTDIR: work, TERM: 'xterm-256color' };
    writeFileSync(
      join(work, '.zshrc'),
      `autoload -U compinit && compinit -u\nsource ${join(ROOT, FILES.zsh)}\nPROMPT='%% '\ncd ${work}\n`,
    );
    const t = new Terminal(zenv);
    try {
      t.start('zsh -i');
      await t.waitFor('%');
      t.type('anchor webhooks cr');
      t.press('Tab');
      await t.waitFor('anchor webhooks create ');
      t.type('--event task.fa');
      t.press('Tab');
      await t.waitFor('--event task.failed ');
      t.type('--secret-file bod');
      t.press('Tab');
      await t.waitFor('--secret-file body.json');
      t.press('C-c');
      t.type('anchor events show session.r');
      t.press('Tab');
      await t.waitFor('anchor events show session.re');
      t.press('Tab');
      const screen = await t.waitFor('session.recording.ready');
      expect(screen).toContain('session.ready');
    } finally {
      t.close();
    }
  });
});

describe('the completion query', () => {
  it('answers in the protocol the scripts read', () => {
    const out = execFileSync(...anchorCommand(['__complete', 'webhooks', 'cr']), { env, encoding: 'utf8' });
    expect(out).toBe('create\tcreate a webhook; its signing secret is shown once (or written to --secret-file)\n:4\n');
    const files = execFileSync(...anchorCommand(['__complete', 'webhooks', 'verify', '--payload', '']), {
      env,
      encoding: 'utf8',
    });
    expect(files).toBe(':0\n');
  });
});
