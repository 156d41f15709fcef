/**
 * Gives Node 20 the `navigator` later Node versions have, before `pg` loads.
 * On every new connection pg asks whether it runs in a Cloudflare Worker: it
 * reads `navigator.userAgent`, and when there is no `navigator` it builds a
 * fetch `Response`, which makes Node load undici and compile its WebAssembly
 * HTTP parser. The daemon runs with --lite-mode, where WebAssembly is off, so
 * that ends in an unhandled rejection (and costs memory for nothing
 * elsewhere). Imported for its effect by pg-client.ts, ahead of `pg`.
 */
const g = globalThis as { navigator?: { userAgent?: string } };
if (g.navigator === undefined) {
  Object.defineProperty(globalThis, 'navigator', {
    value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` },
    configurable: true,
    writable: true,
  });
}
