// The registry: every command id loads a handler bound to that command's own declaration. The
// type half is checked by `npm run typecheck` (each @ts-expect-error must meet an error, or tsc
// fails); the runtime half loads every handler module.
import { describe, expect, it } from 'vitest';
import { handler } from '../../src/commands/handler.js';
import { registry, type Registry } from '../../src/commands/registry.js';
import { allSpecs } from '../../src/commands/tree-lookup.js';
import { listCommand } from '../../src/commands/webhooks/list/decl.js';
import { getCommand } from '../../src/commands/webhooks/get/decl.js';

// A handler reads only its own declaration's flags…
// @ts-expect-error: `webhooks list` has no --url
handler(listCommand, async (flags) => flags.url);
// …and its positional arguments typed from their names: `[id]` may be missing.
// @ts-expect-error: string | undefined is not a string
handler(getCommand, async (_flags, [id]) => id.trim());
handler(getCommand, async (_flags, [id]) => id?.trim());

// A registry entry whose module's handler is bound to another command's declaration fails the build.
export const mismatched: Pick<Registry, 'webhooks get'> = {
  // @ts-expect-error: the list handler is bound to `webhooks list`, not `webhooks get`
  'webhooks get': () => import('../../src/commands/webhooks/list/handler.js'),
};

describe('the registry', () => {
  const specs = allSpecs();

  it('has one entry per command of the tree, and no other', () => {
    expect(Object.keys(registry).sort()).toEqual(specs.map((s) => s.id).sort());
  });

  it.each(specs.map((s) => [s.id, s] as const))('%s loads a handler bound to its declaration', async (id, spec) => {
    const mod = await registry[id]();
    expect(mod.default.spec).toBe(spec);
  });
});
