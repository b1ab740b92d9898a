// The apply file (`anchor webhooks apply -f`): YAML or JSON, read with the yaml parser so that
// every problem has a line and a column, and checked with the same rules and messages as the flags
// of `create`. All problems are found at once (the first ones are listed); nothing is sent when
// there is one.
import {
  Composer,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  Parser,
  YAMLParseError,
  type CST,
  type Document,
  type Node,
  type Pair,
  type Scalar,
} from 'yaml';
import { checkDescription, checkWebhookUrl, normalizeWebhookUrl, type UrlRule } from '../../../core/url-rules.js';
import { MAX_WEBHOOKS_PER_PROJECT } from '../../../core/limits.js';
import { quoteId, unsafeIdReason } from '../../../lib/safe-name.js';
import { eventTypeProblem } from '../../flags.js';
import { fileError, unknownKey, urlRulesHint, type FilePlace, type FileProblem } from './file-problems.js';

export { MAX_LISTED_PROBLEMS, type FileProblem } from './file-problems.js';

/** Anchor's limit of webhooks per project. */
export const WEBHOOK_LIMIT = MAX_WEBHOOKS_PER_PROJECT;

export interface DesiredWebhook {
  /** The webhook this entry is, when the file pins it (then a changed URL is an update). */
  id?: string;
  /** Where the id is in the file, to name it if the project has no such webhook. */
  idAt?: FilePlace;
  /** Normalized as `create` sends it. */
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
}

/**
 * How deep collections may nest. The file needs 4 levels (the root, `webhooks`, an entry, its
 * `events`); the yaml composer recurses once per level, so a file nested thousands deep would
 * overflow the stack ("Maximum call stack size exceeded" at 1:1) instead of saying what is wrong.
 */
export const MAX_NESTING = 64;

const TOP_KEYS = ['$schema', 'webhooks'];
const ENTRY_KEYS = ['id', 'url', 'events', 'description', 'enabled'];

/** Parses and checks an apply file; throws one UsageError that lists the problems (the first 50) with their places. */
export function parseApplyFile(text: string, name: string, options: { allowLocalTargets: boolean }): DesiredWebhook[] {
  const lineCounter = new LineCounter();
  const problems: FileProblem[] = [];
  const place = (node: Node | Pair | null | undefined, path: string): FilePlace => {
    const { line, col } = lineCounter.linePos(offsetOf(node));
    return { line, column: col, path };
  };
  const at = (node: Node | Pair | null | undefined, path: string, message: string) => {
    problems.push({ ...place(node, path), message });
  };
  const urlRules = new Set<UrlRule>();
  const tokens = parseTokens(text, lineCounter);
  if ('tooDeep' in tokens) {
    const { line, col } = lineCounter.linePos(tokens.tooDeep);
    problems.push({
      line,
      column: col,
      path: '',
      message: `nested more than ${MAX_NESTING} levels deep here; an apply file needs 4 (webhooks: [{url, events: [...]}])`,
    });
    throw fileError(name, problems);
  }
  const doc = composeOne(tokens.tokens, text.length);

  for (const e of doc.errors) {
    // Placed with our own line counter: yaml fills linePos only when it prettifies its messages.
    const { line, col } = lineCounter.linePos(e.pos[0]);
    problems.push({ line, column: col, path: '', message: firstLine(e.message) });
  }
  if (problems.length) throw fileError(name, problems);

  const desired: DesiredWebhook[] = [];
  const root = doc.contents;
  if (!isMap(root)) {
    at(root, '', 'the file must be a mapping with a `webhooks:` list (see `anchor webhooks export`)');
    throw fileError(name, problems);
  }
  let list: Node | null | undefined;
  for (const pair of root.items) {
    const key = keyOf(pair);
    if (key === 'webhooks') list = pair.value as Node | null;
    else if (key === '$schema') {
      if (!isScalar(pair.value) || typeof pair.value.value !== 'string')
        at(pair.value as Node, '$schema', 'must be a string (the path or URL of the JSON Schema)');
    } else at(pair.key as Node, String(key), unknownKey(String(key), TOP_KEYS));
  }
  if (list === undefined) at(root, '', 'missing key `webhooks` (a list, which may be empty)');
  else if (!isSeq(list)) at(list, 'webhooks', 'must be a list of webhooks');
  else {
    const seenUrls = new Map<string, string>();
    const seenIds = new Map<string, string>();
    list.items.forEach((item, i) => {
      const path = `webhooks[${i}]`;
      const { entry, url, id } = checkEntry(item as Node, path, options, { at, place, urlRules });
      const nodeOf = (key: string) => (isMap(item) ? item.get(key, true) : item) as Node;
      if (id !== undefined) {
        const first = seenIds.get(id);
        if (first !== undefined)
          at(nodeOf('id'), `${path}.id`, `${quoteId(id)} is also the id of ${first}; each webhook may appear once`);
        else seenIds.set(id, path);
      }
      // An entry without an id is matched by URL, so its URL may not be another's (even when
      // the entries have other problems); entries that pin their id may share one.
      else if (url !== undefined) {
        const first = seenUrls.get(url);
        if (first !== undefined)
          at(
            nodeOf('url'),
            `${path}.url`,
            `${url} is also the URL of ${first}; entries without an \`id\` are matched by URL, so each URL may appear once among them`,
          );
        else seenUrls.set(url, path);
      }
      if (entry) desired.push(entry);
    });
    if (list.items.length > WEBHOOK_LIMIT)
      at(list, 'webhooks', `a project has at most ${WEBHOOK_LIMIT} webhooks; the file lists ${list.items.length}`);
  }
  if (problems.length) throw fileError(name, problems, { also: urlRulesHint(urlRules) });
  return desired;
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

/**
 * The concrete syntax tree of the file, made token by token so that nesting past MAX_NESTING is
 * caught where it starts (the parser keeps an explicit stack; only composing recurses).
 */
function parseTokens(text: string, lineCounter: LineCounter): { tokens: CST.Token[] } | { tooDeep: number } {
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    // The stack holds the document, one entry per open collection, and at times the scalar or
    // item being read: only collections count, and they are counted only when the stack is long.
    if (parser.stack.length > MAX_NESTING) {
      const open = parser.stack.filter((t) => COLLECTIONS.has(t.type));
      if (open.length > MAX_NESTING) return { tooDeep: (open[MAX_NESTING] as { offset: number }).offset };
    }
  }
  for (const token of parser.end()) tokens.push(token);
  return { tokens };
}

/** One YAML document from the tokens, as `parseDocument` composes it (a second document is an error). */
function composeOne(tokens: CST.Token[], length: number): Document.Parsed {
  let doc: Document.Parsed | undefined;
  for (const next of new Composer({ uniqueKeys: true }).compose(tokens, true, length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(
        new YAMLParseError(
          [next.range[0], next.range[1]],
          'MULTIPLE_DOCS',
          'the file holds more than one YAML document',
        ),
      );
      break;
    }
  }
  // compose() with forceDoc always yields one.
  return doc!;
}

/** What checking an entry reports to: its problems, the places of ids, the URL rules that refused. */
interface EntryChecks {
  at: (node: Node | Pair | null | undefined, path: string, message: string) => void;
  place: (node: Node | Pair | null | undefined, path: string) => FilePlace;
  urlRules: Set<UrlRule>;
}

function checkEntry(
  item: Node | null,
  path: string,
  options: { allowLocalTargets: boolean },
  { at, place, urlRules }: EntryChecks,
): { entry?: DesiredWebhook; url?: string; id?: string } {
  if (!isMap(item)) {
    at(item, path, 'must be a mapping with `url` and `events`');
    return {};
  }
  let id: { id: string; idAt: FilePlace } | undefined;
  let url: string | undefined;
  let events: string[] | undefined;
  let description: string | null = null;
  let enabled = true;
  let ok = true;
  const bad = (node: Node | Pair | null | undefined, where: string, message: string) => {
    ok = false;
    at(node, where, message);
  };
  for (const pair of item.items) {
    const key = String(keyOf(pair));
    const value = pair.value as Node | null;
    const where = `${path}.${key}`;
    if (key === 'id') {
      const reason = isScalar(value) && typeof value.value === 'string' ? unsafeIdReason(value.value) : 'not a string';
      if (reason) bad(value ?? pair, where, `must be a webhook id as \`anchor webhooks export\` writes it (${reason})`);
      else id = { id: (value as Scalar<string>).value, idAt: place(value, where) };
    } else if (key === 'url') {
      if (!isScalar(value) || typeof value.value !== 'string')
        bad(value ?? pair, where, 'must be a string: the https:// endpoint');
      else {
        const v = checkWebhookUrl(value.value, { allowLocalTargets: options.allowLocalTargets });
        if (!v.ok) {
          urlRules.add(v.rule);
          bad(value, where, v.message);
        } else url = normalizeWebhookUrl(value.value);
      }
    } else if (key === 'events') {
      if (!isSeq(value)) bad(value ?? pair, where, 'must be a list of event types, e.g. [task.completed, task.failed]');
      else {
        const list: string[] = [];
        value.items.forEach((e, j) => {
          if (!isScalar(e) || typeof e.value !== 'string')
            return bad(e as Node, `${where}[${j}]`, 'must be an event type');
          const problem = eventTypeProblem(e.value);
          if (problem) bad(e, `${where}[${j}]`, `"${e.value}": ${problem}`);
          else if (!list.includes(e.value)) list.push(e.value);
        });
        if (value.items.length === 0) bad(value, where, 'give at least one event type');
        events = list;
      }
    } else if (key === 'description') {
      if (value === null || (isScalar(value) && value.value === null)) description = null;
      else if (!isScalar(value) || typeof value.value !== 'string')
        bad(value ?? pair, where, 'must be a string (or null for none)');
      else {
        const v = checkDescription(value.value);
        if (!v.ok) bad(value, where, v.message);
        else description = value.value;
      }
    } else if (key === 'enabled') {
      if (!isScalar(value) || typeof value.value !== 'boolean') bad(value ?? pair, where, 'must be true or false');
      else enabled = value.value;
    } else bad(pair.key as Node, where, unknownKey(key, ENTRY_KEYS));
  }
  if (!item.has('url')) bad(item, path, 'missing key `url`');
  if (!item.has('events')) bad(item, path, 'missing key `events`');
  return {
    url,
    id: id?.id,
    ...(ok && url !== undefined && events !== undefined ? { entry: { ...id, url, events, description, enabled } } : {}),
  };
}

function keyOf(pair: Pair): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

function offsetOf(node: Node | Pair | null | undefined): number {
  if (!node) return 0;
  if ('range' in node && node.range) return node.range[0];
  if ('key' in node) return (node.key as Node | null)?.range?.[0] ?? 0;
  return 0;
}

const firstLine = (s: string) => s.split('\n')[0]!.trim();
