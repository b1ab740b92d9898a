// The declaration of one command id, read off the tree (tree.ts), typed by that id: for the callers
// that name a command rather than dispatch a command line (`anchor mcp`'s tools); and all of them.
import { TREE, type AnySpec, type CommandId, type SpecOf, type TreeNode } from './tree.js';

const isSpecOf = <Id extends CommandId>(node: TreeNode, id: Id): node is SpecOf<Id> => 'id' in node && node.id === id;

function find<Id extends CommandId>(nodes: readonly TreeNode[], id: Id): SpecOf<Id> | undefined {
  for (const node of nodes) {
    if (isSpecOf(node, id)) return node;
    if ('group' in node) {
      const found = find(node.commands, id);
      if (found) return found;
    }
  }
  return undefined;
}

export function specById<Id extends CommandId>(id: Id): SpecOf<Id> {
  const spec = find(TREE, id);
  // The tree derives CommandId, so every id is in it.
  if (!spec) throw new Error(`no declaration of ${id} in the tree`);
  return spec;
}

/** Every declaration of the tree, in its order. */
export function allSpecs(nodes: readonly TreeNode[] = TREE): AnySpec[] {
  return nodes.flatMap((node) => ('group' in node ? allSpecs(node.commands) : [node as AnySpec]));
}
