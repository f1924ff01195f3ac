/** The HTTP methods an OpenAPI path item can hold, lower case. */
export const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** A path template compiled for matching: `/cells/{name}/workbook`. */
export interface Route {
  readonly template: string;
  readonly names: readonly string[];
  readonly pattern: RegExp;
}

/** Compiles a path template: each `{name}` matches one non-empty path segment. */
export function compileRoute(template: string): Route {
  const names: string[] = [];
  const source = template
    .split(/(\{[^}/]+\})/)
    .map((part) => {
      const param = /^\{([^}/]+)\}$/.exec(part);
      if (param === null) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(param[1] as string);
      return "([^/]+)";
    })
    .join("");
  return { template, names, pattern: new RegExp(`^${source}$`) };
}

/**
 * Orders routes so that the most literal one wins: `/cells/convert` before `/cells/{name}`
 * (fewer parameters first, then more literal characters).
 */
export function byLiteralness(a: Route, b: Route): number {
  const literal = (route: Route) => route.template.replace(/\{[^}]+\}/g, "").length;
  return a.names.length - b.names.length || literal(b) - literal(a) || a.template.localeCompare(b.template);
}

/** The raw (still percent-encoded) values of a route's parameters in `path`, or undefined when it does not match. */
export function matchRoute(route: Route, path: string): Record<string, string> | undefined {
  const match = route.pattern.exec(path);
  if (match === null) return undefined;
  return Object.fromEntries(route.names.map((name, index) => [name, match[index + 1] as string]));
}
