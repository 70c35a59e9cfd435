/** `setImmediate` where the browser has none (injected by the bundler, not a global). */
export const setImmediate = (fn: (...args: unknown[]) => void, ...args: unknown[]) => setTimeout(fn, 0, ...args);
export const clearImmediate = (id: ReturnType<typeof setTimeout>) => clearTimeout(id);
