/** The routes a hub serves, as `METHOD /path`, for the tests that check every route is accounted for. */

/** Every method + URL the hub registered, read from Fastify's route tree (HEAD twins left out). */
export function registeredRoutes(tree: string): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    const parent = stack[depth - 1] ?? '';
    const path = parent === '/' || parent === '' ? (parent === '/' ? `/${match[2]}` : (match[2] ?? '')) : `${parent}${match[2]}`;
    stack[depth] = path;
    for (const method of (match[3] ?? '').split(', ')) if (method && method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes;
}
