// What a command's result carries beside the value `--json` prints: what only its renderer needs
// (the format asked for, whose log it is, which closing line), and the failure that sets the exit
// code once the result is printed (a signature that did not verify). Both are kept in WeakMaps
// keyed by the value, not in it: `--json` and `invoke` get the value untouched, no field of an
// API's answer can pose as either, and an array carries them as well as an object.

/** A type-only brand: the view a value was given, so `viewOf` reads it typed. */
declare const VIEW: unique symbol;
export type WithView<D extends object, V> = D & { readonly [VIEW]?: V };

const views = new WeakMap<object, unknown>();
const failures = new WeakMap<object, Error>();

/** `value`, with `view` for its renderer. */
export function withView<D extends object, V>(value: D, view: V): WithView<D, V> {
  views.set(value, view);
  return value;
}

/** What `withView` left for the renderer. */
export function viewOf<V>(value: WithView<object, V>): V {
  if (!views.has(value)) throw new Error('a result rendered without the view its command gave it');
  return views.get(value) as V;
}

/** The view of a value that may have none (a result some paths of a command mark, others not). */
export function peekView<V>(value: object): V | undefined {
  return views.get(value) as V | undefined;
}

/**
 * A result that is also a failure: printed like any result, then `error` is thrown for its exit
 * code; an in-process caller (`invoke`) gets both.
 */
export function failing<R extends object>(result: R, error: Error | undefined): R {
  if (error) failures.set(result, error);
  return result;
}

/** The error a result carries (see failing), if any. */
export function failureOf(result: unknown): Error | undefined {
  return typeof result === 'object' && result !== null ? failures.get(result) : undefined;
}
