// A command's result that `--json` prints as it is, carrying beside it what only its renderer
// needs (the format people asked for, which closing line to print). That part sits under a symbol
// key, which JSON.stringify leaves out, so the document and the data `invoke` returns stay the
// command's contract and nothing else.
const VIEW: unique symbol = Symbol('view');

export type WithView<D extends object, V> = D & { readonly [VIEW]: V };

/** `document`, with `view` for the renderer. */
export function withView<D extends object, V>(document: D, view: V): WithView<D, V> {
  return { ...document, [VIEW]: view };
}

/** What the renderer was left by `withView`. */
export function viewOf<V>(result: WithView<object, V>): V {
  return result[VIEW];
}
