// The command tree: every declaration, in the order help lists them, grouped as `anchor <group>
// <command>`. program.ts builds commander from it; the handler registry (registry.ts) is typed by
// the ids it derives, so a command without a handler, or a handler bound to another command's
// declaration, fails `npm run typecheck`.
import type { CommandSpec } from './spec.js';
import { emulatorCommand } from './emulator/decl.js';
import { completionCommand } from './completion/decl.js';
import { mcpCommand } from './mcp/decl.js';
import { doctorCommand } from './doctor/decl.js';
import { loginCommand } from './auth/login/decl.js';
import { statusCommand } from './auth/status/decl.js';
import { logoutCommand } from './auth/logout/decl.js';
import { configPathCommand } from './config/path/decl.js';
import { configListCommand } from './config/list/decl.js';
import { configGetCommand } from './config/get/decl.js';
import { configSetCommand } from './config/set/decl.js';
import { configUnsetCommand } from './config/unset/decl.js';
import { createCommand } from './webhooks/create/decl.js';
import { listCommand } from './webhooks/list/decl.js';
import { getCommand } from './webhooks/get/decl.js';
import { updateCommand } from './webhooks/update/decl.js';
import { enableCommand } from './webhooks/enable/decl.js';
import { disableCommand } from './webhooks/disable/decl.js';
import { deleteCommand } from './webhooks/delete/decl.js';
import { rotateSecretCommand } from './webhooks/rotate-secret/decl.js';
import { testCommand } from './webhooks/test/decl.js';
import { deliveriesCommand } from './webhooks/deliveries/decl.js';
import { verifyCommand } from './webhooks/verify/decl.js';
import { signCommand } from './webhooks/sign/decl.js';
import { listenCommand } from './webhooks/listen/decl.js';
import { exportCommand } from './webhooks/export/decl.js';
import { applyCommand } from './webhooks/apply/decl.js';
import { checkReceiverCommand } from './webhooks/check-receiver/decl.js';
import { receivedListCommand } from './webhooks/received/list/decl.js';
import { receivedShowCommand } from './webhooks/received/show/decl.js';
import { receivedClearCommand } from './webhooks/received/clear/decl.js';
import { replayCommand } from './webhooks/replay/decl.js';
import { inspectCommand } from './webhooks/inspect/decl.js';
import { eventsListCommand } from './events/list/decl.js';
import { eventsShowCommand } from './events/show/decl.js';
import { scenariosCommand } from './events/scenarios/decl.js';
import { triggerCommand } from './events/trigger/decl.js';

/** The tree: top-level commands and groups, in the order help lists them. */
export const TREE = [
  emulatorCommand,
  {
    group: 'auth',
    description: 'log in, check and forget the API key',
    examples: [
      'anchor auth login',
      'printf %s "$KEY" | anchor auth login --with-key --profile staging',
      'anchor auth status',
    ],
    commands: [loginCommand, statusCommand, logoutCommand],
  },
  {
    group: 'config',
    description: 'non-secret settings per profile (api-url)',
    examples: [
      'anchor config set api-url http://127.0.0.1:4010',
      'anchor config list --profile staging',
      'anchor config path',
    ],
    commands: [configPathCommand, configListCommand, configGetCommand, configSetCommand, configUnsetCommand],
  },
  {
    group: 'webhooks',
    description: 'manage webhooks, send test events, read the delivery log, verify and sign deliveries, listen locally',
    examples: [
      'anchor webhooks create --url https://example.com/hooks --event task.completed --secret-file ./anchor-secret',
      'anchor webhooks list',
      'anchor webhooks update wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --add-event task.failed',
      'anchor webhooks delete wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --yes',
    ],
    commands: [
      createCommand,
      listCommand,
      getCommand,
      updateCommand,
      enableCommand,
      disableCommand,
      deleteCommand,
      rotateSecretCommand,
      testCommand,
      deliveriesCommand,
      verifyCommand,
      signCommand,
      listenCommand,
      {
        group: 'received',
        description:
          'the requests `listen` recorded (the delivery record); `received show <id>` for one, `received clear` to remove them',
        examples: [
          'anchor webhooks received',
          'anchor webhooks received --refused --since 1h',
          'anchor webhooks received show rec_0m1a2b3c4001ab',
          'anchor webhooks received --failed',
          'anchor webhooks received clear --refused --yes',
        ],
        commands: [receivedListCommand, receivedShowCommand, receivedClearCommand],
        default: 'list',
      },
      replayCommand,
      inspectCommand,
      checkReceiverCommand,
      exportCommand,
      applyCommand,
    ],
    // As gh groups a command's subcommands; the order of `commands` stays that of completion.
    sections: {
      'Manage webhooks:': ['create', 'list', 'get', 'update', 'enable', 'disable', 'delete', 'rotate-secret'],
      'Test and debug:': ['test', 'deliveries', 'verify', 'sign', 'check-receiver'],
      'Listen locally and the delivery record:': ['listen', 'received', 'replay', 'inspect'],
      'Webhooks as code:': ['export', 'apply'],
    },
  },
  {
    group: 'events',
    description: 'the event types Anchor delivers, and what their payloads look like',
    examples: ['anchor events list', 'anchor events show task.failed'],
    commands: [eventsListCommand, eventsShowCommand, scenariosCommand, triggerCommand],
  },
  doctorCommand,
  mcpCommand,
  completionCommand,
] as const;

/** The words that run a node of the tree: a group's name, or a command's name and alias. */
export function namesOf(node: TreeNode): string[] {
  if ('group' in node) return [node.group];
  const name = node.id.split(' ').at(-1)!;
  return node.alias ? [name, node.alias] : [name];
}

/** A group of commands (`webhooks`, `webhooks received`), with the one run when none is named. */
export interface TreeGroup {
  group: string;
  description: string;
  examples: readonly string[];
  commands: readonly TreeNode[];
  default?: string;
  /** Help's sections of the group's commands (heading → names); shown in the order of `commands`. */
  sections?: Readonly<Record<string, readonly string[]>>;
}
export type TreeNode = CommandSpec | TreeGroup;
type Ids<N> = N extends CommandSpec<infer Id> ? Id : N extends { commands: readonly (infer C)[] } ? Ids<C> : never;
/** Every command the tree can dispatch; the loader map in cli.ts must have exactly these keys. */
export type CommandId = Ids<(typeof TREE)[number]>;

type Specs<N> = N extends CommandSpec ? N : N extends { commands: readonly (infer C)[] } ? Specs<C> : never;
/** Every declaration of the tree. */
export type AnySpec = Specs<(typeof TREE)[number]>;
/** The declaration of one command id. */
export type SpecOf<Id extends CommandId> = Extract<AnySpec, { id: Id }>;
