// The command line's words as a model reads them: flags become the tool's arguments (a flag and
// its twin named once), commands a tool runs become the tool, a command only the user can run is
// handed on as such, exit codes and environment-only switches are said in the server's terms.
import { describe, expect, it } from 'vitest';
import { buildTools } from '../../src/mcp/tools.js';
import { inModelWords } from '../../src/mcp/model-words.js';

const TOOLS = buildTools();
const say = (tool: string, text: string) =>
  inModelWords(
    text,
    TOOLS.find((t) => t.name === tool)!,
    TOOLS,
  );

describe('MCP messages in the model words', () => {
  it('name the arguments and tools for the flags and commands, and each tool has an output schema', () => {
    expect(
      say('create_webhook', 'invalid --event "x": not an Anchor event type. See every type with `anchor events list`.'),
    ).toBe('invalid events "x": not an Anchor event type. See every type with list_event_types.');
    expect(
      say(
        'update_webhook',
        'Pass at least one of --url, --description, --no-description, --event, --enable, --disable.',
      ),
    ).toBe('Pass at least one of url, description, events, enabled.');
    expect(
      say('send_test_event', 'Follow it with `anchor webhooks deliveries wh_1 --event task.completed --follow`.'),
    ).toBe('Follow it with list_deliveries.');
    expect(say('list_received', 'Run `anchor webhooks listen --register <url>` first.')).toBe(
      'Run `anchor webhooks listen --register <url>` (a command for the user to run in a terminal) first.',
    );
    expect(say('create_webhook', 'For a local receiver behind the emulator, pass --allow-local-targets.')).toContain(
      "set ANCHOR_ALLOW_LOCAL_TARGETS=1 in the MCP server's environment",
    );
    expect(say('send_test_event', 'follow the delivery; exit 6 unless it succeeded')).toBe(
      'follow the delivery; the call fails unless it succeeded',
    );
    // A usage line is the command line's syntax; a group alone is its default command's tool.
    expect(
      say(
        'create_webhook',
        'missing --event\nUsage: anchor webhooks create --url https://example.com/hooks --event task.completed [--event …]; in a terminal, run it without flags to be asked.',
      ),
    ).toBe("missing events\nSee the tool's input schema for its arguments.");
    expect(say('replay', 'See what was recorded with `anchor webhooks received`.')).toBe(
      'See what was recorded with list_received.',
    );
    for (const tool of TOOLS) expect(tool.output, tool.name).toBeDefined();
  });
});
