// `anchor completion <shell>`: its help. The command is in handler.ts.
import { arg, command } from '../spec.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

export const completionCommand = command(
  {
    id: 'completion',
    description: 'print the shell completion script for bash, zsh or fish',
  },
  () => ({
    args: [arg('<shell>', 'bash, zsh or fish', { choices: SHELLS, completes: SHELLS })],
    flags: {},
    examples: [
      'anchor completion bash > ~/.local/share/bash-completion/completions/anchor',
      'anchor completion zsh > "${fpath[1]}/_anchor"',
      'anchor completion fish > ~/.config/fish/completions/anchor.fish',
    ],
  }),
);
